import { AccusedReviewFilter, accusedReviewFilterSchema, AccusedReviewQuery, ComplaintViews, TriageAccusedCommand, TriageDecision } from '@aduan/complaints';
import { Principal } from '@aduan/directory';
import { ProblemException, safeText, ZodPipe } from '@aduan/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';
import { languageOf } from '../http/request-context';

const reason = safeText(10, 2000);
const confirmSchema = z.strictObject({
  reason,
  units: z.array(z.string().regex(/^[A-Z]{3,4}\.[0-9.]+(\.[A-Z0-9_]+)?$/, 'must be a unit code')).min(1).max(50).optional(),
});
const clearSchema = z.strictObject({ reason });

/**
 * The Inspektorat's review of complaints about officials: which units each may accuse, confirmed
 * or cleared with a reason. Inspectors only; audited in the complaint's chain.
 */
@ApiTags('oversight')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/oversight/conflicts')
export class ConflictsController {
  constructor(private readonly commands: CommandBus, private readonly review: AccusedReviewQuery, private readonly views: ComplaintViews) {}

  @Get()
  @ApiOperation({
    summary: 'Inspektorat only: complaints about officials, by review state (pending first by default), oldest first',
    description: 'Each item names the possibly-accused units, which cannot see the complaint. 403 for anyone but an inspector.',
  })
  list(@CurrentOfficial() official: Principal, @Query(new ZodPipe(accusedReviewFilterSchema, 'query')) filter: AccusedReviewFilter) {
    return this.review.page(official, filter);
  }

  @Post(':trackingNumber/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Inspektorat only: uphold the possibly-accused units, or replace them with the units found (`units`, unit codes)',
    description:
      'Audited with the reason. If the confirmed units include the unit holding the complaint, it leaves that unit and is routed again. ' +
      '200 with the official’s view; 404 outside your reach; 403 for a non-inspector; 409 when there is no set to confirm; 422 for an unknown unit.',
  })
  @ApiParam({ name: 'trackingNumber', example: 'ADN-261122-7K3QX9' })
  @ApiBody({ schema: z.toJSONSchema(confirmSchema) as object })
  confirm(
    @CurrentOfficial() official: Principal,
    @Param('trackingNumber') trackingNumber: string,
    @Body(new ZodPipe(confirmSchema)) body: z.infer<typeof confirmSchema>,
    @Req() request: FastifyRequest,
  ) {
    return this.decide(official, trackingNumber, { type: 'confirm', ...body }, request);
  }

  @Post(':trackingNumber/clear')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Inspektorat only: a false alarm — no official is accused; the complaint returns to normal routing',
    description:
      'Empties the accused set (audited with the reason). A complaint the Inspektorat holds leaves its inbox and is routed as any other ' +
      '(e.g. to the lurah); its privacy settings stay. 200 with the view; 404 outside your reach; 403 for a non-inspector; 409 when nothing is accused.',
  })
  @ApiParam({ name: 'trackingNumber', example: 'ADN-261122-7K3QX9' })
  @ApiBody({ schema: z.toJSONSchema(clearSchema) as object })
  clear(
    @CurrentOfficial() official: Principal,
    @Param('trackingNumber') trackingNumber: string,
    @Body(new ZodPipe(clearSchema)) body: z.infer<typeof clearSchema>,
    @Req() request: FastifyRequest,
  ) {
    return this.decide(official, trackingNumber, { type: 'clear', ...body }, request);
  }

  private async decide(official: Principal, trackingNumber: string, decision: TriageDecision, request: FastifyRequest) {
    await this.commands.execute(new TriageAccusedCommand(trackingNumber, official, decision, request.id));
    const view = await this.views.forOfficial(trackingNumber, official, languageOf(request));
    if (!view) throw ProblemException.notFound();
    return view;
  }
}
