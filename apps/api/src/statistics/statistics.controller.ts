import { ZodPipe } from '@aduan/platform';
import { PublicStatisticsQuery } from '@aduan/sla';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { negotiate, WebAsset } from '../web/web-assets';

const statisticsQuery = z.strictObject({ tenant: z.string().regex(/^\d{2}\.\d{2}$/, 'must be a tenant code like 36.73') });

/** How long one answer is reused here and may be kept by browsers and caches. */
const FRESH_MS = 60_000;
const MAX_AGE_S = 300;

/** An answer older than this is counted again before it is served, even if that means waiting. */
const STALE_LIMIT_MS = 10 * FRESH_MS;

interface Held {
  at: number;
  asset: WebAsset;
}

/**
 * The public statistics (docs/statistics.md): no sign-in, aggregates only. Each tenant's answer is
 * counted at most once a minute per process, held precompressed, and tagged with a hash of its
 * body, so a busy day of readers costs the database a query a minute and an unchanged answer 304.
 * One count per tenant runs at a time whatever the readers; once an answer is held, readers get it
 * while the next one is counted, so none waits for the count (half a second for a big kabupaten).
 */
@ApiTags('statistics')
@Controller('api/v1/statistics')
export class StatisticsController {
  private readonly cache = new Map<string, Held>();
  private readonly counting = new Map<string, Promise<Held>>();

  constructor(private readonly statistics: PublicStatisticsQuery) {}

  @Get()
  @ApiOperation({
    summary: 'Public response times per kelurahan/desa office, kecamatan and OPD over the last 90 days: median first response in hari kerja, share within the deadline, complaints finished, residents\' ratings',
    description: 'No sign-in. Aggregates only; counts under `threshold` are hidden (null, named in `hidden`) with complementary cells so none can be recovered from the totals. Cacheable: `Cache-Control: public, max-age=300` and an ETag (If-None-Match answers 304).',
  })
  @ApiQuery({ name: 'tenant', example: '36.73' })
  async get(@Query(new ZodPipe(statisticsQuery, 'query')) q: z.infer<typeof statisticsQuery>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const asset = await this.answer(q.tenant);
    void reply.headers({ 'Cache-Control': `public, max-age=${MAX_AGE_S}`, ETag: asset.etag, Vary: 'Accept-Encoding', 'Access-Control-Allow-Origin': '*' });
    const match = request.headers['if-none-match'];
    if (typeof match === 'string' && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === asset.etag)) {
      await reply.status(304).send();
      return;
    }
    const { body, encoding } = negotiate(asset, request.headers['accept-encoding']);
    if (encoding) void reply.header('Content-Encoding', encoding);
    await reply.status(200).type(asset.type).send(body);
  }

  private async answer(tenant: string): Promise<WebAsset> {
    const held = this.cache.get(tenant);
    const age = held ? Date.now() - held.at : Infinity;
    if (held && age < FRESH_MS) return held.asset;
    const next = this.count(tenant);
    if (held && age < STALE_LIMIT_MS) {
      // The reader is not kept waiting; a failed count leaves the held answer for the next one to retry.
      next.catch(() => undefined);
      return held.asset;
    }
    return (await next).asset;
  }

  /** The tenant's answer counted afresh; a count already running is shared, not repeated. */
  private count(tenant: string): Promise<Held> {
    const running = this.counting.get(tenant);
    if (running) return running;
    const started = (async () => {
      const identity = Buffer.from(JSON.stringify(await this.statistics.forTenant(tenant)), 'utf8');
      const version = createHash('sha256').update(identity).digest('hex').slice(0, 16);
      const asset: WebAsset = { name: tenant, type: 'application/json; charset=utf-8', version, etag: `"${version}"`, identity, gzip: gzipSync(identity), br: brotliCompressSync(identity) };
      const fresh = { at: Date.now(), asset };
      this.cache.set(tenant, fresh);
      return fresh;
    })().finally(() => this.counting.delete(tenant));
    this.counting.set(tenant, started);
    return started;
  }
}
