import { HttpException } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, the one shape of every JSON error. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const SLUGS: Record<number, string> = {
  400: 'malformed-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  409: 'conflict',
  410: 'gone',
  413: 'content-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  422: 'validation-failed',
  429: 'rate-limited',
  431: 'headers-too-large',
  500: 'internal-error',
  503: 'dependency-unavailable',
};

export function problem(status: number, detail: string, errors?: FieldError[]): ProblemDocument {
  return {
    type: `https://aduan.go.id/problems/${SLUGS[status] ?? 'error'}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** Throw this from anywhere in the HTTP path; the filter renders it as problem+json. */
export class ProblemException extends HttpException {
  constructor(readonly document: ProblemDocument, readonly headers: Record<string, string> = {}) {
    super(document, document.status);
  }

  static badRequest(detail: string, errors?: FieldError[]): ProblemException {
    return new ProblemException(problem(400, detail, errors));
  }
  static unauthorized(detail = 'Missing or invalid credentials.'): ProblemException {
    return new ProblemException(problem(401, detail), { 'WWW-Authenticate': 'Bearer' });
  }
  static forbidden(detail = 'You are not allowed to do this.'): ProblemException {
    return new ProblemException(problem(403, detail));
  }
  static notFound(detail = 'Not found.'): ProblemException {
    return new ProblemException(problem(404, detail));
  }
  static conflict(detail: string): ProblemException {
    return new ProblemException(problem(409, detail));
  }
  static unprocessable(detail: string, errors?: FieldError[]): ProblemException {
    return new ProblemException(problem(422, detail, errors));
  }
  static unavailable(detail: string): ProblemException {
    return new ProblemException(problem(503, detail));
  }
}
