import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isConnectionLost } from '../database/connection-errors';
import { DomainError } from '../errors/domain-error';
import { problem, ProblemDocument, ProblemException } from './problem';

const DOMAIN_STATUS = { invalid: 422, not_found: 404, conflict: 409, forbidden: 403, gone: 410 } as const;

/** Seconds a client is asked to wait after a lost database connection: about one reconnection. */
export const CONNECTION_LOST_RETRY_AFTER_SECONDS = 2;

/** Converts any error on the HTTP path to problem+json, without leaking internals. */
export function toProblem(error: unknown): { document: ProblemDocument; headers: Record<string, string> } {
  if (error instanceof ProblemException) return { document: error.document, headers: error.headers };
  if (error instanceof DomainError) {
    return { document: problem(DOMAIN_STATUS[error.kind], error.message, error.errors), headers: {} };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const detail = status === 404 ? 'Not found.' : status >= 500 ? 'Something went wrong on our side.' : error.message;
    return { document: problem(status, detail), headers: {} };
  }
  // A value PostgreSQL cannot store (NUL, a broken encoding) that slipped past validation is the
  // caller's bad input, not our failure: 400, and the transaction it was in has rolled back.
  const sqlState = (error as { driverError?: { code?: unknown }; code?: unknown })?.driverError?.code ?? (error as { code?: unknown })?.code;
  if (sqlState === '22021' || sqlState === '22P05' || sqlState === '54000') {
    return { document: problem(400, 'The request contains characters or sizes that cannot be stored.'), headers: {} };
  }
  // A request cut off by a lost PostgreSQL connection: its transaction rolled back; asking again shortly is right.
  if (isConnectionLost(error)) {
    return {
      document: problem(503, 'The database connection was lost before this request finished. Please try again in a moment (with the same Idempotency-Key, if you sent one).'),
      headers: { 'Retry-After': String(CONNECTION_LOST_RETRY_AFTER_SECONDS) },
    };
  }
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { document: problem(status, fastifyDetail(status, error)), headers: {} };
  }
  return { document: problem(500, 'Something went wrong on our side.'), headers: {} };
}

function fastifyDetail(status: number, error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (status === 413) return 'The request body is too large.';
  if (status === 414) return 'The URL is too long.';
  if (code === 'FST_ERR_BAD_URL') return 'The URL is not valid.';
  if (status === 415) return 'Unsupported media type; send application/json.';
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'The request body is empty.';
  if (code.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) return 'The request body is not valid JSON.';
  return 'The request could not be understood.';
}

export function sendProblem(reply: FastifyReply, error: unknown, logger: Logger, request?: FastifyRequest): void {
  const { document, headers } = toProblem(error);
  if (document.status === 503 && isConnectionLost(error)) {
    logger.warn(`${request?.method ?? ''} ${request?.routeOptions?.url ?? ''}: 503, database connection lost: ${(error as Error)?.message ?? String(error)}`);
  } else if (document.status >= 500) {
    logger.error(`${request?.method ?? ''} ${request?.routeOptions?.url ?? ''} failed: ${(error as Error)?.stack ?? String(error)}`);
  }
  void reply.status(document.status).headers(headers).type('application/problem+json').send(document);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getResponse<FastifyReply>(), error, this.logger, http.getRequest<FastifyRequest>());
  }
}
