import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { Pool } from 'pg';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { ChannelListener } from '../database/channel-listener';
import { Backoff, guardNewClients, isConnectionLost } from '../database/connection-errors';
import { PLAN_CACHE_OPTIONS } from '../database/data-source';
import { QueueRegistry } from '../queue/queue.module';
import { addOutboxJobs, OutboxJobRow, withCarriers } from './outbox';
import { OUTBOX_CHANNEL } from './outbox-notifier';
import { OutboxPublisher } from './outbox-publisher';

/**
 * Session options of the relay's connection: custom plans, and no bitmap scans, which never mark
 * the dead index entries each published row leaves (docs/operations.md, "The relay").
 */
export const RELAY_SESSION_OPTIONS = `${PLAN_CACHE_OPTIONS} -c enable_bitmapscan=off`;

/**
 * The relay's claim (parameters: the batch size, the timer horizon in seconds): jobs due at once
 * in order of writing, and timers that fall due within the horizon; timers further away wait here
 * (their index keeps them out of the first scan) and come in later polls.
 */
export const RELAY_CLAIM_SQL = `WITH now_due AS (
           SELECT id, job_name, payload, job_id, deliver_at FROM outbox_message
            WHERE published_at IS NULL AND deliver_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED),
         timers AS (
           SELECT id, job_name, payload, job_id, deliver_at FROM outbox_message
            WHERE published_at IS NULL AND deliver_at IS NOT NULL AND deliver_at < now() + make_interval(secs => $2)
            ORDER BY deliver_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         SELECT * FROM now_due UNION ALL SELECT * FROM timers`;

/**
 * Moves committed outbox rows to BullMQ, claimed with `FOR UPDATE SKIP LOCKED` and published under
 * job ids taken from the rows, so a relay that dies mid-claim republishes the same ids; the table
 * itself says what is unpublished (docs/operations.md, "The relay").
 */
@Injectable()
export class OutboxRelay implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private ownPool: Pool | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** after a failed drain: no new drain before this time (Date.now()), and the timer that runs it */
  private retryAt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly drainBackoff = new Backoff(100, 5_000);
  /** writers' wake-ups; after a lost connection, a drain for the ones missed in between */
  private readonly listener: ChannelListener;
  /** true outside start()…stop(): nothing wakes the relay then, though drain() may still be called */
  private stopped = true;
  private stopRequested = false;

  constructor(
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Absent when a test or tool builds a relay by hand: then nothing changes for this process's writers.
    @Optional() publisher?: OutboxPublisher,
  ) {
    // The rows this process writes are added by it at once (OUTBOX_PUBLISH=worker); this relay has the rest.
    publisher?.relayIsHere();
    this.listener = new ChannelListener({
      connectionString: config.DATABASE_URL,
      channel: OUTBOX_CHANNEL,
      applicationName: 'aduan-outbox-listener',
      onNotify: () => this.wake(),
      onReconnect: () => this.wake(),
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.stopRequested = false;
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), this.config.OUTBOX_POLL_MS);
    this.wake();
  }

  /** Also when drain() was used without start(): the relay's own connection must not outlive the module. */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopRequested = true;
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = this.retryTimer = null;
    await this.running;
    await this.listener.stop();
    await this.ownPool?.end().catch(() => undefined);
    this.ownPool = null;
  }

  /** Asks for a drain; drains never overlap, and a wake during one schedules one more. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const wait = this.retryAt - Date.now();
    if (wait > 0) {
      // Backing off after a failure (PostgreSQL or Redis away): one drain when the wait is over.
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = null;
        this.wake();
      }, wait);
      return;
    }
    this.running = this.drain()
      .then(() => {
        if (this.drainBackoff.failures > 0) this.logger.log(`outbox relay publishing again after ${this.drainBackoff.failures} failed attempt(s)`);
        this.drainBackoff.reset();
        this.retryAt = 0;
      })
      .catch((error: unknown) => {
        const delay = this.drainBackoff.next();
        this.retryAt = Date.now() + delay;
        const what = isConnectionLost(error) ? 'lost its database connection' : 'failed';
        this.logger.error(`outbox relay ${what}, retrying in ${delay} ms: ${String(error)}`);
        this.again = true;
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Publishes until nothing is left; returns how many rows were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published < this.config.OUTBOX_BATCH_SIZE || this.stopRequested) return total;
    }
  }

  private async publishBatch(): Promise<number> {
    const client = await this.pool().connect();
    let release: Error | undefined;
    // A checked-out client has no listener of the pool's: without this one, a backend terminated
    // while the claim waits on Redis is an unhandled 'error' event, and the process dies.
    const onError = (error: Error): void => {
      release ??= error;
      this.logger.warn(`outbox relay connection lost: ${error.message}`);
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxJobRow>({
        name: 'outbox-claim',
        text: RELAY_CLAIM_SQL,
        values: [this.config.OUTBOX_BATCH_SIZE, this.config.OUTBOX_TIMER_HORIZON_SECONDS],
      });
      if (rows.length > 0) {
        // Rows of one job name claimed together ride one envelope job; the row records which.
        const carried = withCarriers(rows);
        await addOutboxJobs(this.queues, carried);
        await client.query({
          name: 'outbox-published',
          text: `UPDATE outbox_message o SET published_at = clock_timestamp(), job_id = v.job_id FROM unnest($1::uuid[], $2::text[]) AS v(id, job_id) WHERE o.id = v.id`,
          values: [carried.map((r) => r.id), carried.map((r) => r.job_id)],
        });
      }
      await client.query('COMMIT');
      // Either kind filling its share means more may be waiting.
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: unknown) => (release = e instanceof Error ? e : new Error(String(e))));
      throw error;
    } finally {
      // A connection whose ROLLBACK failed, or that reported an error, is broken: the pool must not hand it out again.
      client.removeListener('error', onError);
      client.release(release);
    }
  }

  /**
   * The relay's own connection, apart from the app's pool: under load the consumers hold every
   * pooled connection, and a relay waiting for one would hold up the very jobs they wait for.
   * Its session plans the claim as an index scan, never a bitmap scan (RELAY_SESSION_OPTIONS).
   */
  private pool(): Pool {
    if (!this.ownPool) {
      const pool = new Pool({ connectionString: this.config.DATABASE_URL, max: 1, application_name: 'aduan-outbox-relay', connectionTimeoutMillis: 30_000, options: RELAY_SESSION_OPTIONS });
      // An idle client that loses its backend is dropped by the pool, which reports it here; the next claim connects afresh.
      pool.on('error', (error) => this.logger.warn(`outbox relay idle connection lost: ${error.message}`));
      guardNewClients(pool, (message) => this.logger.warn(`outbox relay: ${message}`));
      this.ownPool = pool;
    }
    return this.ownPool;
  }
}
