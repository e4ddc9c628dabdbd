import { JobName, outboxMessage, OutboxTransactions, SqlStatement } from '@aduan/platform';
import { randomUUID } from 'node:crypto';
import { Sql } from '../merkle/tree-store';

export type VerificationStatus = 'queued' | 'running' | 'done' | 'failed';

/** A run of verify as the API shows it. */
export interface VerificationRun {
  id: string;
  status: VerificationStatus;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress: Record<string, unknown>;
  result: Record<string, unknown> | null;
}

const COLUMNS = `id, status, requested_at, started_at, finished_at, progress, result`;

function toRun(row: { id: string; status: VerificationStatus; requested_at: Date; started_at: Date | null; finished_at: Date | null; progress: Record<string, unknown>; result: Record<string, unknown> | null }): VerificationRun {
  return {
    id: row.id,
    status: row.status,
    requested_at: row.requested_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
    progress: row.progress,
    result: row.result,
  };
}

/**
 * The run in progress (queued or running), or a new one: the row and its `audit.verify` outbox row
 * in one statement, so a run is never requested without a job nor a job left without its row.
 * One run at a time: a transaction-scoped advisory lock serialises requests.
 */
export async function requestVerification(transactions: OutboxTransactions, requestedBy: string | null): Promise<{ run: VerificationRun; created: boolean }> {
  const job = outboxMessage(JobName.VerifyAudit, { verificationId: randomUUID() });
  return transactions.run(async (outbox) => {
    const m = outbox.manager;
    await m.query(`SELECT pg_advisory_xact_lock(1094993217, 2)`);
    // A run nobody has moved for ten minutes was lost (its worker died, or no worker consumes the audit queue).
    await m.query(
      `UPDATE audit_verification SET status = 'failed', finished_at = now(), result = jsonb_build_object('error', 'abandoned: no progress for 10 minutes')
        WHERE status IN ('queued', 'running') AND coalesce((progress->>'updated_at')::timestamptz, started_at, requested_at) < now() - interval '10 minutes'`,
    );
    const [open] = await m.query(`SELECT ${COLUMNS} FROM audit_verification WHERE status IN ('queued', 'running') ORDER BY requested_at DESC LIMIT 1`);
    if (open) return { run: toRun(open), created: false };
    const s = new SqlStatement();
    const text = `WITH run AS (INSERT INTO audit_verification (id, requested_by, status) VALUES (${s.param(job.payload.verificationId)}, ${s.param(requestedBy)}, 'queued') RETURNING ${COLUMNS}),
      job AS (${outbox.sql(s, [job])})
      SELECT * FROM run`;
    const [row] = await m.query(text, s.params);
    return { run: toRun(row), created: true };
  });
}

export async function findVerification(db: Sql, id: string): Promise<VerificationRun | null> {
  const [row] = await db.query(`SELECT ${COLUMNS} FROM audit_verification WHERE id = $1`, [id]);
  return row ? toRun(row) : null;
}

export async function markVerification(db: Sql, id: string, change: { status?: VerificationStatus; progress?: unknown; result?: unknown }): Promise<void> {
  await db.query(
    `UPDATE audit_verification SET
       status = coalesce($2, status),
       progress = CASE WHEN $3::jsonb IS NULL THEN progress ELSE $3::jsonb || jsonb_build_object('updated_at', now()) END,
       result = coalesce($4::jsonb, result),
       started_at = CASE WHEN $2 = 'running' THEN coalesce(started_at, now()) ELSE started_at END,
       finished_at = CASE WHEN $2 IN ('done', 'failed') THEN now() ELSE finished_at END
     WHERE id = $1`,
    [id, change.status ?? null, change.progress === undefined ? null : JSON.stringify(change.progress), change.result === undefined ? null : JSON.stringify(change.result)],
  );
}
