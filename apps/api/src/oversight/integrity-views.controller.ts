import { IntegrityViewsQuery, pingPongFilterSchema, ruleChangesFilterSchema, VIEW_COLUMNS, ViewFilter, viewFilterSchema, ViewName } from '@aduan/complaints';
import { Principal } from '@aduan/directory';
import { toCsv, ZodPipe } from '@aduan/platform';
import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const COMMON =
  'Inspectors only, their own tenant (403 for anyone else). Filters: `from`, `to` (ISO 8601 with offset), `limit` (≤ 5000, default 500). ' +
  '`format=csv` or `Accept: text/csv` gives a CSV file (UTF-8 with BOM, every cell quoted, a cell a spreadsheet would run as a formula prefixed with an apostrophe).';

const wantsCsv = (f: ViewFilter, accept: string | undefined) => f.format === 'csv' || (f.format === undefined && !!accept && /text\/csv/i.test(accept));

/** The Inspektorat's integrity views: JSON `{view, items}` or CSV (see docs, Oversight). */
@ApiTags('oversight')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/oversight/views')
export class IntegrityViewsController {
  constructor(private readonly views: IntegrityViewsQuery) {}

  @Get('reveals')
  @ApiOperation({ summary: 'Every reveal of a reporter: when, which complaint, by whom, from which unit, and the reason', description: COMMON })
  @ApiProduces('application/json', 'text/csv')
  async reveals(@CurrentOfficial() p: Principal, @Query(new ZodPipe(viewFilterSchema, 'query')) f: ViewFilter, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('reveals', await this.views.reveals(p, f), wantsCsv(f, accept), reply);
  }

  @Get('rule-changes')
  @ApiOperation({ summary: 'Every change of a routing rule, an SLA policy or the marker list: what, before and after, by whom', description: `${COMMON} \`kind\`: routing_rule, sla_policy or marker.` })
  @ApiQuery({ name: 'kind', required: false, enum: ['routing_rule', 'sla_policy', 'marker'] })
  @ApiProduces('application/json', 'text/csv')
  async ruleChanges(
    @CurrentOfficial() p: Principal,
    @Query(new ZodPipe(ruleChangesFilterSchema, 'query')) f: z.infer<typeof ruleChangesFilterSchema>,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer('rule-changes', await this.views.ruleChanges(p, f), wantsCsv(f, accept), reply);
  }

  @Get('accused')
  @ApiOperation({ summary: 'Complaints about officials: the accused units, the review, where each complaint is and every unit it went to', description: COMMON })
  @ApiProduces('application/json', 'text/csv')
  async accused(@CurrentOfficial() p: Principal, @Query(new ZodPipe(viewFilterSchema, 'query')) f: ViewFilter, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('accused', await this.views.accused(p, f), wantsCsv(f, accept), reply);
  }

  @Get('ping-pong')
  @ApiOperation({ summary: 'Complaints forwarded or returned at least `min_handoffs` times (default 3: more than twice), with the units they passed through', description: COMMON })
  @ApiQuery({ name: 'min_handoffs', required: false })
  @ApiProduces('application/json', 'text/csv')
  async pingPong(
    @CurrentOfficial() p: Principal,
    @Query(new ZodPipe(pingPongFilterSchema, 'query')) f: z.infer<typeof pingPongFilterSchema>,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer('ping-pong', await this.views.pingPong(p, f), wantsCsv(f, accept), reply);
  }

  @Get('rejections')
  @ApiOperation({ summary: 'Rejections per unit (duplicate, invalid, out of scope) against what it received, and the rate of its peers (same unit type)', description: COMMON })
  @ApiProduces('application/json', 'text/csv')
  async rejections(@CurrentOfficial() p: Principal, @Query(new ZodPipe(viewFilterSchema, 'query')) f: ViewFilter, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('rejections', await this.views.rejections(p, f), wantsCsv(f, accept), reply);
  }

  @Get('accounts')
  @ApiOperation({ summary: 'Accounts created or given roles: whose, which roles (before and after), by whom', description: COMMON })
  @ApiProduces('application/json', 'text/csv')
  async accounts(@CurrentOfficial() p: Principal, @Query(new ZodPipe(viewFilterSchema, 'query')) f: ViewFilter, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer('accounts', await this.views.accounts(p, f), wantsCsv(f, accept), reply);
  }

  private answer(view: ViewName, items: readonly object[], csv: boolean, reply: FastifyReply) {
    void reply.header('Cache-Control', 'no-store');
    if (!csv) return { view, items };
    void reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="aduan-${view}.csv"`);
    return toCsv(VIEW_COLUMNS[view], items);
  }
}
