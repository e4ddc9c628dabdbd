import { DataSource } from 'typeorm';

/**
 * Seconds the oldest due, unpublished outbox row has waited (NULL when none): a job is due when
 * written, a timer when its time comes. Each part reads one of the relay's partial indexes.
 */
export const OUTBOX_LAG_SQL = `extract(epoch FROM now() - least(
  (SELECT min(created_at) FROM outbox_message WHERE published_at IS NULL AND deliver_at IS NULL),
  (SELECT min(deliver_at) FROM outbox_message WHERE published_at IS NULL AND deliver_at IS NOT NULL AND deliver_at <= now())))`;

/** The outbox's lag in seconds, 0 when nothing due waits. */
export async function outboxLagSeconds(dataSource: DataSource): Promise<number> {
  const [{ lag }]: { lag: string | null }[] = await dataSource.query(`SELECT ${OUTBOX_LAG_SQL} AS lag`);
  return lag === null ? 0 : Math.max(0, Number(lag));
}
