import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { chainedTrailCte, insertChainedTrail } from './seed-audit-chain';
import { progress } from './stats';

const BATCH = 50_000;

/**
 * Gives the scale seed's complaints (those without an audit trail: every one but the hot inbox's)
 * the life the response-time figures read: an audit trail of answers, about 8% forwarded to
 * their kecamatan (a second stay), 5% paused for the resident, 3% reopened, verdicts with ratings
 * on most closed ones, a resolution deadline, and an `sla_breach` row for every stay answered
 * late or not at all past its deadline. Batches of 50,000 by id; idempotent (a complaint with a
 * trail is left alone). The shares come from a hash of the id, so a re-run gives the same mix.
 */
export async function seedResponseTimes(pool: Pool): Promise<number> {
  const started = Date.now();
  let after = '00000000-0000-0000-0000-000000000000';
  let done = 0;
  for (;;) {
    const { rows } = await pool.query<{ last: string | null; n: number }>(SQL, [after, BATCH]);
    const [{ last, n }] = rows;
    if (!last) break;
    after = last;
    done += n;
    progress(`  seed:scale response-time histories: ${done} complaints (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  return done;
}

// $1: the last id of the previous batch; $2: the batch size. \`f\` shortens the life of a complaint
// filed less than 280 hours ago as seed-scale.ts does, so that nothing is dated after now.
const SQL = `
WITH RECURSIVE batch AS (
  SELECT c.id, c.status, c.submitted_at, c.resolved_at, c.closed_at, c.tenant_code, c.kecamatan_code,
         abs(hashtext(c.id::text)) % 100 AS h, least(1, extract(epoch FROM now() - c.submitted_at) / (280 * 3600)) AS f, a.id AS first_id, a.unit_id, a.responded_at, a.first_response_due_at
    FROM complaint c JOIN assignment a ON a.complaint_id = c.id AND a.via = 'routed'
   WHERE c.id > $1 AND NOT EXISTS (SELECT 1 FROM audit_entry e WHERE e.stream = 'complaint:' || c.id)
   ORDER BY c.id LIMIT $2),
done AS (SELECT b.*, b.status IN ('resolved', 'closed') AS finished, k.id AS kec_id FROM batch b LEFT JOIN unit k ON k.code = 'KEC.' || b.kecamatan_code),
fwd AS (SELECT * FROM done WHERE finished AND h < 8 AND kec_id IS NOT NULL AND responded_at IS NOT NULL),
ended AS (
  UPDATE assignment a SET ended_at = f.responded_at, end_reason = 'forwarded' FROM fwd f WHERE a.id = f.first_id RETURNING a.id),
second AS (
  INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, responded_at, from_unit_id, via, ended_at, end_reason)
  SELECT gen_random_uuid(), id, kec_id, 'camat', gen_random_uuid(), responded_at, responded_at + interval '3 days',
         responded_at + f * make_interval(hours => 2 + (h * 37) % 100), unit_id, 'forwarded', resolved_at, CASE WHEN status = 'closed' THEN 'closed' END
    FROM fwd RETURNING id, complaint_id, unit_id, first_response_due_at, responded_at),
res_due AS (
  UPDATE complaint c SET resolution_due_at = d.submitted_at + interval '17 days' FROM done d WHERE c.id = d.id AND d.finished RETURNING c.id),
events AS (
  SELECT d.id, e.at, e.event, e.data
    FROM done d CROSS JOIN LATERAL (VALUES
      (d.submitted_at, 'complaint.submitted', '{}', true),
      (d.responded_at, CASE WHEN d.h < 8 AND d.kec_id IS NOT NULL THEN 'complaint.forwarded' ELSE 'complaint.acknowledged' END, '{}', d.finished AND d.responded_at IS NOT NULL),
      (d.responded_at + d.f * make_interval(hours => 2 + (d.h * 37) % 100), 'complaint.acknowledged', '{}', d.finished AND d.h < 8 AND d.kec_id IS NOT NULL AND d.responded_at IS NOT NULL),
      (d.responded_at + d.f * interval '1 hour', 'complaint.info_requested', '{}', d.finished AND d.h BETWEEN 8 AND 12 AND d.responded_at IS NOT NULL),
      (d.responded_at + d.f * make_interval(hours => 1 + (d.h * 11) % 72), 'complaint.resident_replied', '{"resumed":true}', d.finished AND d.h BETWEEN 8 AND 12 AND d.responded_at IS NOT NULL),
      (d.resolved_at - interval '24 hours', 'complaint.resolved', '{}', d.status = 'closed' AND d.h BETWEEN 13 AND 15),
      (d.resolved_at - interval '20 hours', 'complaint.reopened', '{"rating":2,"satisfied":false}', d.status = 'closed' AND d.h BETWEEN 13 AND 15),
      (d.resolved_at, 'complaint.resolved', '{}', d.finished),
      (d.closed_at, 'complaint.closed', CASE WHEN d.h < 60 THEN '{"rating":' || (3 + d.h % 3) || ',"satisfied":true}' ELSE '{"auto":true}' END, d.status = 'closed')
    ) AS e(at, event, data, present)
   WHERE e.present AND e.at IS NOT NULL),
numbered AS (
  SELECT id AS complaint_id, row_number() OVER (PARTITION BY id ORDER BY date_trunc('milliseconds', at), event)::int AS seq,
         date_trunc('milliseconds', at) AS at, event, data
    FROM events),
${chainedTrailCte('chained', 'numbered')},
trail AS (
  ${insertChainedTrail('chained')}
  RETURNING 1),
late AS (
  SELECT d.id, d.first_id AS assignment_id, d.unit_id, d.tenant_code, d.first_response_due_at AS due_at
    FROM done d WHERE (d.responded_at IS NULL AND d.first_response_due_at < now()) OR d.responded_at > d.first_response_due_at
  UNION ALL
  SELECT s.complaint_id, s.id, s.unit_id, d.tenant_code, s.first_response_due_at FROM second s JOIN done d ON d.id = s.complaint_id
   WHERE s.responded_at > s.first_response_due_at),
breaches AS (
  INSERT INTO sla_breach (id, complaint_id, assignment_id, unit_id, tenant_code, kind, due_at, breached_at)
  SELECT gen_random_uuid(), id, assignment_id, unit_id, tenant_code, 'first_response', due_at, due_at + interval '5 seconds' FROM late
  ON CONFLICT DO NOTHING RETURNING 1)
SELECT (SELECT max(id::text) FROM batch) AS last, (SELECT count(*)::int FROM batch) AS n,
       (SELECT count(*) FROM ended) + (SELECT count(*) FROM res_due) + (SELECT count(*) FROM trail) + (SELECT count(*) FROM breaches) AS written`;

/**
 * Whether the response-time read model wants a rebuild: it holds fewer complaints than the
 * database, or its checkpoint is far behind the sealed log (a worker would otherwise recount from
 * every leaf the seed's seal added, as long as a rebuild takes).
 */
export async function readModelBehind(pool: Pool): Promise<boolean> {
  const { rows: [r] } = await pool.query<{ behind: boolean }>(
    `SELECT (SELECT count(*) FROM response_time_complaint) < (SELECT count(*) FROM complaint)
         OR (SELECT coalesce(max(idx), -1) FROM audit_leaf) - (SELECT leaf_idx FROM response_time_checkpoint WHERE id) > 100000 AS behind`,
  );
  return r.behind;
}

/**
 * Rebuilds the read model when `readModelBehind` says so, before anything is measured: a worker
 * would otherwise spend the run recounting the seed from the log. Answers the rebuild's seconds, or
 * null when nothing was to do.
 */
export async function rebuildReadModelIfBehind(pool: Pool, databaseUrl: string): Promise<number | null> {
  if (!(await readModelBehind(pool))) return null;
  progress('  counting the response-time read model (response-times-rebuild, not measured)');
  return (await rebuildReadModel(databaseUrl)).rebuild_seconds;
}

/** Runs a command of the built CLI next to this file on `databaseUrl`; answers its seconds and last line of output. */
function cli(command: string, databaseUrl: string): Promise<{ seconds: number; summary: string }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '../apps/cli/src/main.js'), command], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last = '';
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        last = line;
        if (/^(rebuilt|sealed|sealing)|00000 complaints counted/.test(line)) progress(`  ${line}`);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve({ seconds: (Date.now() - started) / 1000, summary: last }) : reject(new Error(`${command} exited ${String(code)}`))));
  });
}

/** Seals every audit entry the bulk SQL wrote (`audit-seal`, page by page, with its progress shown). */
export function sealAuditLog(databaseUrl: string): Promise<{ seconds: number; summary: string }> {
  return cli('audit-seal', databaseUrl);
}

/**
 * Counts the read model the way production would have it, from the sealed log (the seed sealed it):
 * every complaint counted (`response-times-rebuild`), whose checkpoint then stands past every leaf.
 */
export async function rebuildReadModel(databaseUrl: string): Promise<{ rebuild_seconds: number; summary: string }> {
  const rebuilt = await cli('response-times-rebuild', databaseUrl);
  return { rebuild_seconds: rebuilt.seconds, summary: rebuilt.summary };
}
