import { OfficialsService, TokenService } from '@aduan/directory';
import { ProblemException, ZodPipe } from '@aduan/platform';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

const loginSchema = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
});

@ApiTags('officials')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly officials: OfficialsService, private readonly tokens: TokenService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in as an official; returns a bearer token' })
  @ApiBody({ schema: z.toJSONSchema(loginSchema) as object })
  async login(@Body(new ZodPipe(loginSchema)) body: z.infer<typeof loginSchema>) {
    const official = await this.officials.verifyCredentials(body.username, body.password);
    if (!official) throw ProblemException.unauthorized('Wrong username or password.');
    const principal = await this.officials.principal(official.id);
    if (!principal) throw ProblemException.unauthorized('Wrong username or password.');
    return {
      access_token: this.tokens.issue(official.id),
      token_type: 'Bearer',
      expires_in: this.tokens.ttlSeconds,
      official: { username: principal.username, name: principal.name, roles: principal.roles, unit: principal.unitCode },
    };
  }
}
