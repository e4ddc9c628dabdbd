import { ALL_QUEUES, heartbeatAges, outboxLagSeconds, ReadinessCheck } from '@aduan/platform';
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

/** Every queue has a worker taking its jobs: a heartbeat younger than WORKER_HEARTBEAT_TIMEOUT_SECONDS (see WorkerHeartbeat). */
export function workerCheck(redis: Redis, queuePrefix: string, timeoutSeconds: number): ReadinessCheck {
  return {
    name: 'worker',
    async check() {
      const ages = await heartbeatAges(redis, queuePrefix);
      const idle = ALL_QUEUES.filter((q) => !((ages.get(q) ?? Infinity) <= timeoutSeconds * 1000));
      if (idle.length === 0) return { status: 'ok' };
      return { status: 'fail', detail: `No worker has taken jobs from ${idle.join(', ')} in the last ${timeoutSeconds} s.` };
    },
  };
}

/** The outbox relay keeps up: nothing due has waited longer than OUTBOX_LAG_READY_SECONDS to be published. */
export function outboxCheck(dataSource: DataSource, thresholdSeconds: number): ReadinessCheck {
  return {
    name: 'outbox',
    async check() {
      const lag = await outboxLagSeconds(dataSource);
      if (lag <= thresholdSeconds) return { status: 'ok' };
      return { status: 'fail', detail: `The oldest due outbox row has waited ${Math.round(lag)} s to be published (over ${thresholdSeconds} s).` };
    },
  };
}
