import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { preparedQuery, SqlStatement } from '../database/sql-statement';
import { JobName, JobPayloads } from '../queue/queue-names';

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

/** SQL fragment inserting outbox rows; meant to sit in a data-modifying CTE of a larger statement. */
export function insertOutboxSql(statement: SqlStatement, messages: readonly OutboxMessage[]): string {
  const rows = messages.map((m) => statement.row([m.id, m.job, JSON.stringify(m.payload), m.jobId ?? null, m.deliverAt ?? null]));
  return `INSERT INTO outbox_message (id, job_name, payload, job_id, deliver_at) VALUES ${rows.join(', ')}`;
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
 * Claims several messages of one consumer at once (a batch's transaction); answers the ids that
 * were new. The others were handled before: the caller must do nothing for them.
 */
export async function claimMessages(manager: EntityManager, consumer: string, messageIds: readonly string[]): Promise<Set<string>> {
  const rows = await preparedQuery<{ message_id: string }>(
    manager,
    'claim-messages',
    `INSERT INTO processed_message (consumer, message_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING message_id`,
    // Sorted: two batches claiming the same ids wait for each other in one order, never deadlock.
    [consumer, [...messageIds].sort()],
  );
  return new Set(rows.map((r) => r.message_id));
}
