import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** how often a running process measures its offset to PostgreSQL's clock again */
export const CLOCK_REFRESH_MS = 60_000;
/** an offset this large is logged: this host's clock should be fixed (NTP) */
const WARN_OFFSET_MS = 2_000;

export interface ClockSample {
  /** Date.now() before the query was sent and after its answer came */
  sentAt: number;
  answeredAt: number;
  /** clock_timestamp() of PostgreSQL, in ms */
  databaseAt: number;
}

/**
 * PostgreSQL's clock is the reference for every deadline and timer: this process's clock plus an
 * offset measured against `clock_timestamp()` (the sample with the shortest round trip, taken at
 * its midpoint). `now()` costs no round trip; the offset is measured at start and every minute.
 */
export class DatabaseClock {
  private offset = 0;
  private measured = false;

  /** the offset (ms) to add to Date.now() to get PostgreSQL's time */
  get offsetMs(): number {
    return this.offset;
  }

  get synced(): boolean {
    return this.measured;
  }

  nowMs(): number {
    return Date.now() + this.offset;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Takes the offset from samples: the one with the shortest round trip, at its midpoint. */
  adopt(samples: readonly ClockSample[]): number {
    if (samples.length === 0) return this.offset;
    const best = samples.reduce((a, b) => (b.answeredAt - b.sentAt < a.answeredAt - a.sentAt ? b : a));
    this.offset = Math.round(best.databaseAt - (best.sentAt + best.answeredAt) / 2);
    this.measured = true;
    return this.offset;
  }

  /** Measures the offset against the database (`tries` queries on one connection). */
  async measure(query: (sql: string) => Promise<{ at: Date }[]>, tries = 3): Promise<number> {
    const samples: ClockSample[] = [];
    for (let i = 0; i < tries; i++) {
      const sentAt = Date.now();
      const [row] = await query(`SELECT clock_timestamp() AS at`);
      const answeredAt = Date.now();
      samples.push({ sentAt, answeredAt, databaseAt: new Date(row.at).getTime() });
    }
    return this.adopt(samples);
  }
}

/** The process's one database clock (default arguments read it where no injection reaches). */
export const databaseClock = new DatabaseClock();

/** Measures the process's offset to PostgreSQL's clock at start and then every CLOCK_REFRESH_MS. */
@Injectable()
export class DatabaseClockSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DatabaseClock');
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), CLOCK_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Never rejects: a failed measurement keeps the last offset. */
  async refresh(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const before = databaseClock.offsetMs;
      const offset = await databaseClock.measure((sql) => runner.query(sql));
      if (Math.abs(offset) >= WARN_OFFSET_MS && Math.abs(offset - before) >= WARN_OFFSET_MS / 2) {
        this.logger.warn(`this host's clock is ${(Math.abs(offset) / 1000).toFixed(1)} s ${offset < 0 ? 'ahead of' : 'behind'} PostgreSQL's; deadlines and timers follow PostgreSQL's clock`);
      }
    } catch (err) {
      this.logger.warn(`could not measure the offset to PostgreSQL's clock: ${(err as Error).message}`);
    } finally {
      await runner.release();
    }
  }
}
