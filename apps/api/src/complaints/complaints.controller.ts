import { ComplaintViews, IDEMPOTENCY_KEY_TTL_MS, SubmitComplaintCommand, submitComplaintSchema, SubmitComplaintInput } from '@aduan/complaints';
import { TokenService } from '@aduan/directory';
import { ProblemException, ZodPipe } from '@aduan/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { authenticate } from '../auth/auth.guard';
import { languageOf } from '../http/request-context';

/** What filing a complaint answers; the access code is shown this once (the web form reads this type too). */
export interface ComplaintReceipt {
  tracking_number: string;
  access_code: string;
  status: string;
  submitted_at: string;
}

@ApiTags('residents')
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly views: ComplaintViews,
    private readonly tokens: TokenService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'File a complaint; returns the tracking number and the secret access code' })
  @ApiBody({ schema: z.toJSONSchema(submitComplaintSchema, { unrepresentable: 'any' }) as object })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A fresh UUID (16–255 visible characters) per complaint. A retry with the same key and body within 24 hours gets the first answer ' +
      '(same tracking number and access code, header Idempotent-Replayed: true); the same key with another body is 409.',
  })
  async submit(
    @Body(new ZodPipe(submitComplaintSchema)) body: SubmitComplaintInput,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintReceipt> {
    let idempotency = null;
    if (idempotencyKey !== undefined) {
      // The header may come as a structured-field string ("...") or bare.
      const key = idempotencyKey.trim().replace(/^"(.*)"$/, '$1');
      if (!/^[\x21-\x7e]{16,255}$/.test(key)) {
        throw ProblemException.badRequest('Idempotency-Key must be 16 to 255 visible ASCII characters; use a fresh UUID.', [
          { field: 'Idempotency-Key', message: 'must be 16 to 255 visible ASCII characters' },
        ]);
      }
      idempotency = { scope: 'idempotency-key', key, ttlMs: IDEMPOTENCY_KEY_TTL_MS };
    }
    const result = await this.commands.execute(new SubmitComplaintCommand(body, 'web', request.id, idempotency));
    void reply.header('Cache-Control', 'no-store');
    if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
    return {
      tracking_number: result.trackingNumber,
      access_code: result.accessCode,
      status: result.status,
      submitted_at: result.submittedAt.toISOString(),
    };
  }

  @Get(':trackingNumber')
  @ApiOperation({ summary: 'A complaint: the resident’s view with X-Access-Code, the official’s view with a bearer token' })
  @ApiHeader({ name: 'X-Access-Code', required: false })
  async view(
    @Param('trackingNumber') trackingNumber: string,
    @Headers('x-access-code') accessCode: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('Cache-Control', 'no-store');
    const lang = languageOf(request);
    if (request.headers.authorization !== undefined) {
      const principal = await authenticate(this.tokens, request);
      if (!principal) throw ProblemException.unauthorized();
      const view = await this.views.forOfficial(trackingNumber, principal, lang);
      if (!view) throw ProblemException.notFound('No complaint with that tracking number is visible to you.');
      return view;
    }
    if (!accessCode) throw ProblemException.unauthorized('Send the access code in the X-Access-Code header.');
    const view = await this.views.forResident(trackingNumber, accessCode.slice(0, 64), lang);
    if (!view) throw ProblemException.notFound('No complaint matches that tracking number and access code.');
    return view;
  }
}
