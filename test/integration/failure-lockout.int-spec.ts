import { createRedis, FailureLockout } from '@aduan/platform';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { TEST_REDIS_URL } from '../support/test-env';

/** The lockout's counting against real Redis: two connections stand in for two api replicas. */
describe('FailureLockout', () => {
  const prefix = `test-lockout-${randomBytes(6).toString('hex')}`;
  let a: Redis;
  let b: Redis;

  beforeAll(async () => {
    a = createRedis(TEST_REDIS_URL, 'lockout-test-a');
    b = createRedis(TEST_REDIS_URL, 'lockout-test-b');
    await Promise.all([a.ping(), b.ping()]);
  });
  afterAll(async () => {
    const keys = await a.keys(`${prefix}:*`);
    if (keys.length > 0) await a.del(...keys);
    await Promise.all([a.quit(), b.quit()]);
  });

  it('locks a pair out after the limit, across replicas, until the window that opened at its first failure ends', async () => {
    const replicaA = new FailureLockout(a, { prefix, maxFailures: 3, windowMs: 60_000 });
    const replicaB = new FailureLockout(b, { prefix, maxFailures: 3, windowMs: 60_000 });
    expect(await replicaA.check('ADN-1', '192.0.2.1')).toEqual({ failures: 0, retryAfterSeconds: 0 });
    await replicaA.failed('ADN-1', '192.0.2.1');
    await replicaB.failed('ADN-1', '192.0.2.1');
    expect(await replicaB.check('ADN-1', '192.0.2.1')).toEqual({ failures: 2, retryAfterSeconds: 0 });
    await replicaA.failed('ADN-1', '192.0.2.1');
    const locked = await replicaB.check('ADN-1', '192.0.2.1');
    expect(locked?.failures).toBe(3);
    expect(locked?.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(locked?.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Other clients of the subject, and other subjects of the client, are untouched.
    expect(await replicaA.check('ADN-1', '192.0.2.2')).toEqual({ failures: 0, retryAfterSeconds: 0 });
    expect(await replicaA.check('ADN-2', '192.0.2.1')).toEqual({ failures: 0, retryAfterSeconds: 0 });
    // The key holds no subject as typed, and every count has an expiry.
    const keys = await a.keys(`${prefix}:*`);
    expect(keys.some((k) => k.includes('ADN-1'))).toBe(false);
    for (const key of keys) expect(await a.pttl(key)).toBeGreaterThan(0);
  });

  it('forgets a pair’s failures on success, and lets the window run out', async () => {
    const lockout = new FailureLockout(a, { prefix, maxFailures: 2, windowMs: 300 });
    await lockout.failed('ADN-3', '192.0.2.1');
    await lockout.succeeded('ADN-3', '192.0.2.1');
    expect(await lockout.check('ADN-3', '192.0.2.1')).toEqual({ failures: 0, retryAfterSeconds: 0 });
    await lockout.failed('ADN-3', '192.0.2.1');
    await lockout.failed('ADN-3', '192.0.2.1');
    expect((await lockout.check('ADN-3', '192.0.2.1'))?.retryAfterSeconds).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(await lockout.check('ADN-3', '192.0.2.1')).toEqual({ failures: 0, retryAfterSeconds: 0 });
  });

  it('answers null rather than wait when Redis is not there', async () => {
    const gone = createRedis('redis://127.0.0.1:1', 'lockout-test-gone');
    try {
      const lockout = new FailureLockout(gone, { prefix, maxFailures: 1, windowMs: 1000 });
      expect(await lockout.check('ADN-4', '192.0.2.1')).toBeNull();
      await expect(lockout.failed('ADN-4', '192.0.2.1')).resolves.toBeUndefined();
    } finally {
      gone.disconnect();
    }
  });
});
