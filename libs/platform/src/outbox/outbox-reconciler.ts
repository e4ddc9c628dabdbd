import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { QueueRegistry } from '../queue/queue.module';
import { isJobName, JOB_QUEUE } from '../queue/queue-names';
import { OUTBOX_MESSAGE_ID_SQL } from './outbox';

/** How far back a full pass looks (every OUTBOX_RECONCILE_FULL_MS, and the first pass of a process). */
const FULL_PASS_DAYS = 30;

/**
 * Rebuilds jobs Redis lost: rows published a while ago, unprocessed, and absent from BullMQ go back
 * to the relay. Each pass starts at a watermark rather than reading 30 days of rows; the full pass
 * runs every OUTBOX_RECONCILE_FULL_MS (docs/operations.md, "The reconciler").
 */
@Injectable()
export class OutboxReconciler {
  private readonly logger = new Logger(OutboxReconciler.name);
  /** Every row published before this (PostgreSQL's text of a timestamptz) has been processed; null: unknown. */
  private watermark: string | null = null;
  private lastFullPassAt = 0;
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Where the next ordinary pass starts; null until a pass has run. For tests and diagnostics. */
  get checkedUpTo(): string | null {
    return this.watermark;
  }

  /** Returns how many rows were handed back to the relay. A pass that finds another under way does nothing. */
  async reconcile(limit = 1000): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const full = this.watermark === null || Date.now() - this.lastFullPassAt >= this.config.OUTBOX_RECONCILE_FULL_MS;
      const handedBack = await this.pass(full ? null : this.watermark, limit);
      if (full) this.lastFullPassAt = Date.now();
      return handedBack;
    } finally {
      this.running = false;
    }
  }

  private async pass(from: string | null, limit: number): Promise<number> {
    const stale = this.config.OUTBOX_STALE_SECONDS;
    const recentSeconds = this.config.OUTBOX_TIMER_HORIZON_SECONDS + 10 * stale;
    // pending: published, unprocessed, old enough to be suspect. Timers (deliver_at) are only
    // suspects once they are overdue (a pending delayed job is normal), but hold the watermark.
    const [scan]: { watermark: string; suspects: { id: string; job_name: string; job_id: string }[] }[] = await this.dataSource.query(
      `WITH bounds AS (
         SELECT now() - make_interval(secs => $1) AS cutoff,
                CASE WHEN $3::timestamptz IS NULL THEN now() - make_interval(days => $4)
                     ELSE GREATEST($3::timestamptz, now() - make_interval(secs => $5)) END AS since),
       pending AS MATERIALIZED (
         SELECT o.id, o.job_name, COALESCE(o.job_id, o.id::text) AS job_id, o.deliver_at, o.published_at FROM outbox_message o, bounds b
          WHERE o.published_at >= b.since AND o.published_at < b.cutoff
            AND NOT EXISTS (SELECT 1 FROM processed_message p WHERE p.consumer = o.job_name AND p.message_id = ${OUTBOX_MESSAGE_ID_SQL}))
       SELECT COALESCE((SELECT min(published_at) FROM pending), (SELECT cutoff FROM bounds))::text AS watermark,
              COALESCE((SELECT json_agg(s) FROM (SELECT id, job_name, job_id FROM pending, bounds b
                                                   WHERE deliver_at IS NULL OR deliver_at < b.cutoff
                                                   ORDER BY published_at LIMIT $2) s), '[]') AS suspects`,
      [stale, limit, from, FULL_PASS_DAYS, recentSeconds],
    );
    const missing: string[] = [];
    // The rows of an envelope share its job: asked about once.
    const present = new Map<string, boolean>();
    for (const row of scan.suspects) {
      if (!isJobName(row.job_name)) continue;
      if (!present.has(row.job_id)) present.set(row.job_id, Boolean(await this.queues.queue(JOB_QUEUE[row.job_name]).getJob(row.job_id)));
      if (!present.get(row.job_id)) missing.push(row.id);
    }
    if (missing.length > 0) {
      // A row due at once leaves its envelope: the relay chooses it a carrier again.
      await this.dataSource.query(
        `UPDATE outbox_message SET published_at = NULL, job_id = CASE WHEN deliver_at IS NULL THEN NULL ELSE job_id END
          WHERE id = ANY($1::uuid[]) AND published_at IS NOT NULL`,
        [missing],
      );
      this.logger.warn(`${missing.length} published jobs were missing from Redis; handed back to the relay`);
    }
    // Set only after the pass has done its work: a pass that fails leaves the watermark where it was.
    this.watermark = scan.watermark;
    return missing.length;
  }
}
