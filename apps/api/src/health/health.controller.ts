import { overallStatus, READINESS_CHECKS, ReadinessCheck, ReadinessResult, REDIS } from '@aduan/platform';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { within } from './dependency-checks';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: 200 when PostgreSQL and Redis answer; 503 naming what is down' })
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

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: every check with its status (ok, warn, fail) and detail; 503 when one fails',
    description:
      '`status` is the worst of `checks`. A warning (e.g. `calendar`: next year’s official holiday table not loaded from 1 October) keeps ' +
      'the answer 200: the system serves, but someone must act.',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const checks: ({ name: string } & ReadinessResult)[] = await Promise.all(
      this.checks.map(async (c) => ({ name: c.name, ...(await within(c.check()).catch(() => ({ status: 'fail' as const, detail: `${c.name} did not answer in time.` }))) })),
    );
    const status = overallStatus(checks);
    void reply.header('Cache-Control', 'no-store');
    if (status === 'fail') {
      void reply.status(503).type('application/problem+json');
      return {
        type: 'https://aduan.go.id/problems/dependency-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: `Not ready: ${checks.filter((c) => c.status === 'fail').map((c) => c.name).join(', ')}.`,
        checks,
      };
    }
    return { status, checks };
  }
}
