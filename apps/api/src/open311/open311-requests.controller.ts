import {
  open311Submission,
  Open311Requests,
  Open311Status,
  parseW3cDateTime,
  ServiceRequestFilter,
  SubmitComplaintCommand,
} from '@aduan/complaints';
import { ApiKeysService, Jurisdiction, Open311Directory } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatOf, Open311Error, Open311ExceptionFilter, sendOpen311, splitFormat } from './open311-http';
import { commaList, field, Fields, requireJurisdiction } from './open311-params';

const DAY_MS = 24 * 3600_000;
/** GeoReport v2: a query spans at most 90 days and returns at most 1000 requests. */
const MAX_SPAN_MS = 90 * DAY_MS;
const MAX_RESULTS = 1000;
const SERVICE_CODE = /^[A-Z0-9_]{1,64}$/;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

const jurisdictionQuery = ApiQuery({ name: 'jurisdiction_id', required: true, description: 'a tenant: its jurisdiction_id (serangkota.go.id) or its code (36.73)' });
const startDateQuery = ApiQuery({ name: 'start_date', required: false, description: 'W3C date-time with offset (2026-11-01T00:00:00+07:00); default: 90 days before end_date' });
const endDateQuery = ApiQuery({ name: 'end_date', required: false, description: 'W3C date-time with offset; default: now (or 90 days after start_date). At most 90 days apart' });

/** GeoReport v2 at `/open311/v2/`: filing and reading service requests, and mySociety's updates feed. */
@ApiTags('open311')
@ApiProduces('text/xml', 'application/json')
@UseFilters(Open311ExceptionFilter)
@Controller('open311/v2')
export class Open311RequestsController {
  constructor(
    private readonly directory: Open311Directory,
    private readonly requests: Open311Requests,
    private readonly keys: ApiKeysService,
    private readonly commands: CommandBus,
  ) {}

  @Post(['requests.xml', 'requests.json'])
  @ApiOperation({
    summary: 'GeoReport v2 POST Service Request (form-encoded; api_key required). attribute[fixmystreet_id] makes a repeat return the same request',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiResponse({ status: 200, description: '[{service_request_id, service_notice, account_id}]' })
  @ApiResponse({ status: 400, description: 'a missing or invalid argument (each named in the errors)' })
  @ApiResponse({ status: 403, description: 'api_key missing, unknown, revoked, or not for this jurisdiction' })
  @ApiResponse({ status: 404, description: 'jurisdiction_id or service_code unknown' })
  async submit(@Body() body: Fields | undefined, @Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOf(request);
    const type = request.headers['content-type'] ?? '';
    if (!body || typeof body !== 'object' || !FORM_TYPE.test(type)) throw Open311Error.of(400, 'Send the request as application/x-www-form-urlencoded.');
    // Some clients put api_key and jurisdiction_id in the query string; the body wins.
    const fields: Fields = { ...query, ...body };
    const apiKey = field(fields, 'api_key');
    const client = apiKey === undefined ? null : await this.keys.verify(apiKey);
    if (!client) throw Open311Error.of(403, apiKey === undefined ? 'api_key was not provided.' : 'Invalid api_key.');
    const jurisdiction = await requireJurisdiction(this.directory, fields);
    if (client.tenantCode !== null && client.tenantCode !== jurisdiction.code) {
      throw Open311Error.of(403, 'This api_key is not valid for this jurisdiction_id.');
    }
    const serviceCode = field(fields, 'service_code');
    if (serviceCode === undefined) throw Open311Error.of(400, 'service_code was not provided.');
    const service = SERVICE_CODE.test(serviceCode) ? await this.directory.service(serviceCode) : null;
    if (!service) throw Open311Error.of(404, 'service_code was not found.');

    const kelurahan = new Set((await this.directory.kelurahan(jurisdiction.code)).map((k) => k.code));
    const submission = open311Submission(fields as Record<string, string | string[]>, kelurahan);
    if (!submission.ok) throw new Open311Error(400, submission.errors.map((e) => ({ code: 400, description: e.description })));

    const idempotency = submission.fixmystreetId === null ? null : { scope: `fixmystreet:${client.id}`, key: submission.fixmystreetId, ttlMs: null };
    let result;
    try {
      result = await this.commands.execute(new SubmitComplaintCommand(submission.input, 'open311', request.id, idempotency));
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'conflict') {
        throw Open311Error.of(400, 'attribute[fixmystreet_id] was already used for a different request.', 409);
      }
      if (error instanceof DomainError && error.kind === 'invalid') {
        throw new Open311Error(400, (error.errors.length > 0 ? error.errors.map((e) => e.message) : [error.message]).map((d) => ({ code: 400, description: d })));
      }
      throw error;
    }
    const confidential = submission.input.confidential ?? true;
    sendOpen311(reply, format, 'service_requests', [
      {
        service_request_id: result.trackingNumber,
        service_notice: confidential || service.aboutOfficial
          ? 'Pengaduan diterima dan dirahasiakan: tidak tampil di daftar publik. (Received; confidential, so not in public lists.)'
          : 'Pengaduan diterima dan akan diteruskan ke unit yang berwenang. (Received; it will be passed to the responsible office.)',
        account_id: null,
      },
    ]);
  }

  @Get(['requests.xml', 'requests.json'])
  @ApiOperation({ summary: 'GeoReport v2 GET Service Requests: public (non-confidential) complaints, newest first, at most 1000' })
  @jurisdictionQuery
  @ApiQuery({ name: 'service_request_id', required: false, description: 'comma-separated tracking numbers; overrides every other filter' })
  @ApiQuery({ name: 'service_code', required: false, description: 'comma-separated service codes' })
  @ApiQuery({ name: 'status', required: false, description: 'open, closed, or open,closed' })
  @startDateQuery
  @endDateQuery
  async list(@Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOf(request);
    const jurisdiction = await requireJurisdiction(this.directory, query);
    const ids = commaList(query, 'service_request_id');
    let filter: ServiceRequestFilter;
    if (ids) {
      if (ids.length > MAX_RESULTS) throw Open311Error.of(400, `service_request_id lists at most ${MAX_RESULTS} ids.`);
      filter = { ids, start: new Date(0), end: new Date(), limit: MAX_RESULTS };
    } else {
      const serviceCodes = commaList(query, 'service_code');
      if (serviceCodes?.some((c) => !SERVICE_CODE.test(c))) throw Open311Error.of(400, 'service_code must be service codes from the service list, comma-separated.');
      const statuses = commaList(query, 'status');
      if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw Open311Error.of(400, 'status must be open, closed, or both comma-separated.');
      const { start, end } = dateRange(query, jurisdiction);
      filter = { serviceCodes, statuses: statuses as Open311Status[] | undefined, start, end, limit: MAX_RESULTS };
    }
    sendOpen311(reply, format, 'service_requests', await this.requests.list(jurisdiction, filter));
  }

  @Get('requests/:file')
  @ApiOperation({ summary: 'GeoReport v2 GET Service Request: one public complaint by its tracking number' })
  @ApiParam({ name: 'file', description: 'tracking number and format, e.g. ADN-261122-7K3QX9.json' })
  @jurisdictionQuery
  @ApiResponse({ status: 404, description: 'unknown, of another jurisdiction, or confidential' })
  async one(@Param('file') file: string, @Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const target = splitFormat(file);
    if (!target) throw Open311Error.of(404, 'Unknown format: use .xml or .json.');
    const jurisdiction = await requireJurisdiction(this.directory, query);
    const found = await this.requests.one(jurisdiction, target.name);
    // Unknown and confidential look the same: nobody learns that a confidential complaint exists.
    if (!found) throw Open311Error.of(404, 'service_request_id was not found.');
    sendOpen311(reply, target.format, 'service_requests', [found]);
  }

  @Get(['servicerequestupdates.xml', 'servicerequestupdates.json'])
  @ApiOperation({
    summary: 'mySociety extension GET Service Request Updates: status changes of public complaints in the window, oldest first, at most 1000',
  })
  @jurisdictionQuery
  @startDateQuery
  @endDateQuery
  async updates(@Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOf(request);
    const jurisdiction = await requireJurisdiction(this.directory, query);
    const { start, end } = dateRange(query, jurisdiction);
    sendOpen311(reply, format, 'service_request_updates', await this.requests.updates(jurisdiction, start, end, MAX_RESULTS));
  }
}

/** start_date and end_date, each optional: the window defaults to the last 90 days and never spans more. */
function dateRange(query: Fields, jurisdiction: Jurisdiction): { start: Date; end: Date } {
  const parse = (name: string): Date | undefined => {
    const text = field(query, name);
    if (text === undefined) return undefined;
    const at = text.length <= 40 ? parseW3cDateTime(text, jurisdiction.timezone) : null;
    if (!at) throw Open311Error.of(400, `${name} must be a W3C date-time with a time zone, e.g. 2026-11-01T00:00:00+07:00.`);
    return at;
  };
  const startArg = parse('start_date');
  const endArg = parse('end_date');
  const end = endArg ?? (startArg ? new Date(startArg.getTime() + MAX_SPAN_MS) : new Date());
  const start = startArg ?? new Date(end.getTime() - MAX_SPAN_MS);
  if (start > end) throw Open311Error.of(400, 'start_date must not be after end_date.');
  if (end.getTime() - start.getTime() > MAX_SPAN_MS) throw Open311Error.of(400, 'start_date and end_date may not span more than 90 days.');
  return { start, end };
}
