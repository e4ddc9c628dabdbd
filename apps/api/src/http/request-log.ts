import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { routeOf } from '../metrics/http-metrics';

/**
 * One log line per answered request: method, route template (never the path or query, which may
 * hold a tracking number or an api_key), status, duration and request id (the X-Request-Id the
 * client got back). No headers, body or client address.
 */
export function installRequestLog(app: NestFastifyApplication): void {
  const logger = new Logger('http');
  app.getHttpAdapter().getInstance().addHook('onResponse', async (request, reply) => {
    logger.log({
      msg: 'request',
      method: request.method,
      route: routeOf(request),
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 10) / 10,
      request_id: request.id,
    });
  });
}
