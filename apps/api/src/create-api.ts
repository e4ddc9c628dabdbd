import { JsonLogger, loadConfig, problem, ProblemException } from '@aduan/platform';
import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { ApiModule } from './api.module';
import { installQueueBoard } from './admin/queue-board';
import { isPhotoUpload, registerPhotoUploadParser } from './complaints/photo-upload';
import { registerOpen311FormParser } from './open311/open311-form-parser';
import { installAccessCodeLockout } from './http/access-code-lockout.hook';
import { answerClientError, sendFrameworkError } from './http/error-shapes';
import { installRateLimits } from './http/rate-limit.hook';
import { installRequestLog } from './http/request-log';
import { installHttpMetrics } from './metrics/http-metrics';

/** 64 KiB is far above the largest valid JSON complaint (4000 characters of description). */
export const JSON_BODY_LIMIT = 64 * 1024;
const JSON_ONLY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Builds the HTTP app (used by main.ts and by the e2e tests); it logs JSON lines at LOG_LEVEL unless
 * given another logger. `shutdownHooks: false` leaves the signals to the caller (main.ts stops
 * taking requests before the app closes its pools).
 */
export async function createApi(options: { logger?: false | LoggerService; shutdownHooks?: boolean } = {}): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const adapter = new FastifyAdapter({
    bodyLimit: JSON_BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Whose X-Forwarded-For to believe (HTTP_TRUST_PROXY): by default nobody's, so a forged
    // header cannot choose the address that rate limits count.
    trustProxy: config.HTTP_TRUST_PROXY,
    // Fastify's own request log would record URLs and headers; Aduan's (request-log.ts) records route templates.
    logger: false,
    // A malformed URL or an over-long path parameter never reaches a route (nor Nest's filters):
    // without this Fastify answers with its own JSON, which echoes the URL and names its internals.
    frameworkErrors: sendFrameworkError,
    // Nor does what Node's HTTP parser refuses (431, a NUL in a header): Fastify's default is raw JSON.
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, adapter, {
    logger: options.logger ?? new JsonLogger(config.LOG_LEVEL),
    bufferLogs: false,
    // Fastify parses JSON itself; Nest's parsers would claim form bodies that only /open311 may take.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // GeoReport v2 POSTs are form-encoded; only the /open311 paths accept that.
  registerOpen311FormParser(app, JSON_BODY_LIMIT);
  // Photo uploads are the image itself as the body; only their route accepts that.
  registerPhotoUploadParser(fastify);
  installHttpMetrics(app);
  installRequestLog(app);
  installRateLimits(app);
  installAccessCodeLockout(app);
  installQueueBoard(app);
  // JSON endpoints take JSON only: anything else is 415 before it reaches a handler.
  fastify.addHook('preValidation', async (request) => {
    if (!JSON_ONLY_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
    if (isPhotoUpload(request)) return;
    const type = request.headers['content-type'];
    const empty = request.body === undefined || request.body === null;
    if (type === undefined ? !empty : !/^application\/json\s*(;|$)/i.test(type)) {
      throw new ProblemException(problem(415, 'Send the request body as application/json.'));
    }
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
    void reply.header('X-Content-Type-Options', 'nosniff');
    void reply.header('Referrer-Policy', 'no-referrer');
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Aduan API')
      .setDescription('Resident complaints and public-service routing. Errors are RFC 9457 problem details.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  return app;
}
