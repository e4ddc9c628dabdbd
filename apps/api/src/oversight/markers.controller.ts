import { MarkerInput, markerSchema, MarkersService } from '@aduan/complaints';
import { Principal } from '@aduan/directory';
import { ZodPipe } from '@aduan/platform';
import { Body, Controller, Delete, Get, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const listQuery = z.strictObject({ removed: z.enum(['true', 'false']).transform((v) => v === 'true').optional() });

/** The Inspektorat's markers: phrases that report an official demanding money. */
@ApiTags('oversight')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/oversight/markers')
export class MarkersController {
  constructor(private readonly markers: MarkersService) {}

  @Get()
  @ApiOperation({
    summary: 'Inspektorat only: the markers of your tenant (with `removed=true`, also those taken out of force)',
    description: 'Matching ignores case, punctuation and spacing, accepts the suffixes -nya/-lah/-kah/-pun; `*` stands for up to two words.',
  })
  @ApiQuery({ name: 'removed', required: false, enum: ['true', 'false'] })
  list(@CurrentOfficial() official: Principal, @Query(new ZodPipe(listQuery, 'query')) q: z.infer<typeof listQuery>) {
    return this.markers.list(official, q.removed ?? false);
  }

  @Post()
  @ApiOperation({
    summary: 'Inspektorat only: add a marker (1–6 words, `*` between words for up to two others); audited',
    description: '201 with the marker as stored (normalised); 409 when it is already in force; 422 for a phrase that cannot be one; 403 for anyone but an inspector (a tenant admin included).',
  })
  @ApiBody({ schema: z.toJSONSchema(markerSchema) as object })
  add(@CurrentOfficial() official: Principal, @Body(new ZodPipe(markerSchema)) body: MarkerInput, @Req() request: FastifyRequest) {
    return this.markers.add(official, body, request.id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Inspektorat only: take a marker out of force (the record stays); audited. 403 for anyone but an inspector.' })
  remove(@CurrentOfficial() official: Principal, @Param('id') id: string, @Req() request: FastifyRequest) {
    return this.markers.remove(official, id, request.id);
  }
}
