import type { NestFastifyApplication } from '@nestjs/platform-fastify';

const FORM = 'application/x-www-form-urlencoded';

/** What Fastify itself throws for a media type it has no parser for. */
function unsupportedMediaType(): Error {
  return Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
}

/**
 * Parses form bodies with Node's URLSearchParams, for the Open311 paths only (GeoReport v2 POSTs
 * are form-encoded); anywhere else a form body is a 415. A repeated name becomes a list, and the
 * result has no prototype, so a field named `__proto__` is just a field. Registered through Nest,
 * so it replaces the adapter's default form parser instead of clashing with it.
 */
export function registerOpen311FormParser(app: NestFastifyApplication, bodyLimit: number): void {
  app.useBodyParser(FORM, { bodyLimit }, (request, body, done) => {
    if (!request.url.startsWith('/open311/')) {
      done(unsupportedMediaType(), undefined);
      return;
    }
    const fields = Object.create(null) as Record<string, string | string[]>;
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
      const seen = fields[name];
      fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
    }
    done(null, fields);
  });
}
