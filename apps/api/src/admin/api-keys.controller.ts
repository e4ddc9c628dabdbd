import { ApiKeysService, hasRole, Principal } from '@aduan/directory';
import { ProblemException, safeText, ZodPipe } from '@aduan/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const newApiKeySchema = z.strictObject({
  name: safeText(1, 200),
  /** only for the bootstrap admin: the tenant the key files into (default: every tenant) */
  tenant: z.string().regex(/^\d{2}\.\d{2}$/, 'must be a tenant code like 36.73').optional(),
});

function requireAdmin(actor: Principal): void {
  if (!hasRole(actor, 'admin')) throw ProblemException.forbidden('Only administrators manage API keys.');
}

@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/admin/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Issue an API key for an Open311 client (admin). The key is in this answer only; Aduan keeps its hash. Audited (never the key).',
  })
  @ApiBody({ schema: z.toJSONSchema(newApiKeySchema) as object })
  @ApiResponse({ status: 201, description: '{id, name, api_key, tenant}' })
  async issue(
    @CurrentOfficial() actor: Principal,
    @Body(new ZodPipe(newApiKeySchema)) body: z.infer<typeof newApiKeySchema>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    requireAdmin(actor);
    const issued = await this.keys.issue(actor, body, request.id);
    void reply.header('Cache-Control', 'no-store');
    return { id: issued.id, name: issued.name, api_key: issued.apiKey, tenant: issued.tenantCode };
  }

  @Get()
  @ApiOperation({ summary: 'The API keys you administer, without the keys themselves (admin)' })
  async list(@CurrentOfficial() actor: Principal) {
    requireAdmin(actor);
    return this.keys.list(actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key at once (admin); clients using it get 403 from then on. Audited.' })
  @ApiParam({ name: 'id', description: 'the key’s id (not the key)' })
  async revoke(@CurrentOfficial() actor: Principal, @Param('id') id: string, @Req() request: FastifyRequest): Promise<void> {
    requireAdmin(actor);
    await this.keys.revoke(actor, id, request.id);
  }
}
