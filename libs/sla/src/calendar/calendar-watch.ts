import { APP_CONFIG, AppConfig, REDIS } from '@aduan/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { localDate } from '../domain/working-calendar';
import { CalendarStatus } from './calendar-status';

const EVERY_MS = 3_600_000;

/**
 * Logs the calendar's warnings once a day (WIB), however many workers run: the first to claim the
 * day in Redis logs. Without Redis each worker logs (twice is better than never).
 */
@Injectable()
export class CalendarWatch {
  private readonly logger = new Logger('Calendar');
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly status: CalendarStatus, @Inject(REDIS) private readonly redis: Redis, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  start(): void {
    const run = () => void this.checkOnce().catch((error: unknown) => this.logger.error(`calendar check failed: ${String(error)}`));
    run();
    this.timer = setInterval(run, EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Logs the warnings unless this day's were logged already; answers whether it logged. */
  async checkOnce(now: Date = new Date()): Promise<boolean> {
    const warnings = await this.status.warnings(now);
    if (!warnings.length) return false;
    const key = `${this.config.QUEUE_PREFIX}:calendar-warning:${localDate(now, 'Asia/Jakarta')}`;
    const first = await this.redis.set(key, '1', 'EX', 2 * 86_400, 'NX').then((r) => r === 'OK', () => true);
    if (!first) return false;
    for (const w of warnings) this.logger.warn(`${w.message_en} / ${w.message}`);
    return true;
  }
}
