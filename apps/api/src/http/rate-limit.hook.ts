import { ApiKeysService, TokenService } from '@aduan/directory';
import { APP_CONFIG, AppConfig, clientKey, problem, ProblemException, RateLimiter, REDIS } from '@aduan/platform';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../auth/auth.guard';
import { filingApiKey, OPEN311_FILING_ROUTES, verifyApiKeyOnce } from '../open311/open311-client';
import { languageOf } from './request-context';

/** The counters a request can draw on; each has its own limit per window and client address. */
export type RateBucket = 'submit' | 'write' | 'read' | 'login';

/** Open311 filings with a valid api_key count per key, not per address (see installRateLimits). */
const KEY_BUCKET = 'open311-key';
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** Probed by load balancers and scrapers from one address, many times a minute. */
const UNLIMITED_PATHS = new Set(['/health', '/health/ready', '/metrics']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A warning per this many ms while Redis is away, not one per request. */
const WARN_EVERY_MS = 60_000;

/**
 * Which counter a request draws on, from its method and the route it matched (its path when no
 * route did). Anything not named here is a read or a write, so routes added later are limited
 * without being listed. `null`: not limited by address.
 */
export function bucketFor(method: string, route: string): RateBucket | null {
  if (UNLIMITED_PATHS.has(route)) return null;
  if (method === 'POST' && route === '/api/v1/auth/login') return 'login';
  if (method === 'POST' && (route === '/api/v1/complaints' || route.startsWith('/open311/'))) return 'submit';
  return SAFE_METHODS.has(method) ? 'read' : 'write';
}

/**
 * Sign-in and filing draw on the address's counter even for a signed-in caller; so does any request
 * that tries a resident's access code (`X-Access-Code`), or any official could guess codes unthrottled.
 */
function exemptWithToken(bucket: RateBucket, request: FastifyRequest): boolean {
  return (bucket === 'read' || bucket === 'write') && request.headers['x-access-code'] === undefined;
}

function refusalText(request: FastifyRequest, seconds: number, byKey = false): string {
  if (byKey) {
    return languageOf(request) === 'en'
      ? `Too many requests with this api_key. Try again in ${seconds} seconds.`
      : `Terlalu banyak permintaan dengan api_key ini. Coba lagi dalam ${seconds} detik.`;
  }
  return languageOf(request) === 'en'
    ? `Too many requests from your address. Try again in ${seconds} seconds.`
    : `Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam ${seconds} detik.`;
}

/** Open311 clients parse Open311 errors (`[{code, description}]` or `<errors>`), not problem+json. */
function refuseOpen311(request: FastifyRequest, reply: FastifyReply, seconds: number, byKey = false): FastifyReply {
  const description = refusalText(request, seconds, byKey);
  void reply.code(429).header('Retry-After', String(seconds));
  const path = request.url.split('?')[0];
  if (path.endsWith('.xml')) {
    return reply
      .type('text/xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>429</code><description>${description}</description></error></errors>`);
  }
  return reply.type('application/json; charset=utf-8').send([{ code: 429, description }]);
}

/**
 * Limits requests per client address (`request.ip`, see `HTTP_TRUST_PROXY`) with counters in
 * Redis shared by every api replica. Runs on `onRequest`, before the body is read, so a refused
 * request costs one Redis round trip and writes nothing. Officials' calls with a valid bearer
 * token are not limited by address, unless they carry an access code; an invalid token is limited
 * like no token. If Redis is unavailable the limits lapse (with a warning) rather than take the
 * API down with it.
 *
 * Open311 filings (`POST requests`, form-encoded) are the exception: an aggregator files for
 * thousands of residents from one address, and its api_key travels in the body. They are counted
 * once the body is parsed (`preValidation`, still before anything is written): per key
 * (RATE_LIMIT_OPEN311_KEY) when the key is valid, per address (RATE_LIMIT_SUBMIT) when it is
 * missing or bad.
 */
export function installRateLimits(app: NestFastifyApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  if (!config.RATE_LIMIT_ENABLED) return;
  const limiter = new RateLimiter(app.get(REDIS), { prefix: config.RATE_LIMIT_PREFIX ?? `${config.QUEUE_PREFIX}:rate-limit` });
  const tokens = app.get(TokenService);
  const keys = app.get(ApiKeysService);
  const limits: Record<RateBucket, number> = {
    submit: config.RATE_LIMIT_SUBMIT,
    write: config.RATE_LIMIT_WRITE,
    read: config.RATE_LIMIT_READ,
    login: config.RATE_LIMIT_LOGIN,
  };
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const logger = new Logger('RateLimit');
  let warnedAt = 0;

  /** One hit; the seconds to wait when it is over the limit, else null (also when Redis is away). */
  const overLimit = async (bucket: string, client: string, limit: number): Promise<number | null> => {
    const decision = await limiter.hit(bucket, client, limit, windowMs);
    if (decision === null) {
      if (Date.now() - warnedAt > WARN_EVERY_MS) {
        warnedAt = Date.now();
        logger.warn('Redis is unavailable: rate limits are not enforced until it is back');
      }
      return null;
    }
    return decision.allowed ? null : decision.retryAfterSeconds;
  };
  const isOpen311Filing = (request: FastifyRequest) =>
    request.method === 'POST' && OPEN311_FILING_ROUTES.has(request.routeOptions.url ?? '') && FORM_TYPE.test(request.headers['content-type'] ?? '');

  app.getHttpAdapter().getInstance().addHook('onRequest', async (request, reply) => {
    const bucket = bucketFor(request.method, request.routeOptions.url ?? request.url.split('?')[0]);
    if (bucket === null || isOpen311Filing(request)) return;
    if (exemptWithToken(bucket, request) && request.headers.authorization !== undefined) {
      const principal = await authenticate(tokens, request).catch(() => null);
      if (principal) return;
    }
    const seconds = await overLimit(bucket, clientKey(request.ip), limits[bucket]);
    if (seconds === null) return;
    if (request.url.startsWith('/open311/')) return refuseOpen311(request, reply, seconds);
    throw new ProblemException(problem(429, refusalText(request, seconds)), { 'Retry-After': String(seconds) });
  });

  app.getHttpAdapter().getInstance().addHook('preValidation', async (request, reply) => {
    if (!isOpen311Filing(request)) return;
    const key = filingApiKey(request);
    const client = key === undefined ? null : await verifyApiKeyOnce(keys, request, key);
    const seconds = client
      ? await overLimit(KEY_BUCKET, client.id, config.RATE_LIMIT_OPEN311_KEY)
      : await overLimit('submit', clientKey(request.ip), limits.submit);
    if (seconds !== null) return refuseOpen311(request, reply, seconds, client !== null);
  });
}
