import { createHash, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { databaseClock } from '../database/database-clock';
import { SqlStatement } from '../database/sql-statement';
import { isJobName, JOB_QUEUE, JobName, JobPayloads, QueueName } from '../queue/queue-names';
import type { QueueRegistry } from '../queue/queue.module';

/** A message to publish once the surrounding transaction commits. */
export interface OutboxMessage<J extends JobName = JobName> {
  id: string;
  job: J;
  payload: JobPayloads[J];
  /** a deterministic BullMQ job id (timers); the outbox id otherwise */
  jobId?: string | null;
  /** when the job becomes due (a delayed job); at once otherwise */
  deliverAt?: Date | null;
}

export function outboxMessage<J extends JobName>(job: J, payload: JobPayloads[J], timer?: { jobId: string; deliverAt: Date }): OutboxMessage<J> {
  return { id: randomUUID(), job, payload, jobId: timer?.jobId ?? null, deliverAt: timer?.deliverAt ?? null };
}

/**
 * SQL fragment inserting outbox rows; meant to sit in a data-modifying CTE of a larger statement.
 * `direct` (see OutboxPublisher): the writing process adds the jobs itself once the transaction
 * has committed, so rows due at once are written as already published, under the job that will
 * carry them (see withCarriers), and no relay claims them. Timers always wait for the relay
 * (OUTBOX_TIMER_HORIZON_SECONDS).
 */
export function insertOutboxSql(statement: SqlStatement, messages: readonly OutboxMessage[], direct = false): string {
  const rows = (direct ? withCarriers(messages.map(jobRow)) : messages.map(jobRow)).map((r) => [r.id, r.job_name, JSON.stringify(r.payload), r.job_id, r.deliver_at]);
  const columns = statement.unnest(['uuid', 'text', 'jsonb', 'text', 'timestamptz'], rows);
  // Direct: rows due now are published by the writer itself, right after its commit. The stamp is
  // the statement's clock, not the transaction's start: the reconciler's watermark relies on it.
  const publishedAt = direct ? 'CASE WHEN r.deliver_at IS NULL THEN clock_timestamp() END' : 'NULL::timestamptz';
  return `INSERT INTO outbox_message (id, job_name, payload, job_id, deliver_at, published_at)
    SELECT r.id, r.job_name, r.payload, r.job_id, r.deliver_at, ${publishedAt} FROM ${columns} AS r(id, job_name, payload, job_id, deliver_at)`;
}

/** An outbox row as the relay reads it, or as a writer hands it over right after its commit. */
export interface OutboxJobRow {
  id: string;
  job_name: string;
  payload: unknown;
  job_id: string | null;
  deliver_at: Date | null;
}

/** The row of a message, as the relay would read it. */
export function jobRow(m: OutboxMessage): OutboxJobRow {
  return { id: m.id, job_name: m.job, payload: m.payload, job_id: m.jobId ?? null, deliver_at: m.deliverAt ?? null };
}

/** The `data` of a job that carries several outbox rows of one job name (see withCarriers). */
export interface Envelope {
  envelope: { messageId: string; payload: unknown }[];
}

export function isEnvelope(data: unknown): data is Envelope {
  return typeof data === 'object' && data !== null && Array.isArray((data as Partial<Envelope>).envelope);
}

/**
 * An envelope's job id: `g-` and a digest of exactly the rows it carries. The same rows published
 * again (a relay that died between its add and its commit) make the same job, which BullMQ
 * ignores; a different set never reuses an id, so no row can be marked as carried by a job that
 * does not hold it (BullMQ would ignore an add under an id it already has).
 */
export function envelopeJobId(rowIds: readonly string[]): string {
  return `g-${createHash('sha256').update(rowIds.join(',')).digest('hex').slice(0, 40)}`;
}

/**
 * Rows published together, each with the job that will carry it in `job_id`: rows of one job name
 * due at once share one BullMQ job (an envelope, see envelopeJobId), so a consumer's batch of 50
 * complaints costs its next queue one job, not 50 (BullMQ spends several Redis scripts on every
 * job it moves). A row alone in its job name keeps `job_id` null (its job id is its own id);
 * timers keep their deterministic ids. The writer records `job_id` in the row, which is how the
 * reconciler finds the job again; the message id a consumer claims stays the row's id. The one
 * definition of a carrier: the writer (insertOutboxSql), the publisher after the commit and the
 * relay all call this, so the same rows in the same order get the same carriers.
 */
export function withCarriers(rows: readonly OutboxJobRow[]): OutboxJobRow[] {
  const carriers = carrierJobIds(rows);
  return rows.map((r) => ({ ...r, job_id: carriers.get(r.id) ?? r.job_id }));
}

function carrierJobIds(rows: readonly OutboxJobRow[]): Map<string, string> {
  const byName = new Map<string, OutboxJobRow[]>();
  for (const row of rows) {
    if (row.deliver_at || row.job_id) continue;
    const list = byName.get(row.job_name) ?? [];
    list.push(row);
    byName.set(row.job_name, list);
  }
  const carriers = new Map<string, string>();
  for (const list of byName.values()) {
    if (list.length < 2) continue;
    const carrier = envelopeJobId(list.map((r) => r.id));
    for (const row of list) carriers.set(row.id, carrier);
  }
  return carriers;
}

/**
 * Adds the BullMQ jobs of outbox rows: one `addBulk` per queue. A row's job id is its `job_id`
 * (a timer's deterministic id, or the envelope that carries it with the other rows of that id) or
 * else its own id, so a row added twice is one job. Timers become delayed jobs.
 */
export async function addOutboxJobs(queues: QueueRegistry, rows: readonly OutboxJobRow[]): Promise<void> {
  const byQueue = new Map<QueueName, { name: string; data: unknown; opts: { jobId: string; delay?: number } }[]>();
  const envelopes = new Map<string, { name: string; data: Envelope; opts: { jobId: string } }>();
  // deliver_at is PostgreSQL's time: the delay is counted on its clock
  const now = databaseClock.nowMs();
  for (const row of rows) {
    if (!isJobName(row.job_name)) throw new Error(`outbox row ${row.id} names unknown job ${row.job_name}`);
    const queue = JOB_QUEUE[row.job_name];
    const list = byQueue.get(queue) ?? [];
    byQueue.set(queue, list);
    if (row.job_id && !row.deliver_at) {
      let envelope = envelopes.get(row.job_id);
      if (!envelope) {
        envelope = { name: row.job_name, data: { envelope: [] }, opts: { jobId: row.job_id } };
        envelopes.set(row.job_id, envelope);
        list.push(envelope);
      }
      envelope.data.envelope.push({ messageId: row.id, payload: row.payload });
      continue;
    }
    const delay = row.deliver_at ? Math.max(0, row.deliver_at.getTime() - now) : 0;
    list.push({ name: row.job_name, data: row.payload, opts: { jobId: row.job_id ?? row.id, ...(delay > 0 ? { delay } : {}) } });
  }
  await Promise.all([...byQueue].map(([queue, jobs]) => queues.queue(queue).addBulk(jobs)));
}

/**
 * SQL (for a WHERE clause over `outbox_message o`) of the message id a consumer claims for a row:
 * a timer's job id, else the row's id (an envelope's rows are claimed one by one).
 */
export const OUTBOX_MESSAGE_ID_SQL = `CASE WHEN o.deliver_at IS NULL THEN o.id::text ELSE COALESCE(o.job_id, o.id::text) END`;

/**
 * Claims `(consumer, messageId)` inside the caller's transaction. False means the message was
 * already handled: the caller must do nothing.
 */
export async function claimMessage(manager: EntityManager, consumer: string, messageId: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO processed_message (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
    [consumer, messageId],
  );
  return rows.length === 1;
}

/**
 * SQL fragment for a data-modifying CTE of a batch's statement: claims `(consumer, messageId)` for
 * each message and RETURNING `message_id` for those that were new; the others were handled before
 * and the caller must do nothing for them. The ids go in sorted, so two batches claiming the same
 * ids wait for each other in one order and never deadlock.
 */
export function claimMessagesSql(statement: SqlStatement, consumer: string, messageIds: readonly string[]): string {
  return `INSERT INTO processed_message (consumer, message_id)
    SELECT ${statement.param(consumer)}, unnest(${statement.param([...messageIds].sort())}::text[]) ON CONFLICT DO NOTHING RETURNING message_id`;
}
