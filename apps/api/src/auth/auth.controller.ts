import { LoginThrottle, OfficialAccounts, OfficialsService, Principal, TokenService } from '@aduan/directory';
import { problem, ProblemException, safeText, ZodPipe } from '@aduan/platform';
import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from './auth.guard';

const loginSchema = z.strictObject({
  username: safeText(1, 100),
  password: z.string().min(1).max(1024),
});
const refreshSchema = z.strictObject({ refresh_token: z.string().min(20).max(200) });
// Passphrases welcome: length matters more than character classes (NIST SP 800-63B).
const passwordSchema = z.strictObject({ current_password: z.string().min(1).max(1024), new_password: z.string().min(12, 'at least 12 characters').max(256) });

/** 429 with Retry-After while the sign-in throttle holds this account and address. */
function throttled(seconds: number): ProblemException {
  return new ProblemException(problem(429, `Too many wrong passwords. Try again in ${seconds} seconds.`), { 'Retry-After': String(seconds) });
}

/** A session's tokens, as sign-in and refresh answer them (the console reads this type too). */
export interface SessionTokens {
  access_token: string;
  token_type: 'Bearer';
  /** seconds */
  expires_in: number;
  refresh_token: string;
}

export interface SignedIn extends SessionTokens {
  official: { username: string | undefined; name: string | undefined; roles: string[] | undefined; unit: string | null };
}

@ApiTags('officials')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly officials: OfficialsService,
    private readonly accounts: OfficialAccounts,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: a short-lived bearer token and a refresh token for the session' })
  @ApiBody({ schema: z.toJSONSchema(loginSchema) as object })
  async login(@Body(new ZodPipe(loginSchema)) body: z.infer<typeof loginSchema>, @Req() request: FastifyRequest): Promise<SignedIn> {
    const wait = await this.throttle.retryAfter(body.username, request.ip);
    if (wait > 0) throw throttled(wait);
    const official = await this.officials.verifyCredentials(body.username, body.password);
    if (!official) {
      await this.throttle.failed(body.username, request.ip);
      throw ProblemException.unauthorized('Wrong username or password.');
    }
    await this.throttle.succeeded(body.username, request.ip);
    const [tokens, who] = await Promise.all([this.tokens.startSession(official.id, request.ip), this.officials.describe(official.id)]);
    return {
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: tokens.expiresIn,
      refresh_token: tokens.refreshToken,
      official: { username: who?.username, name: who?.name, roles: who?.roles, unit: who?.unitCode ?? null },
    };
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new access token for a live session; the refresh token rotates (each works once)',
    description:
      'A rotated refresh token presented again ends the whole session (reuse detection, OAuth 2.0 Security BCP): 401, and every token of that session stops working. ' +
      'Within AUTH_REFRESH_REUSE_LEEWAY_SECONDS (10) of the rotation, while its successor has not been used, it gets that same successor instead (two tabs refreshing together).',
  })
  @ApiBody({ schema: z.toJSONSchema(refreshSchema) as object })
  async refresh(@Body(new ZodPipe(refreshSchema)) body: z.infer<typeof refreshSchema>): Promise<SessionTokens> {
    const tokens = await this.tokens.refresh(body.refresh_token);
    if (!tokens) throw ProblemException.unauthorized('The session has ended; sign in again.');
    return { access_token: tokens.accessToken, token_type: 'Bearer', expires_in: tokens.expiresIn, refresh_token: tokens.refreshToken };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(BearerGuard)
  @ApiOperation({ summary: 'End this session: its tokens stop working at once' })
  async logout(@CurrentOfficial() official: Principal & { sessionId?: string }) {
    if (official.sessionId) await this.tokens.revoke(official.sessionId, 'logout');
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @UseGuards(BearerGuard)
  @ApiOperation({
    summary: 'Change your password; every session of yours ends; audited',
    description:
      'A wrong current password is 403 and counts as a failed sign-in for your account from this address: past AUTH_LOGIN_FAILURES_PER_ADDRESS ' +
      '(or AUTH_LOGIN_FAILURES_PER_ACCOUNT from addresses that never signed in to it) the answer is 429 with Retry-After, even for the right password, until the window ends.',
  })
  @ApiBody({ schema: z.toJSONSchema(passwordSchema) as object })
  async password(@CurrentOfficial() official: Principal, @Body(new ZodPipe(passwordSchema)) body: z.infer<typeof passwordSchema>, @Req() request: FastifyRequest) {
    // The same secret sign-in guards, so the same counters: a stolen token is no way round them.
    const wait = await this.throttle.retryAfter(official.username, request.ip);
    if (wait > 0) throw throttled(wait);
    if (!(await this.accounts.changeOwnPassword(official, body.current_password, body.new_password, request.id))) {
      await this.throttle.failed(official.username, request.ip);
      throw ProblemException.forbidden('The current password is wrong.');
    }
    await this.throttle.succeeded(official.username, request.ip);
  }
}
