import { APP_CONFIG, REDIS } from '@aduan/platform';
import { CalendarStatus, CalendarWatch } from '@aduan/sla';
import type { Redis } from 'ioredis';
import { Harness, startHarness } from '../support/harness';

/**
 * The log's share of "no silent fallback": a missing official table is logged once a day, however
 * many workers run (the day is claimed in Redis), and not at all when nothing is missing.
 */
describe('the calendar watch', () => {
  let h: Harness;
  let watch: CalendarWatch;
  let redis: Redis;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    watch = h.api.get(CalendarWatch);
    redis = h.api.get<Redis>(REDIS);
  });
  afterAll(() => h.close());

  it('logs a missing table once a day, across workers', async () => {
    // No table will ever be loaded for 2098 in the test database: this year's and next year's are missing.
    const morning = new Date('2098-10-05T01:00:00Z');
    expect(await watch.checkOnce(morning)).toBe(true);
    expect(await redis.get(`${h.queuePrefix}:calendar-warning:2098-10-05`)).toBe('1');
    expect(await redis.ttl(`${h.queuePrefix}:calendar-warning:2098-10-05`)).toBeGreaterThan(86_400);
    // Later that day, or another worker: the day's warning was logged already.
    expect(await watch.checkOnce(new Date('2098-10-05T10:00:00Z'))).toBe(false);
    const otherWorker = new CalendarWatch(h.api.get(CalendarStatus), redis, h.api.get(APP_CONFIG));
    expect(await otherWorker.checkOnce(morning)).toBe(false);
    // The next day in Jakarta (17:00 UTC is midnight WIB) logs again.
    expect(await watch.checkOnce(new Date('2098-10-05T17:00:00Z'))).toBe(true);
  });

  it('logs nothing while every table it needs is loaded', async () => {
    // June 2026: the shipped 2026 table is loaded, and next year's is not due before October.
    expect(await watch.checkOnce(new Date('2026-06-01T03:00:00Z'))).toBe(false);
    expect(await redis.exists(`${h.queuePrefix}:calendar-warning:2026-06-01`)).toBe(0);
  });
});
