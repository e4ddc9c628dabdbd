import { Principal } from '@aduan/directory';
import { ZodPipe } from '@aduan/platform';
import { RoutingRuleInput, routingRuleSchema, RoutingRulesService } from '@aduan/routing';
import { SlaAdminService, SlaPolicyInput, slaPolicySchema } from '@aduan/sla';
import { Body, Controller, Get, Param, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const tenantQuery = z.strictObject({ tenant: z.string().regex(/^\d{2}\.\d{2}$/, 'must be a tenant code like 36.73') });
const categoryParam = z.string().regex(/^[A-Z0-9_]{1,64}$/, 'must be a category code');

@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/admin')
export class RulesController {
  constructor(private readonly rules: RoutingRulesService, private readonly sla: SlaAdminService) {}

  @Get('routing-rules/:category')
  @ApiOperation({ summary: 'Who handles a category in a tenant' })
  @ApiQuery({ name: 'tenant', example: '36.73' })
  getRule(@CurrentOfficial() actor: Principal, @Param('category') category: string, @Query(new ZodPipe(tenantQuery, 'query')) q: z.infer<typeof tenantQuery>) {
    return this.rules.get(actor, q.tenant, new ZodPipe(categoryParam, 'query').transform(category));
  }

  @Put('routing-rules/:category')
  @ApiOperation({ summary: 'Change who handles a category: audited, effective for the next complaint routed' })
  @ApiBody({ schema: z.toJSONSchema(routingRuleSchema) as object })
  putRule(
    @CurrentOfficial() actor: Principal,
    @Param('category') category: string,
    @Query(new ZodPipe(tenantQuery, 'query')) q: z.infer<typeof tenantQuery>,
    @Body(new ZodPipe(routingRuleSchema)) body: RoutingRuleInput,
    @Req() request: FastifyRequest,
  ) {
    return this.rules.put(actor, q.tenant, new ZodPipe(categoryParam, 'query').transform(category), body, request.id);
  }

  @Get('sla/:category')
  @ApiOperation({ summary: 'The deadlines of a category in a tenant (defaults when not configured)' })
  getSla(@CurrentOfficial() actor: Principal, @Param('category') category: string, @Query(new ZodPipe(tenantQuery, 'query')) q: z.infer<typeof tenantQuery>) {
    return this.sla.get(actor, q.tenant, new ZodPipe(categoryParam, 'query').transform(category));
  }

  @Put('sla/:category')
  @ApiOperation({ summary: 'Set the deadlines: each {working_days: N} or {duration: "PT10S"} (wall-clock, for drills)' })
  @ApiBody({ schema: z.toJSONSchema(slaPolicySchema, { unrepresentable: 'any' }) as object })
  putSla(
    @CurrentOfficial() actor: Principal,
    @Param('category') category: string,
    @Query(new ZodPipe(tenantQuery, 'query')) q: z.infer<typeof tenantQuery>,
    @Body(new ZodPipe(slaPolicySchema)) body: SlaPolicyInput,
    @Req() request: FastifyRequest,
  ) {
    return this.sla.put(actor, q.tenant, new ZodPipe(categoryParam, 'query').transform(category), body, request.id);
  }
}
