import { Principal, TokenService } from '@aduan/directory';
import { ProblemException } from '@aduan/platform';
import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

type AuthedRequest = FastifyRequest & { principal?: Principal };

/** Reads the bearer token; no token or a bad one is 401 before any handler runs. */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const principal = await authenticate(this.tokens, request);
    if (!principal) throw ProblemException.unauthorized();
    request.principal = principal;
    return true;
  }
}

/** One answer per request: the rate-limit hook, the guard and a controller all ask. */
const answers = new WeakMap<FastifyRequest, Promise<Principal | null>>();

/** The principal behind an `Authorization: Bearer` header, if any and valid (looked up once per request). */
export function authenticate(tokens: TokenService, request: FastifyRequest): Promise<Principal | null> {
  let answer = answers.get(request);
  if (!answer) {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+([A-Za-z0-9._-]+)$/i.exec(header.trim()) : null;
    answer = match ? tokens.authenticate(match[1]) : Promise.resolve(null);
    answers.set(request, answer);
  }
  return answer;
}

export const CurrentOfficial = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw ProblemException.unauthorized();
  return principal;
});
