import { RevealReporterCommand } from '@aduan/complaints';
import { Principal } from '@aduan/directory';
import { safeText, ZodPipe } from '@aduan/platform';
import { Body, Controller, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const revealSchema = z.strictObject({ reason: safeText(10, 2000) });

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
}
