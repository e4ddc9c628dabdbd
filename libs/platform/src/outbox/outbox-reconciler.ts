import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { QueueRegistry } from '../queue/queue.module';
import { isJobName, JOB_QUEUE } from '../queue/queue-names';
import { OUTBOX_MESSAGE_ID_SQL } from './outbox';

/**
 * PostgreSQL is the system of record; Redis may lose jobs (a restart without AOF, a wipe). This
 * finds outbox rows that were published a while ago, whose consumer has not recorded them as
 * processed, and whose job no longer exists in BullMQ, and marks them unpublished so the relay
 * adds them again under the same job id. A job that is merely waiting in a backlog is left alone.
 * SLA timers are outbox rows with `deliver_at`: one that Redis lost is rebuilt once it is overdue,
 * so a deadline is handled late by at most a reconcile period, never lost. This runs on an
 * in-process interval in every worker, not as a BullMQ repeatable job: a repeatable job lives in
 * Redis and would vanish with the very jobs it is meant to rebuild.
 */
@Injectable()
export class OutboxReconciler {
  private readonly logger = new Logger(OutboxReconciler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns how many rows were handed back to the relay. */
  async reconcile(limit = 1000): Promise<number> {
    // Timers (deliver_at) are only suspect once they are overdue: a pending delayed job is normal.
    const rows: { id: string; job_name: string; job_id: string }[] = await this.dataSource.query(
      `SELECT o.id, o.job_name, COALESCE(o.job_id, o.id::text) AS job_id FROM outbox_message o
        WHERE o.published_at < now() - make_interval(secs => $1) AND o.published_at > now() - interval '30 days'
          AND (o.deliver_at IS NULL OR o.deliver_at < now() - make_interval(secs => $1))
          AND NOT EXISTS (SELECT 1 FROM processed_message p WHERE p.consumer = o.job_name AND p.message_id = ${OUTBOX_MESSAGE_ID_SQL})
        ORDER BY o.published_at LIMIT $2`,
      [this.config.OUTBOX_STALE_SECONDS, limit],
    );
    const missing: string[] = [];
    // The rows of an envelope share its job: asked about once.
    const present = new Map<string, boolean>();
    for (const row of rows) {
      if (!isJobName(row.job_name)) continue;
      if (!present.has(row.job_id)) present.set(row.job_id, Boolean(await this.queues.queue(JOB_QUEUE[row.job_name]).getJob(row.job_id)));
      if (!present.get(row.job_id)) missing.push(row.id);
    }
    if (missing.length === 0) return 0;
    // A row due at once leaves its envelope: the relay chooses it a carrier again.
    await this.dataSource.query(
      `UPDATE outbox_message SET published_at = NULL, job_id = CASE WHEN deliver_at IS NULL THEN NULL ELSE job_id END
        WHERE id = ANY($1::uuid[]) AND published_at IS NOT NULL`,
      [missing],
    );
    this.logger.warn(`${missing.length} published jobs were missing from Redis; handed back to the relay`);
    return missing.length;
  }
}
