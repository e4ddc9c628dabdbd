import { ActOnComplaintCommand, ComplaintViews, OFFICIAL_ACTIONS, OfficialAction, officialActionSchemas, OfficialActionName } from '@aduan/complaints';
import { Principal } from '@aduan/directory';
import { ProblemException, ZodPipe } from '@aduan/platform';
import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';
import { languageOf } from '../http/request-context';

const anyAction = z.union(Object.values(officialActionSchemas).map((s) => s as z.ZodType));

@ApiTags('officials')
@ApiBearerAuth()
@UseGuards(BearerGuard)
@Controller('api/v1/complaints')
export class ActionsController {
  constructor(private readonly commands: CommandBus, private readonly views: ComplaintViews) {}

  @Post(':trackingNumber/:action')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Act on a complaint your unit holds: acknowledge, request-info, forward, return, resolve, reject',
    description:
      '200 with the new view; 409 when the complaint’s state does not allow it; 404 outside your scope; 403 with read-only access. ' +
      '`reject` with `duplicate_of` names a complaint you can see: one you cannot see is the same 422 as one that does not exist. ' +
      'Reasons, questions, notes and resolutions must contain visible text (invisible characters do not count).',
  })
  @ApiParam({ name: 'action', enum: OFFICIAL_ACTIONS })
  @ApiBody({ schema: z.toJSONSchema(anyAction, { unrepresentable: 'any' }) as object })
  async act(
    @CurrentOfficial() official: Principal,
    @Param('trackingNumber') trackingNumber: string,
    @Param('action') action: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ) {
    if (!(OFFICIAL_ACTIONS as string[]).includes(action)) throw ProblemException.notFound();
    const name = action as OfficialActionName;
    const input = new ZodPipe(officialActionSchemas[name]).transform(body ?? {});
    await this.commands.execute(new ActOnComplaintCommand(trackingNumber, official, { type: name, ...input } as OfficialAction, request.id));
    const view = await this.views.forOfficial(trackingNumber, official, languageOf(request));
    if (!view) throw ProblemException.notFound();
    return view;
  }
}
