import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import IORedis, { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';

/** Injection token for the shared ioredis connection (commands only; BullMQ workers open their own). */
export const REDIS = Symbol('REDIS');

/** BullMQ needs `maxRetriesPerRequest: null` so blocked commands survive a Redis restart. */
export function createRedis(url: string, name: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name });
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
