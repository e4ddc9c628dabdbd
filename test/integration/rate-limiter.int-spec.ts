import { createRedis, RateLimiter } from '@aduan/platform';
import IORedis, { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { TEST_REDIS_URL } from '../support/test-env';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The limiter's counting against real Redis: two connections stand in for two api replicas. */
describe('RateLimiter', () => {
  const prefix = `test-rl-${randomBytes(6).toString('hex')}`;
  let a: Redis;
  let b: Redis;
  let replicaA: RateLimiter;
  let replicaB: RateLimiter;

  beforeAll(async () => {
    a = createRedis(TEST_REDIS_URL, 'rate-limit-test-a');
    b = createRedis(TEST_REDIS_URL, 'rate-limit-test-b');
    await Promise.all([a.ping(), b.ping()]);
    replicaA = new RateLimiter(a, { prefix });
    replicaB = new RateLimiter(b, { prefix });
  });

  afterAll(async () => {
    const keys = await a.keys(`${prefix}:*`);
    if (keys.length > 0) await a.del(...keys);
    await Promise.all([a.quit(), b.quit()]);
  });

  it('allows up to the limit across replicas, then refuses with the time left in the window', async () => {
    const decisions = [];
    for (let i = 0; i < 7; i += 1) decisions.push(await (i % 2 === 0 ? replicaA : replicaB).hit('submit', '203.0.113.1', 5, 60_000));
    expect(decisions.map((d) => d?.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(decisions.map((d) => d?.count)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const d of decisions) {
      expect(d?.limit).toBe(5);
      expect(d?.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(d?.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
  });

  it('keeps one counter per bucket and per client', async () => {
    for (let i = 0; i < 3; i += 1) await replicaA.hit('read', '203.0.113.2', 3, 60_000);
    expect((await replicaA.hit('read', '203.0.113.2', 3, 60_000))?.allowed).toBe(false);
    expect((await replicaA.hit('login', '203.0.113.2', 3, 60_000))?.allowed).toBe(true);
    expect((await replicaB.hit('read', '203.0.113.3', 3, 60_000))?.allowed).toBe(true);
  });

  it('counts concurrent hits from two replicas exactly', async () => {
    const hits = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? replicaA : replicaB).hit('submit', '203.0.113.4', 10, 60_000)));
    expect(hits.filter((d) => d?.allowed)).toHaveLength(10);
    expect(hits.map((d) => d?.count).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('counts the hits that arrive together with one script, each against its own counter, limit and window', async () => {
    const evals = jest.spyOn(a, 'eval');
    try {
      const hits = await Promise.all([
        ...Array.from({ length: 4 }, () => replicaA.hit('submit', '203.0.113.8', 3, 60_000)),
        replicaA.hit('read', '203.0.113.8', 1, 30_000),
        replicaA.hit('read', '203.0.113.9', 1, 30_000),
      ]);
      expect(evals).toHaveBeenCalledTimes(1);
      expect(hits.map((d) => [d?.count, d?.allowed])).toEqual([[1, true], [2, true], [3, true], [4, false], [1, true], [1, true]]);
      expect(hits.map((d) => d?.retryAfterSeconds)).toEqual([60, 60, 60, 60, 30, 30]);
      expect(await a.pttl(`${prefix}:read:203.0.113.9`)).toBeLessThanOrEqual(30_000);
    } finally {
      evals.mockRestore();
    }
  });

  it('opens a new window when the old one ends, and never leaves a counter without an expiry', async () => {
    expect((await replicaA.hit('write', '203.0.113.5', 1, 400))?.allowed).toBe(true);
    const refused = await replicaB.hit('write', '203.0.113.5', 1, 400);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    const ttl = await a.pttl(`${prefix}:write:203.0.113.5`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(400);
    await sleep(450);
    expect(await replicaA.hit('write', '203.0.113.5', 1, 400)).toMatchObject({ allowed: true, count: 1 });
  });

  it('repairs a counter that lost its expiry', async () => {
    const key = `${prefix}:read:203.0.113.6`;
    await a.set(key, '4');
    const decision = await replicaA.hit('read', '203.0.113.6', 10, 30_000);
    expect(decision).toMatchObject({ allowed: true, count: 5, retryAfterSeconds: 30 });
    expect(await a.pttl(key)).toBeGreaterThan(29_000);
  });

  it('answers null at once, without waiting, when Redis is not connected', async () => {
    const closed = new IORedis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: null });
    const started = Date.now();
    expect(await new RateLimiter(closed, { prefix }).hit('read', '203.0.113.7', 1, 60_000)).toBeNull();
    expect(Date.now() - started).toBeLessThan(50);
    closed.disconnect();

    const dropped = createRedis(TEST_REDIS_URL, 'rate-limit-test-dropped');
    await dropped.ping();
    dropped.disconnect();
    expect(await new RateLimiter(dropped, { prefix }).hit('read', '203.0.113.7', 1, 60_000)).toBeNull();
  });
});
