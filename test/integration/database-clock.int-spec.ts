import { createDataSource, DatabaseClock } from '@aduan/platform';
import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL } from '../support/test-env';

/**
 * PostgreSQL's clock is the reference: a process whose own clock runs ahead (Date.now shifted
 * here) still answers PostgreSQL's time from DatabaseClock.now(), measured against the real server.
 */
describe('DatabaseClock against real PostgreSQL', () => {
  let db: DataSource;
  const AHEAD_MS = 7 * 60_000;

  beforeAll(async () => {
    db = createDataSource(TEST_DATABASE_URL, 2, 'aduan-test-clock');
    await db.initialize();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await db.destroy();
  });

  const databaseNow = async () => new Date((await db.query(`SELECT clock_timestamp() AS at`))[0].at).getTime();

  it('measures the offset of a process clock running 7 minutes ahead and answers the database time', async () => {
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + AHEAD_MS);
    const clock = new DatabaseClock();
    const offset = await clock.measure((sql) => db.query(sql));
    // the server shares this host's real clock: the offset undoes the shift, give or take a round trip
    expect(Math.abs(offset + AHEAD_MS)).toBeLessThan(1_000);
    const before = await databaseNow();
    const mine = clock.nowMs();
    const after = await databaseNow();
    expect(mine).toBeGreaterThanOrEqual(before - 50);
    expect(mine).toBeLessThanOrEqual(after + 50);
    // and the process's own clock is indeed ahead
    expect(Date.now() - after).toBeGreaterThan(AHEAD_MS - 1_000);
  });
});
