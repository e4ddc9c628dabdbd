import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { databaseClock } from '../database/database-clock';
import { MicroBatcher } from '../queue/micro-batcher';
import { QueueRegistry } from '../queue/queue.module';
import { addOutboxJobs, jobRow, OutboxJobRow, OutboxMessage, withCarriers } from './outbox';
import { OutboxNotifier } from './outbox-notifier';

/** How long a direct add may wait for Redis before the rows go back to the relay. */
export const DIRECT_PUBLISH_TIMEOUT_MS = 2000;

/**
 * Hands the outbox rows of a committed transaction to BullMQ: in `direct` mode it adds their jobs
 * itself after the commit (grouped, under the rows' job ids), otherwise it wakes the relay. Why,
 * and why a crash between commit and add loses nothing: docs/operations.md, "The outbox publisher".
 */
@Injectable()
export class OutboxPublisher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxPublisher.name);
  private readonly inFlight = new Set<Promise<void>>();
  private hostsRelay = false;
  private readonly adds = new MicroBatcher<readonly OutboxJobRow[], void>({
    run: async (groups) => {
      await this.add(groups.flat());
      return groups.map(() => ({ ok: true, value: undefined }));
    },
    maxSize: 100,
    maxInFlight: 1,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifier: OutboxNotifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly queues?: QueueRegistry,
  ) {}

  /** Whether this process adds the jobs of its own rows; pass it to `insertOutboxSql`. */
  get direct(): boolean {
    if (this.queues === undefined) return false;
    return this.config.OUTBOX_PUBLISH === 'direct' || (this.config.OUTBOX_PUBLISH === 'worker' && this.hostsRelay);
  }

  /** Called by the OutboxRelay of this process when it is created, before any handler runs. */
  relayIsHere(): void {
    this.hostsRelay = true;
  }

  /** After the commit of a transaction that wrote `messages`. Never rejects. */
  committed(messages: readonly OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    if (!this.direct) {
      this.notifier.poke();
      return Promise.resolve();
    }
    const horizon = databaseClock.nowMs() + this.config.OUTBOX_TIMER_HORIZON_SECONDS * 1000;
    const dueNow = messages.filter((m) => !m.deliverAt);
    if (messages.some((m) => m.deliverAt && m.deliverAt.getTime() < horizon)) this.notifier.poke();
    if (dueNow.length === 0) return Promise.resolve();
    // The carriers insertOutboxSql recorded for these rows (timers, left out here, never have one).
    const done = this.adds.submit(withCarriers(dueNow.map(jobRow))).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
    return done;
  }

  /** Waits for the adds under way (the worker calls it once its jobs in flight have finished). */
  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** A stopping process finishes the adds it started, so their rows need no reconciler. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Never rejects: a failed add hands the rows back to the relay. */
  private async add(rows: readonly OutboxJobRow[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        addOutboxJobs(this.queues!, rows),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${DIRECT_PUBLISH_TIMEOUT_MS} ms`)), DIRECT_PUBLISH_TIMEOUT_MS))),
      ]);
    } catch (error) {
      this.logger.warn(`adding ${rows.length} jobs failed (${String(error)}); handing their outbox rows to the relay`);
      try {
        // Rows due at once only: their envelope is the relay's to choose again.
        await this.dataSource.query(`UPDATE outbox_message SET published_at = NULL, job_id = NULL WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
        this.notifier.poke();
      } catch (undo) {
        this.logger.error(`could not hand ${rows.length} outbox rows back to the relay (${String(undo)}); the reconciler will`);
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
