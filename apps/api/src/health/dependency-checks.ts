import { ReadinessCheck } from '@aduan/platform';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';

const TIMEOUT_MS = 1500;

/** Rejects when `promise` takes longer than a probe may wait. */
export function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref())]);
}

/** PostgreSQL answers a query. */
export function postgresCheck(dataSource: DataSource): ReadinessCheck {
  return {
    name: 'postgresql',
    check: () => within(dataSource.query('SELECT 1')).then(() => ({ status: 'ok' as const }), () => ({ status: 'fail' as const, detail: 'PostgreSQL does not answer.' })),
  };
}

/** Redis answers a PING. */
export function redisCheck(redis: Redis): ReadinessCheck {
  return {
    name: 'redis',
    check: () => within(redis.ping()).then(() => ({ status: 'ok' as const }), () => ({ status: 'fail' as const, detail: 'Redis does not answer.' })),
  };
}
