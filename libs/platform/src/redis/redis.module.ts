import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import IORedis, { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';

/** Injection token for the shared ioredis connection (commands only; BullMQ workers open their own). */
export const REDIS = Symbol('REDIS');

const logger = new Logger('Redis');

/**
 * BullMQ needs `maxRetriesPerRequest: null` so blocked commands survive a Redis restart. ioredis
 * reconnects by itself, backing off up to 2 s between tries; each outage is logged once when it
 * starts and once when the connection is ready again, not at every failed try.
 */
export function createRedis(url: string, name: string): Redis {
  const redis = new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`${name}: connection lost (${error.message}); reconnecting`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log(`${name}: reconnected`);
  });
  return redis;
}

@Global()
@Module({
  providers: [{ provide: REDIS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createRedis(c.REDIS_URL, 'aduan') }],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
