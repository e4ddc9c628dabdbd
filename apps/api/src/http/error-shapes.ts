import { problem, ProblemFilter, sendProblem } from '@aduan/platform';
import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { ConnectionError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { formatOfPath, open311Document, Open311ExceptionFilter, sendOpen311Failure } from '../open311/open311-http';

/** Open311 clients read Open311's error document, not problem+json. */
export function isOpen311Path(path: string): boolean {
  return path.startsWith('/open311/');
}

/**
 * The app-wide exception filter: every error that no controller's own filter took (a body that is
 * not valid JSON, too large or of the wrong type, an unknown route, a hook's refusal) answers
 * Open311's error document on the Open311 paths and problem+json everywhere else.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly problems = new ProblemFilter();
  private readonly open311 = new Open311ExceptionFilter();

  catch(error: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    (isOpen311Path(request.url) ? this.open311 : this.problems).catch(error, host);
  }
}

/** Fastify's `frameworkErrors` (a malformed URL, an over-long path parameter), in the same shapes. */
export function sendFrameworkError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const logger = new Logger('HTTP');
  if (isOpen311Path(request.url)) sendOpen311Failure(reply, error, logger, request);
  else sendProblem(reply, error, logger, request);
}

const CLIENT_ERROR_DETAIL: Record<number, string> = {
  400: 'The request is not valid HTTP (a header may hold a character it must not).',
  408: 'The request took too long to arrive.',
  431: 'The request headers are too large.',
};

/** The path of the request line at the start of what the parser was reading, if it is there. */
function requestPath(raw: unknown): string | null {
  if (!Buffer.isBuffer(raw)) return null;
  const line = raw.toString('latin1', 0, Math.min(raw.length, 8192)).split('\r\n', 1)[0];
  return /^[A-Z]+ (\/[^ ?#]*)/.exec(line)?.[1] ?? null;
}

/**
 * Node's `clientError`: what its HTTP parser refuses before a request exists (headers too large,
 * a NUL or other bad byte in a header, a request that never finished arriving) never reaches
 * Fastify's routes or Nest's filters. Answered here on the socket, in the same shapes: Open311's
 * document when the request line names an Open311 path, problem+json otherwise; then the
 * connection closes, since the parser cannot go on.
 */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    // Node hands over the bytes it was parsing (typed by Fastify as their JSON form).
    const path = requestPath((error as { rawPacket?: unknown }).rawPacket);
    const { contentType, body } =
      path !== null && isOpen311Path(path)
        ? open311Document(formatOfPath(path), 'errors', [{ code: status, description: CLIENT_ERROR_DETAIL[status] }])
        : { contentType: 'application/problem+json', body: JSON.stringify(problem(status, CLIENT_ERROR_DETAIL[status])) };
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
