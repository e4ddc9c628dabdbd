import { EraseReporterCommand, RevealReporterCommand } from '@aduan/complaints';
import { Principal } from '@aduan/directory';
import { safeText, ZodPipe } from '@aduan/platform';
import { Body, Controller, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const revealSchema = z.strictObject({ reason: safeText(10, 2000) });
/** `request_reference`: the Inspektorat's record of the resident's verified request (a letter or case number), never the resident's name. */
const eraseSchema = z.strictObject({ reason: safeText(10, 2000), request_reference: safeText(3, 200) });

@ApiTags('oversight')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/complaints')
export class RevealReporterController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':trackingNumber/reveal-reporter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Inspektorat only: the reporter’s identity, for a written reason; the reveal is audited' })
  @ApiBody({ schema: z.toJSONSchema(revealSchema) as object })
  async reveal(
    @CurrentOfficial() official: Principal,
    @Param('trackingNumber') trackingNumber: string,
    @Body(new ZodPipe(revealSchema)) body: z.infer<typeof revealSchema>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('Cache-Control', 'no-store');
    const identity = await this.commands.execute(new RevealReporterCommand(trackingNumber, official, body.reason, request.id));
    return { tracking_number: trackingNumber, anonymous: identity.anonymous, reporter: { name: identity.name ?? null, phone: identity.phone ?? null, email: identity.email ?? null } };
  }

  @Post(':trackingNumber/erase-reporter')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Inspektorat only: erase the reporter’s identity (UU 27/2022) on the resident’s verified request; audited, once',
    description: 'Removes the identity from the complaint, the delivery ledger and the intake key; the complaint and its audit trail stay. A reveal afterwards, or a second erasure, answers 410.',
  })
  @ApiBody({ schema: z.toJSONSchema(eraseSchema) as object })
  async erase(
    @CurrentOfficial() official: Principal,
    @Param('trackingNumber') trackingNumber: string,
    @Body(new ZodPipe(eraseSchema)) body: z.infer<typeof eraseSchema>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('Cache-Control', 'no-store');
    const erased = await this.commands.execute(new EraseReporterCommand(trackingNumber, official, body.reason, body.request_reference, request.id));
    return { tracking_number: trackingNumber, erased_at: erased.erasedAt.toISOString(), had_identity: erased.hadIdentity };
  }
}
