import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { startOwnRedis } from '../support/redis-server';
import { useTestEnvironment } from '../support/test-env';

/** Builds the worker's module and starts it; always closes what was opened, then reports how start-up went. */
async function startWorker(): Promise<void> {
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] }).setLogger({ log() {}, error() {}, warn() {} }).compile();
  try {
    await moduleRef.init();
  } finally {
    await moduleRef.close();
  }
}

describe('worker start-up checks', () => {
  it('refuses to start when Redis may evict any key (allkeys-*)', async () => {
    // A server of this test's own: the shared Redis's settings are never changed, not even for a moment.
    const own = await startOwnRedis(['--maxmemory-policy', 'allkeys-lru']);
    try {
      const redis = new Redis(own.url);
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
      await redis.quit();
      useTestEnvironment({ REDIS_URL: own.url });
      await expect(startWorker()).rejects.toThrow(/maxmemory-policy is allkeys-lru/);
    } finally {
      await own.stop();
    }
  });

  it('refuses a WORKER_QUEUES naming a queue that does not exist', async () => {
    useTestEnvironment({ WORKER_QUEUES: 'routing,emails' });
    await expect(startWorker()).rejects.toThrow(/emails/);
  });

  it('refuses to boot with a broken configuration and lists every problem', async () => {
    useTestEnvironment({ PRIVACY_KEY: 'too-short', DATABASE_URL: 'mysql://nope' });
    await expect(startWorker()).rejects.toThrow(/PRIVACY_KEY[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PRIVACY_KEY/);
  });
});
