import { REDIS } from '@aduan/platform';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';

const TIMEOUT_MS = 1500;

function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref())]);
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource, @Inject(REDIS) private readonly redis: Redis) {}

  @Get()
  @ApiOperation({ summary: '200 when PostgreSQL and Redis answer; 503 naming what is down' })
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    const [database, redis] = await Promise.all([
      within(this.dataSource.query('SELECT 1')).then(() => 'up' as const, () => 'down' as const),
      within(this.redis.ping()).then(() => 'up' as const, () => 'down' as const),
    ]);
    const down = [database === 'down' ? 'postgresql' : null, redis === 'down' ? 'redis' : null].filter((d): d is string => d !== null);
    if (down.length > 0) {
      void reply.status(503).type('application/problem+json').header('Cache-Control', 'no-store');
      return {
        type: 'https://aduan.go.id/problems/dependency-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: `Down: ${down.join(', ')}.`,
        checks: { postgresql: database, redis },
      };
    }
    void reply.header('Cache-Control', 'no-store');
    return { status: 'ok', checks: { postgresql: database, redis } };
  }
}
