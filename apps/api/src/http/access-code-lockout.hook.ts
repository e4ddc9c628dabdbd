import { APP_CONFIG, AppConfig, clientKey, FailureLockout, problem, ProblemException, REDIS } from '@aduan/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { languageOf } from './request-context';

/** The resident routes that check `X-Access-Code`; the GETs only when no bearer token takes the official's way. */
const ACCESS_CODE_ROUTES: Record<string, 'always' | 'without-token'> = {
  'GET /api/v1/complaints/:trackingNumber': 'without-token',
  'GET /api/v1/complaints/:trackingNumber/photos': 'without-token',
  'GET /api/v1/complaints/:trackingNumber/photos/:photoId': 'without-token',
  'POST /api/v1/complaints/:trackingNumber/photos': 'always',
  'POST /api/v1/complaints/:trackingNumber/replies': 'always',
  'POST /api/v1/complaints/:trackingNumber/feedback': 'always',
};

/** The tracking number a request tries an access code for, or null when it tries none. */
export function accessCodeAttempt(request: Pick<FastifyRequest, 'method' | 'headers' | 'params'> & { routeOptions: { url?: string } }): string | null {
  const when = ACCESS_CODE_ROUTES[`${request.method} ${request.routeOptions.url ?? ''}`];
  if (!when || request.headers['x-access-code'] === undefined) return null;
  if (when === 'without-token' && request.headers.authorization !== undefined) return null;
  const trackingNumber = (request.params as { trackingNumber?: unknown }).trackingNumber;
  return typeof trackingNumber === 'string' ? trackingNumber.trim().toUpperCase() : null;
}

function refusal(request: FastifyRequest, seconds: number): ProblemException {
  const detail = languageOf(request) === 'en'
    ? `Too many wrong access codes for this complaint from your address. Try again in ${seconds} seconds.`
    : `Terlalu banyak kode akses salah untuk pengaduan ini dari alamat Anda. Coba lagi dalam ${seconds} detik.`;
  return new ProblemException(problem(429, detail), { 'Retry-After': String(seconds) });
}

/**
 * Wrong access codes for one complaint from one address (ACCESS_CODE_MAX_FAILURES in a window of
 * ACCESS_CODE_LOCKOUT_SECONDS) lock that pair out with 429 and Retry-After, shared by every api
 * replica through Redis. A wrong code and a tracking number that was never issued are the same
 * 404, so they count the same and the lockout tells nobody what exists. The right code forgets
 * the pair's failures.
 */
export function installAccessCodeLockout(app: NestFastifyApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const lockout = new FailureLockout(app.get(REDIS), {
    prefix: `${config.QUEUE_PREFIX}:access-code`,
    maxFailures: config.ACCESS_CODE_MAX_FAILURES,
    windowMs: config.ACCESS_CODE_LOCKOUT_SECONDS * 1000,
  });
  const attempts = new WeakMap<FastifyRequest, { subject: string; client: string; failures: number }>();
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addHook('onRequest', async (request) => {
    const subject = accessCodeAttempt(request);
    if (subject === null) return;
    const client = clientKey(request.ip);
    const state = await lockout.check(subject, client);
    if (state === null) return;
    if (state.retryAfterSeconds > 0) throw refusal(request, state.retryAfterSeconds);
    attempts.set(request, { subject, client, failures: state.failures });
  });

  fastify.addHook('onResponse', async (request, reply) => {
    const attempt = attempts.get(request);
    if (!attempt) return;
    if (reply.statusCode === 404) await lockout.failed(attempt.subject, attempt.client);
    else if (reply.statusCode < 300 && attempt.failures > 0) await lockout.succeeded(attempt.subject, attempt.client);
  });
}
