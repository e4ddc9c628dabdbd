import { OfficialAccounts, Principal, ROLES } from '@aduan/directory';
import { ProblemException, safeText, ZodPipe } from '@aduan/platform';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const USERNAME = /^[a-z0-9._-]{3,64}$/i;
const unitCode = z.string().regex(/^[A-Z]{3,4}\.[0-9.]+(\.[A-Z0-9_]+)?$/, 'must be a unit code');
const roles = z.array(z.enum(ROLES)).min(1).max(3);
// Passphrases welcome: length matters more than character classes (NIST SP 800-63B).
const password = z.string().min(12, 'at least 12 characters').max(256);

const newOfficialSchema = z.strictObject({
  username: z.string().regex(USERNAME, '3–64 letters, digits, dots, dashes or underscores'),
  name: safeText(1, 200),
  password,
  unit: unitCode,
  roles,
  /** where the unit's notices are mailed (optional) */
  email: z.email().max(254).optional(),
});

const changesSchema = z
  .strictObject({
    name: safeText(1, 200).optional(),
    /** null removes the address */
    email: z.email().max(254).nullable().optional(),
    unit: unitCode.optional(),
    roles: roles.optional(),
    /** false deactivates the account and ends its sessions at once */
    active: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'send at least one of name, email, unit, roles, active' });

const resetSchema = z.strictObject({ new_password: password });

const listQuery = z.strictObject({
  tenant: z.string().regex(/^\d{2}\.\d{2}$/, 'must be a tenant code like 36.73').optional(),
  unit: unitCode.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});

const officialSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    username: { type: 'string' },
    name: { type: 'string' },
    email: { type: ['string', 'null'] },
    tenant: { type: ['string', 'null'] },
    unit: { type: ['string', 'null'] },
    roles: { type: 'array', items: { type: 'string', enum: [...ROLES] } },
    active: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

const SEPARATION_OF_DUTIES =
  'Separation of duties: granting `inspector` or `admin`, and any account in an Inspektorat (`INSP.*`) or holding either role, ' +
  'are for the platform (bootstrap) administrator only; a tenant administrator asking gets 403.';

/** A username in a path: one that cannot exist is the same 404 as one that does not. */
function usernameParam(value: string): string {
  if (!USERNAME.test(value)) throw ProblemException.notFound('No such official in the tenants you administer.');
  return value;
}

@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/admin/officials')
export class OfficialsController {
  constructor(private readonly accounts: OfficialAccounts) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an official in a unit (admin of that unit’s tenant); audited', description: SEPARATION_OF_DUTIES })
  @ApiBody({ schema: z.toJSONSchema(newOfficialSchema) as object })
  @ApiResponse({ status: 201, schema: officialSchema })
  create(@CurrentOfficial() actor: Principal, @Body(new ZodPipe(newOfficialSchema)) body: z.infer<typeof newOfficialSchema>, @Req() request: FastifyRequest) {
    return this.accounts.create(actor, body, request.id);
  }

  @Get()
  @ApiOperation({
    summary: 'The officials of a tenant, by username (admin)',
    description: '`tenant` defaults to your own; the platform administrator without one sees every account. Filter by `unit`; paged by `page`, `page_size` (≤ 200).',
  })
  @ApiResponse({ status: 200, schema: { type: 'object', properties: { items: { type: 'array', items: officialSchema }, page: { type: 'integer' }, page_size: { type: 'integer' }, total: { type: 'integer' } } } })
  list(@CurrentOfficial() actor: Principal, @Query(new ZodPipe(listQuery, 'query')) query: z.infer<typeof listQuery>) {
    return this.accounts.list(actor, query);
  }

  @Patch(':username')
  @ApiOperation({
    summary: 'Change an official’s name, email, unit, roles or active flag (admin); audited with each field’s old and new value',
    description: `Deactivating ends the official's sessions at once. ${SEPARATION_OF_DUTIES}`,
  })
  @ApiParam({ name: 'username' })
  @ApiBody({ schema: z.toJSONSchema(changesSchema) as object })
  @ApiResponse({ status: 200, schema: officialSchema })
  update(
    @CurrentOfficial() actor: Principal,
    @Param('username') username: string,
    @Body(new ZodPipe(changesSchema)) body: z.infer<typeof changesSchema>,
    @Req() request: FastifyRequest,
  ) {
    return this.accounts.update(actor, usernameParam(username), body, request.id);
  }

  @Post(':username/password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password for an official (admin); every session of theirs ends; audited', description: SEPARATION_OF_DUTIES })
  @ApiParam({ name: 'username' })
  @ApiBody({ schema: z.toJSONSchema(resetSchema) as object })
  async resetPassword(
    @CurrentOfficial() actor: Principal,
    @Param('username') username: string,
    @Body(new ZodPipe(resetSchema)) body: z.infer<typeof resetSchema>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.accounts.resetPassword(actor, usernameParam(username), body.new_password, request.id);
  }

  @Post(':username/erase')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase an official’s personal data (admin; UU 27/2022): name, username and email go, the account can never sign in again; audited by id',
    description:
      'The audit log names officials only by id, so their entries stay and stay verifiable; trails then show the account as erased. ' +
      `409 for your own account. ${SEPARATION_OF_DUTIES}`,
  })
  @ApiParam({ name: 'username' })
  @ApiResponse({ status: 200, schema: officialSchema })
  erase(@CurrentOfficial() actor: Principal, @Param('username') username: string, @Req() request: FastifyRequest) {
    return this.accounts.erase(actor, usernameParam(username), request.id);
  }
}
