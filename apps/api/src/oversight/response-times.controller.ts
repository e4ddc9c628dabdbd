import { Principal } from '@aduan/directory';
import { csvLines, ZodPipe } from '@aduan/platform';
import { BREACH_COLUMNS, BreachesFilter, breachesFilterSchema, RESPONSE_TIME_COLUMNS, ResponseTimesFilter, responseTimesFilterSchema, ResponseTimesQuery } from '@aduan/sla';
import { Controller, Get, Headers, Param, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const ACCESS =
  'Inspectors: their tenant. Administrators: a tenant\'s figures (the platform admin names it with `tenant`), never which complaint. ' +
  'A unit\'s officials: only their own unit (another unit is 403). Definitions: docs/response-times.md. ' +
  '`format=csv` or `Accept: text/csv` streams a CSV file row by row (UTF-8 with BOM, every cell quoted, formula-like cells prefixed with an apostrophe).';

const wantsCsv = (f: { format?: string }, accept: string | undefined) => f.format === 'csv' || (f.format === undefined && !!accept && /text\/csv/i.test(accept));

function csvFile(name: string, columns: readonly string[], rows: AsyncIterable<object> | Iterable<object>): StreamableFile {
  return new StreamableFile(Readable.from(csvLines(columns, rows)), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="aduan-${name}.csv"` });
}

/** The Inspektorat's response times and missed deadlines (docs/response-times.md). */
@ApiTags('oversight')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/oversight')
export class ResponseTimesController {
  constructor(private readonly figures: ResponseTimesQuery) {}

  @Get('response-times')
  @ApiOperation({
    summary: 'Response times per unit, category, kelurahan, kecamatan or tenant over a period: first response and resolution (median, p90, share within the deadline) in hours and hari kerja, reopen rate, satisfaction, backlog now',
    description: `${ACCESS} Filters: \`from\`, \`to\` (default the last 90 days), \`group_by\`, \`unit\`, \`category\`, \`kecamatan\`, \`kelurahan\`; \`sort=missed_first_response\` puts the units that miss most first; \`limit\`, \`offset\`.`,
  })
  @ApiProduces('application/json', 'text/csv')
  async responseTimes(
    @CurrentOfficial() p: Principal,
    @Query(new ZodPipe(responseTimesFilterSchema, 'query')) f: ResponseTimesFilter,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('Cache-Control', 'no-store');
    const csv = wantsCsv(f, accept);
    const answer = await this.figures.figures(p, f, csv);
    return csv ? csvFile('response-times', RESPONSE_TIME_COLUMNS, answer.items) : answer;
  }

  @Get('response-times/units/:code')
  @ApiOperation({ summary: 'One unit\'s response times over a period, and the same by category', description: ACCESS })
  @ApiParam({ name: 'code', example: 'KEC.36.73.01' })
  async unit(@CurrentOfficial() p: Principal, @Param('code') code: string, @Query(new ZodPipe(responseTimesFilterSchema.omit({ unit: true, group_by: true }), 'query')) f: Omit<ResponseTimesFilter, 'unit' | 'group_by'>, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Cache-Control', 'no-store');
    return this.figures.unit(p, code, f);
  }

  @Get('breaches')
  @ApiOperation({
    summary: 'Missed deadlines, newest first: who held the complaint when the deadline passed, and what happened next',
    description: `${ACCESS} Filters: \`from\`, \`to\` (when the deadline passed; default the last 90 days), \`unit\` (who held it), \`kind\`; \`limit\` (≤ 1000) and \`before\` (the answer's \`next_before\`) page. The CSV holds every row of the filter.`,
  })
  @ApiProduces('application/json', 'text/csv')
  async breaches(
    @CurrentOfficial() p: Principal,
    @Query(new ZodPipe(breachesFilterSchema, 'query')) f: BreachesFilter,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('Cache-Control', 'no-store');
    if (!wantsCsv(f, accept)) return this.figures.breaches(p, f);
    const rows = this.figures.allBreaches(p, f);
    // The first page is read before the answer starts, so a refusal (403, 422) is still an error document, not a broken file.
    const first = await rows.next();
    async function* all() {
      if (first.done) return;
      yield first.value;
      yield* rows;
    }
    return csvFile('breaches', BREACH_COLUMNS, all());
  }
}
