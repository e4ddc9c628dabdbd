import { ComplaintViews, feedbackSchema, replySchema, ResidentWritesCommand } from '@aduan/complaints';
import { ProblemException, ZodPipe } from '@aduan/platform';
import { Body, Controller, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { languageOf } from '../http/request-context';

@ApiTags('residents')
@ApiHeader({ name: 'X-Access-Code', required: true })
@Controller('api/v1/complaints')
export class ResidentWritesController {
  constructor(private readonly commands: CommandBus, private readonly views: ComplaintViews) {}

  @Post(':trackingNumber/replies')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer the officer’s question (the clock resumes) or add to the complaint; returns the resident’s view' })
  @ApiBody({ schema: z.toJSONSchema(replySchema) as object })
  reply(
    @Param('trackingNumber') trackingNumber: string,
    @Headers('x-access-code') code: string | undefined,
    @Body(new ZodPipe(replySchema)) body: z.infer<typeof replySchema>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.write(trackingNumber, code, { type: 'reply', ...body }, request, reply);
  }

  @Post(':trackingNumber/feedback')
  @HttpCode(200)
  @ApiOperation({ summary: 'After resolution: satisfied closes the complaint, not satisfied reopens it' })
  @ApiBody({ schema: z.toJSONSchema(feedbackSchema) as object })
  feedback(
    @Param('trackingNumber') trackingNumber: string,
    @Headers('x-access-code') code: string | undefined,
    @Body(new ZodPipe(feedbackSchema)) body: z.infer<typeof feedbackSchema>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.write(trackingNumber, code, { type: 'feedback', ...body }, request, reply);
  }

  private async write(trackingNumber: string, code: string | undefined, write: ResidentWritesCommand['write'], request: FastifyRequest, reply: FastifyReply) {
    if (!code) throw ProblemException.unauthorized('Send the access code in the X-Access-Code header.');
    void reply.header('Cache-Control', 'no-store');
    await this.commands.execute(new ResidentWritesCommand(trackingNumber, code.slice(0, 64), write, request.id));
    const view = await this.views.forResident(trackingNumber, code.slice(0, 64), languageOf(request));
    if (!view) throw ProblemException.notFound();
    return view;
  }
}
