import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
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
 * has committed, so rows due at once are written as already published and no relay claims them.
 * Timers always wait for the relay (OUTBOX_TIMER_HORIZON_SECONDS).
 */
export function insertOutboxSql(statement: SqlStatement, messages: readonly OutboxMessage[], direct = false): string {
  const rows = messages.map((m) => {
    const values = statement.row([m.id, m.job, JSON.stringify(m.payload), m.jobId ?? null, m.deliverAt ?? null]);
    return `${values.slice(0, -1)}, ${direct && !m.deliverAt ? 'now()' : 'NULL'}::timestamptz)`;
  });
  return `INSERT INTO outbox_message (id, job_name, payload, job_id, deliver_at, published_at) VALUES ${rows.join(', ')}`;
}

/** An outbox row as the relay reads it, or as a writer hands it over right after its commit. */
export interface OutboxJobRow {
  id: string;
  job_name: string;
  payload: unknown;
  job_id: string | null;
  deliver_at: Date | null;
}

/**
 * Adds one BullMQ job per outbox row: one `addBulk` per queue, `jobId` = the row's job id (timers)
 * or its id, so a row added twice is one job. Timers become delayed jobs.
 */
export async function addOutboxJobs(queues: QueueRegistry, rows: readonly OutboxJobRow[]): Promise<void> {
  const byQueue = new Map<QueueName, { name: string; data: unknown; opts: { jobId: string; delay?: number } }[]>();
  const now = Date.now();
  for (const row of rows) {
    if (!isJobName(row.job_name)) throw new Error(`outbox row ${row.id} names unknown job ${row.job_name}`);
    const queue = JOB_QUEUE[row.job_name];
    const list = byQueue.get(queue) ?? [];
    const delay = row.deliver_at ? Math.max(0, row.deliver_at.getTime() - now) : 0;
    list.push({ name: row.job_name, data: row.payload, opts: { jobId: row.job_id ?? row.id, ...(delay > 0 ? { delay } : {}) } });
    byQueue.set(queue, list);
  }
  await Promise.all([...byQueue].map(([queue, jobs]) => queues.queue(queue).addBulk(jobs)));
}

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
