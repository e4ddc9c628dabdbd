import { BeforeApplicationShutdown, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { MicroBatcher } from '../queue/micro-batcher';
import { QueueRegistry } from '../queue/queue.module';
import { addOutboxJobs, jobRow, OutboxJobRow, OutboxMessage, withCarriers } from './outbox';
import { OutboxNotifier } from './outbox-notifier';

/** How long a direct add may wait for Redis before the rows go back to the relay. */
export const DIRECT_PUBLISH_TIMEOUT_MS = 2000;

/**
 * Hands the outbox rows of a committed transaction to BullMQ.
 *
 * `direct` (OUTBOX_PUBLISH=worker in the process that runs the relay, i.e. the worker; or
 * OUTBOX_PUBLISH=direct in any process that has the queues): the writer wrote its rows that are
 * due at once as already published (`insertOutboxSql(…, direct)`), and `committed()` adds their
 * jobs, one `addBulk` per queue, under the job ids recorded in the rows: a commit's rows of one job
 * name ride one envelope job (see withCarriers). A complaint so reaches its
 * next queue without a NOTIFY, a relay claim and a second write of each row (at 60 complaints a
 * second, PostgreSQL transactions per complaint fell from about 12 to 4). What can go wrong:
 * - the add fails or Redis does not answer within DIRECT_PUBLISH_TIMEOUT_MS: the rows are marked
 *   unpublished again and the relay is woken; it adds them under the same job ids.
 * - the process dies between its commit and the add: the rows say published, but their jobs are
 *   not in Redis. The reconciler finds exactly that case (published, unprocessed, absent from
 *   BullMQ) after OUTBOX_STALE_SECONDS and hands them back to the relay. Late, never lost.
 *
 * Adds are grouped like the consumers' transactions (MicroBatcher): while one `addBulk` is on its
 * way, the rows committed meanwhile wait and go together in the next, so a busy api sends Redis
 * one request per group of complaints, not one per complaint.
 *
 * Otherwise (the api by default, `relay` mode, a process without queues such as the CLI) the
 * writer wakes the relay and nothing more. The api stays out of it by default because on a shared
 * host every Redis call it makes is taken from intake: the relay adds the api's rows in bulk.
 * Timers go through the relay in both modes; one due within the relay's horizon wakes it.
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
    const horizon = Date.now() + this.config.OUTBOX_TIMER_HORIZON_SECONDS * 1000;
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
