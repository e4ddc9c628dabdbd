import { DatabaseClock } from './database-clock';

describe('DatabaseClock', () => {
  it('takes the offset at the midpoint of the sample with the shortest round trip', () => {
    const clock = new DatabaseClock();
    expect(clock.synced).toBe(false);
    const offset = clock.adopt([
      { sentAt: 1_000, answeredAt: 1_400, databaseAt: 1_000 + 200 - 60_000 + 150 },
      { sentAt: 2_000, answeredAt: 2_010, databaseAt: 2_005 - 60_000 },
      { sentAt: 3_000, answeredAt: 3_300, databaseAt: 3_000 - 60_000 },
    ]);
    expect(offset).toBe(-60_000);
    expect(clock.synced).toBe(true);
  });

  it('answers now() as this clock plus the offset, with no query', async () => {
    const clock = new DatabaseClock();
    // PostgreSQL's clock five minutes behind this process's
    const query = jest.fn(async () => [{ at: new Date(Date.now() - 300_000) }]);
    await clock.measure(query);
    expect(query).toHaveBeenCalledTimes(3);
    expect(Math.abs(clock.offsetMs + 300_000)).toBeLessThan(1_000);
    const before = query.mock.calls.length;
    const now = clock.now().getTime();
    expect(query.mock.calls.length).toBe(before);
    expect(Math.abs(now - (Date.now() - 300_000))).toBeLessThan(1_000);
  });

  it('keeps the last offset when there is no sample', () => {
    const clock = new DatabaseClock();
    clock.adopt([{ sentAt: 0, answeredAt: 0, databaseAt: 5_000 }]);
    expect(clock.adopt([])).toBe(5_000);
  });
});
