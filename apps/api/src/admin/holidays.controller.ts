import { Principal } from '@aduan/directory';
import { ProblemException, ZodPipe } from '@aduan/platform';
import { HolidayTablesService, holidayTableBodySchema } from '@aduan/sla';
import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const yearParam = z.coerce.number().int().min(2000).max(2100);
const scopeQuery = z.strictObject({ tenant: z.string().regex(/^\d{2}\.\d{2}$/, 'must be a tenant code like 36.73').optional() });
type ScopeQuery = z.infer<typeof scopeQuery>;

const TENANT_QUERY = { name: 'tenant', required: false, example: '36.73', description: 'a tenant’s local holidays; without it, the national (SKB) table' } as const;

@ApiTags('administration')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/admin/holidays')
export class HolidaysController {
  constructor(private readonly tables: HolidayTablesService) {}

  @Get()
  @ApiOperation({
    summary: 'Each year’s holiday tables and their status (admin)',
    description:
      'Years with `status` official (the SKB table is loaded) or fallback (deadlines counting their days are provisional), the national table, ' +
      'the local tables the caller keeps, the re-arm each last change started (`last_change.rearm`: pending or done, deadlines checked and moved), ' +
      'and `warnings`: this year’s national table missing, or from 1 October next year’s.',
  })
  overview(@CurrentOfficial() actor: Principal) {
    return this.tables.overview(actor);
  }

  @Get(':year')
  @ApiOperation({ summary: 'A year’s table: the national libur nasional and cuti bersama, or a tenant’s local holidays; empty when not loaded' })
  @ApiParam({ name: 'year', example: 2027 })
  @ApiQuery(TENANT_QUERY)
  table(@Param('year', new ZodPipe(yearParam, 'query')) year: number, @Query(new ZodPipe(scopeQuery, 'query')) q: ScopeQuery) {
    return this.tables.table(year, q.tenant ?? null);
  }

  @Put(':year')
  @ApiOperation({
    summary: 'Load or revise a year’s table: the national one (system administrator) or a tenant’s local holidays (its admin)',
    description:
      'The body is a list of days `[{date, kind, name}]` (kind libur_nasional or cuti_bersama nationally, lokal for a tenant) or the file format ' +
      '`{year, source?, libur_nasional: [{date, name}], cuti_bersama: [...]}` (`lokal: [...]` for a tenant). Every date in the year, none twice. ' +
      'The table replaces the year’s; the change is audited, and a few seconds later every running deadline it moves is counted again and re-armed.',
  })
  @ApiParam({ name: 'year', example: 2027 })
  @ApiQuery(TENANT_QUERY)
  @ApiBody({ schema: z.toJSONSchema(holidayTableBodySchema) as object })
  @ApiResponse({ status: 200, description: 'the table as stored, as GET gives it' })
  put(
    @CurrentOfficial() actor: Principal,
    @Param('year', new ZodPipe(yearParam, 'query')) year: number,
    @Query(new ZodPipe(scopeQuery, 'query')) q: ScopeQuery,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    if (body === null || typeof body !== 'object') throw ProblemException.badRequest('The request body must be a JSON list of days or a table object.');
    return this.tables.put(actor, year, q.tenant ?? null, body, request.id);
  }

  @Delete(':year')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a year’s table: a national year falls back to the library list (deadlines provisional, re-armed); audited' })
  @ApiParam({ name: 'year', example: 2027 })
  @ApiQuery(TENANT_QUERY)
  async withdraw(
    @CurrentOfficial() actor: Principal,
    @Param('year', new ZodPipe(yearParam, 'query')) year: number,
    @Query(new ZodPipe(scopeQuery, 'query')) q: ScopeQuery,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    await this.tables.withdraw(actor, year, q.tenant ?? null, request.id);
  }
}
