import { toProblem, type AppConfig } from '@aduan/platform';
import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
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
  return formatOfPath(request.url.split('?')[0]);
}

/** The path's format: `.json` asks for JSON; anything else gets XML, the spec's required format. */
export function formatOfPath(path: string): Open311Format {
  return /\.json$/i.test(path) ? 'json' : 'xml';
}

/** A document: in XML under `root`, in JSON as the bare value (the Spark convention). */
export function open311Document(format: Open311Format, root: string, value: unknown): { contentType: string; body: string } {
  return { contentType: CONTENT_TYPES[format], body: format === 'json' ? JSON.stringify(value) : toXml(root, value, OPEN311_ITEMS) };
}

/** Sends a document: in XML under `root`, in JSON as the bare value (the Spark convention). */
export function sendOpen311(reply: FastifyReply, format: Open311Format, root: string, value: unknown, status = 200): void {
  const document = open311Document(format, root, value);
  void reply.status(status).header('Content-Type', document.contentType).header('Cache-Control', 'no-store').send(document.body);
}

/** Statuses an Open311 client is sent as they are; any other refusal is the spec's 400. */
const OPEN311_STATUSES = new Set([400, 403, 404, 413, 415, 429]);

/**
 * Any error in Open311's terms: an Open311Error as it says; anything else by the status and words
 * of its problem document (so a malformed body, one too large or of the wrong type keeps 400, 413,
 * 415), other refusals as 400; a lost database connection as 503 with Retry-After; failures as a bare 500.
 */
export function open311Failure(error: unknown): { status: number; errors: Open311ErrorEntry[]; headers: Record<string, string>; failed: boolean } {
  if (error instanceof Open311Error) return { status: error.status, errors: error.errors, headers: {}, failed: false };
  const { document, headers } = toProblem(error);
  if (document.status === 503) {
    return { status: 503, errors: [{ code: 503, description: document.detail }], headers, failed: true };
  }
  if (document.status >= 500) {
    return { status: 500, errors: [{ code: 500, description: 'Something went wrong on our side; please try again later.' }], headers: {}, failed: true };
  }
  const status = OPEN311_STATUSES.has(document.status) ? document.status : 400;
  const description = status === document.status ? document.detail : 'The request could not be understood.';
  return { status, errors: [{ code: status, description }], headers, failed: false };
}

/** Sends any error as Open311's error document; unexpected failures are logged by route pattern only (Open311 clients may put their api_key in the URL). */
export function sendOpen311Failure(reply: FastifyReply, error: unknown, logger: Logger, request: FastifyRequest): void {
  const failure = open311Failure(error);
  if (failure.failed) logger.error(`${request.method} ${request.routeOptions?.url ?? ''} failed: ${(error as Error)?.stack ?? String(error)}`);
  void reply.headers(failure.headers);
  sendOpen311(reply, formatOf(request), 'errors', failure.errors, failure.status);
}

/** Renders every error on the Open311 paths as `<errors>` / `[{code, description}]`. */
@Catch()
export class Open311ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Open311');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendOpen311Failure(http.getResponse<FastifyReply>(), error, this.logger, http.getRequest<FastifyRequest>());
  }
}
