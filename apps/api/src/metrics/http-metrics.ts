import { APP_CONFIG, AppConfig, metricsAuthorized, MetricsRegistry, problem } from '@aduan/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram } from 'prom-client';

/** Routes that accept a new complaint, and the channel each one counts as. */
const INTAKE_ROUTES: Record<string, string> = {
  'POST /api/v1/complaints': 'api',
  'POST /open311/v2/requests.json': 'open311',
  'POST /open311/v2/requests.xml': 'open311',
};

/** The route template a request matched; never the raw path (it may hold a tracking number). */
export function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * `/metrics` on the api, for Prometheus: HTTP requests by route and status with their durations,
 * and accepted complaints by channel. It answers only a bearer METRICS_TOKEN (404 without one set).
 */
export function installHttpMetrics(app: NestFastifyApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const { registry } = app.get(MetricsRegistry);
  const requests = new Counter({
    name: 'aduan_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'aduan_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const intake = new Counter({
    name: 'aduan_intake_total',
    help: 'Complaints accepted (answered 200 or 201, replays excluded), by channel: api (the web form and apps) or open311',
    labelNames: ['channel'],
    registers: [registry],
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = routeOf(request);
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    requests.inc(labels);
    durations.observe(labels, reply.elapsedTime / 1000);
    const channel = INTAKE_ROUTES[`${request.method} ${route}`];
    // A replay (same Idempotency-Key) answers the first filing again: not a new complaint.
    if (channel && (reply.statusCode === 200 || reply.statusCode === 201) && !reply.hasHeader('idempotent-replayed')) intake.inc({ channel });
  });
  fastify.get('/metrics', async (request, reply) => {
    if (!config.METRICS_TOKEN) {
      return reply.status(404).type('application/problem+json').send(problem(404, 'Not found.'));
    }
    if (!metricsAuthorized(request.headers.authorization, config.METRICS_TOKEN)) {
      return reply.status(401).type('application/problem+json').header('WWW-Authenticate', 'Bearer').send(problem(401, 'Send METRICS_TOKEN as a bearer token.'));
    }
    return reply.header('Cache-Control', 'no-store').type(registry.contentType).send(await registry.metrics());
  });
}
