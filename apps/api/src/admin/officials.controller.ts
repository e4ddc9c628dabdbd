import { OfficialsService, Principal, ROLES } from '@aduan/directory';
import { ProblemException, safeText, ZodPipe } from '@aduan/platform';
import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const newOfficialSchema = z.strictObject({
  username: z.string().regex(/^[a-z0-9._-]{3,64}$/i, '3–64 letters, digits, dots, dashes or underscores'),
  name: safeText(1, 200),
  // Passphrases welcome: length matters more than character classes (NIST SP 800-63B).
  password: z.string().min(12, 'at least 12 characters').max(256),
  unit: z.string().regex(/^[A-Z]{3,4}\.[0-9.]+(\.[A-Z0-9_]+)?$/, 'must be a unit code'),
  roles: z.array(z.enum(ROLES)).min(1).max(3),
  /** where the unit's notices are mailed (optional) */
  email: z.email().max(254).optional(),
});

@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/admin/officials')
export class OfficialsController {
  constructor(private readonly officials: OfficialsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an official in a unit (admin of that unit’s tenant)' })
  @ApiBody({ schema: z.toJSONSchema(newOfficialSchema) as object })
  async create(@CurrentOfficial() actor: Principal, @Body(new ZodPipe(newOfficialSchema)) body: z.infer<typeof newOfficialSchema>) {
    if (!actor.roles.includes('admin')) throw ProblemException.forbidden('Only administrators create officials.');
    const created = await this.officials.create(actor, body);
    return { id: created.id, username: created.username, name: created.name, roles: created.roles, unit: body.unit, email: created.email };
  }
}
