import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { QueueRegistry } from '../queue/queue.module';
import { isJobName, JOB_QUEUE } from '../queue/queue-names';

/**
 * PostgreSQL is the system of record; Redis may lose jobs (a restart without AOF, a wipe). This
 * finds outbox rows that were published a while ago, whose consumer has not recorded them as
 * processed, and whose job no longer exists in BullMQ, and marks them unpublished so the relay
 * adds them again under the same job id. A job that is merely waiting in a backlog is left alone.
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
    const rows: { id: string; job_name: string }[] = await this.dataSource.query(
      `SELECT o.id, o.job_name FROM outbox_message o
        WHERE o.published_at < now() - make_interval(secs => $1) AND o.published_at > now() - interval '7 days'
          AND NOT EXISTS (SELECT 1 FROM processed_message p WHERE p.consumer = o.job_name AND p.message_id = o.id::text)
        ORDER BY o.published_at LIMIT $2`,
      [this.config.OUTBOX_STALE_SECONDS, limit],
    );
    const missing: string[] = [];
    for (const row of rows) {
      if (!isJobName(row.job_name)) continue;
      const job = await this.queues.queue(JOB_QUEUE[row.job_name]).getJob(row.id);
      if (!job) missing.push(row.id);
    }
    if (missing.length === 0) return 0;
    await this.dataSource.query(`UPDATE outbox_message SET published_at = NULL WHERE id = ANY($1::uuid[]) AND published_at IS NOT NULL`, [missing]);
    this.logger.warn(`${missing.length} published jobs were missing from Redis; handed back to the relay`);
    return missing.length;
  }
}
