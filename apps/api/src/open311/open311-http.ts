import type { AppConfig } from '@aduan/platform';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toXml } from './open311-xml';

export type Open311Format = 'xml' | 'json';

/** Item names of every Open311 list (XML needs them; JSON drops the wrappers). */
export const OPEN311_ITEMS = {
  services: 'service',
  service_requests: 'request',
  service_requests_updates: 'request_update',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
} as const;

const CONTENT_TYPES: Record<Open311Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface Open311ErrorEntry {
  code: number;
  description: string;
}

/**
 * A refusal in GeoReport v2's own terms: 400 for bad or missing arguments, 403 for a missing or
 * bad api_key, 404 for what does not exist. The body lists one entry per problem.
 */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    readonly errors: Open311ErrorEntry[],
  ) {
    super(errors.map((e) => e.description).join(' '));
  }

  static of(status: 400 | 403 | 404, description: string, code: number = status): Open311Error {
    return new Open311Error(status, [{ code, description }]);
  }
}

const HOST = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/;

/** Where this API is reached from outside: PUBLIC_URL, else the request's own scheme and (well-formed) host. */
export function publicBaseUrl(config: AppConfig, request: FastifyRequest): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const host = HOST.test(request.host) ? request.host : 'localhost';
  return `${request.protocol}://${host}`;
}

/** `services.json` → `services`, `json`; null when the extension is not one Aduan serves. */
export function splitFormat(segment: string): { name: string; format: Open311Format } | null {
  const match = /^(.+)\.(xml|json)$/.exec(segment);
  return match ? { name: match[1], format: match[2] as Open311Format } : null;
}

/** The format a request asked for, from its path; XML (the spec's required format) otherwise. */
export function formatOf(request: FastifyRequest): Open311Format {
  const path = request.url.split('?')[0];
  return /\.json$/i.test(path) ? 'json' : 'xml';
}

/** Sends a document: in XML under `root`, in JSON as the bare value (the Spark convention). */
export function sendOpen311(reply: FastifyReply, format: Open311Format, root: string, value: unknown, status = 200): void {
  const body = format === 'json' ? JSON.stringify(value) : toXml(root, value, OPEN311_ITEMS);
  void reply.status(status).header('Content-Type', CONTENT_TYPES[format]).header('Cache-Control', 'no-store').send(body);
}

/**
 * Renders every error on the Open311 paths as `<errors>` / `[{code, description}]`. Unexpected
 * failures are logged by route pattern only: Open311 clients may put their api_key in the URL.
 */
@Catch()
export class Open311ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Open311');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    let status: number;
    let errors: Open311ErrorEntry[];
    if (error instanceof Open311Error) {
      status = error.status;
      errors = error.errors;
    } else if (error instanceof HttpException && error.getStatus() < 500) {
      status = error.getStatus() === 404 ? 404 : 400;
      errors = [{ code: status, description: status === 404 ? 'Not found.' : 'The request could not be understood.' }];
    } else {
      this.logger.error(`${request.method} ${request.routeOptions?.url ?? ''} failed: ${(error as Error)?.stack ?? String(error)}`);
      status = 500;
      errors = [{ code: 500, description: 'Something went wrong on our side; please try again later.' }];
    }
    sendOpen311(reply, formatOf(request), 'errors', errors, status);
  }
}
