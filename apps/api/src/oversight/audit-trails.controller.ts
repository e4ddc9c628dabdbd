import { AuditTrailsQuery, TrailPage, trailPageSchema } from '@aduan/complaints';
import { Principal } from '@aduan/directory';
import { ZodPipe } from '@aduan/platform';
import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const ENTRY =
  'Each entry: `{id, stream, seq, at, actor: {type, id, username, name}, event, data, channel, request_id, outcome, hash, prev_hash, ' +
  'chain: intact|altered|unlinked|leaf_mismatch, checkpoint: checkpointed|sealed|pending, leaf_index, tracking_number}`. ' +
  '`chain` checks the entry’s own hash, its link to the entry before it in its stream and its Merkle leaf; `checkpointed` means it is in the tree of the latest signed checkpoint.';
const ACCESS = 'Inspectors only, their own tenant: 403 for anyone else (handlers, admins), 404 for what is outside the tenant or may accuse the inspector’s own unit.';
const PAGED = 'Newest first (time, stream, seq), `limit` (≤ 1000, default 200) at a time; pass `next_before` (the last entry’s id) as `before` for the older ones, or a time for the entries strictly older. Each entry is checked on its own, not its whole stream.';

/** The Inspektorat's trails through the audit log (see docs/api.md, Oversight). */
@ApiTags('oversight')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/audit')
export class AuditTrailsController {
  constructor(private readonly trails: AuditTrailsQuery) {}

  @Get('complaints/:trackingNumber')
  @ApiOperation({
    summary: 'A complaint’s whole audit trail, oldest first, every entry with its chain and checkpoint status, and the chain’s verdict',
    description: `\`{tracking_number, stream, chain: {status: intact|broken, entries, first_broken}, checkpoint: {tree_size, signed_at}, entries}\`. ${ENTRY} ${ACCESS}`,
  })
  @ApiParam({ name: 'trackingNumber', example: 'ADN-261122-7K3QX9' })
  complaint(@CurrentOfficial() official: Principal, @Param('trackingNumber') trackingNumber: string, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Cache-Control', 'no-store');
    return this.trails.complaint(official, trackingNumber);
  }

  @Get('officials/:official')
  @ApiOperation({
    summary: 'An official’s trail: what they did, and what was done to their account (created, changed, signed in, erased)',
    description: `\`official\` is an id or a username (an erased official by id). ${PAGED} ${ENTRY} ${ACCESS}`,
  })
  @ApiParam({ name: 'official' })
  @ApiQuery({ name: 'before', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiResponse({ status: 200, description: '{subject: {official}, checkpoint, entries, next_before}' })
  official(@CurrentOfficial() official: Principal, @Param('official') who: string, @Query(new ZodPipe(trailPageSchema, 'query')) page: TrailPage, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Cache-Control', 'no-store');
    return this.trails.official(official, who, page);
  }

  @Get('units/:code')
  @ApiOperation({
    summary: 'A unit’s trail: complaints routed, forwarded or returned to or from it, and what its officials did with them',
    description: `${PAGED} ${ENTRY} ${ACCESS}`,
  })
  @ApiParam({ name: 'code', example: 'KEL.36.73.01.1001' })
  @ApiQuery({ name: 'before', required: false })
  @ApiQuery({ name: 'limit', required: false })
  unit(@CurrentOfficial() official: Principal, @Param('code') code: string, @Query(new ZodPipe(trailPageSchema, 'query')) page: TrailPage, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Cache-Control', 'no-store');
    return this.trails.unit(official, code, page);
  }

  @Get('rules/:category')
  @ApiOperation({
    summary: 'A rule’s trail: every change of the category’s routing rule and SLA policy in your tenant, who made it, before and after',
    description: `${PAGED} ${ENTRY} ${ACCESS}`,
  })
  @ApiParam({ name: 'category', example: 'SAMPAH' })
  @ApiQuery({ name: 'before', required: false })
  @ApiQuery({ name: 'limit', required: false })
  rule(@CurrentOfficial() official: Principal, @Param('category') category: string, @Query(new ZodPipe(trailPageSchema, 'query')) page: TrailPage, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Cache-Control', 'no-store');
    return this.trails.rule(official, category, page);
  }
}
