import {
  open311Submission,
  Open311Reader,
  Open311Requests,
  Open311Status,
  parseW3cDateTime,
  ServiceRequestFilter,
  SubmitComplaintCommand,
} from '@aduan/complaints';
import { ApiKeysService, Jurisdiction, Open311Directory, VerifiedApiKey } from '@aduan/directory';
import { APP_CONFIG, AppConfig, DomainError } from '@aduan/platform';
import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifyApiKeyOnce } from './open311-client';
import { formatOf, Open311Error, Open311ExceptionFilter, publicBaseUrl, sendOpen311, splitFormat } from './open311-http';
import { commaList, field, Fields, requireJurisdiction } from './open311-params';

const DAY_MS = 24 * 3600_000;
/** GeoReport v2: a query spans at most 90 days and returns at most 1000 requests. */
const MAX_SPAN_MS = 90 * DAY_MS;
const MAX_RESULTS = 1000;
/** servicerequestupdates without dates: the last day (FixMyStreet asks for the last two hours). */
const UPDATES_DEFAULT_SPAN_MS = DAY_MS;
const MEDIA_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(jpg|png|webp)$/;
const SERVICE_CODE = /^[A-Z0-9_]{1,64}$/;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

const jurisdictionQuery = ApiQuery({ name: 'jurisdiction_id', required: true, description: 'a tenant: its jurisdiction_id (serangkota.go.id) or its code (36.73)' });
const startDateQuery = ApiQuery({ name: 'start_date', required: false, description: 'W3C date-time with offset (2026-11-01T00:00:00+07:00); default: 90 days before end_date' });
const endDateQuery = ApiQuery({ name: 'end_date', required: false, description: 'W3C date-time with offset; default: now (or 90 days after start_date). At most 90 days apart' });
const readKeyQuery = ApiQuery({
  name: 'api_key',
  required: false,
  description: 'optional: adds the requests filed with this key, whatever their confidentiality. An unknown, revoked or other tenant’s key is 403',
});

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
  @ApiResponse({ status: 429, description: 'over the submission limit of this api_key (RATE_LIMIT_OPEN311_KEY), or of the address when the key is missing or bad' })
  async submit(@Body() body: Fields | undefined, @Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOf(request);
    const type = request.headers['content-type'] ?? '';
    if (!body || typeof body !== 'object' || !FORM_TYPE.test(type)) throw Open311Error.of(400, 'Send the request as application/x-www-form-urlencoded.');
    // Some clients put api_key and jurisdiction_id in the query string; the body wins.
    const fields: Fields = { ...query, ...body };
    const apiKey = field(fields, 'api_key');
    const client = apiKey === undefined ? null : await verifyApiKeyOnce(this.keys, request, apiKey);
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
      result = await this.commands.execute(new SubmitComplaintCommand(submission.input, 'open311', request.id, idempotency, client.id));
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
          ? 'Pengaduan diterima dan dirahasiakan: tidak tampil di daftar publik, hanya untuk api_key ini. (Received; confidential: not in public lists, only for this api_key.)'
          : 'Pengaduan diterima dan akan diteruskan ke unit yang berwenang. (Received; it will be passed to the responsible office.)',
        account_id: null,
      },
    ]);
  }

  @Get(['requests.xml', 'requests.json'])
  @ApiOperation({ summary: 'GeoReport v2 GET Service Requests: public (non-confidential) complaints and, with api_key, those filed with it; newest first, at most 1000' })
  @jurisdictionQuery
  @readKeyQuery
  @ApiQuery({ name: 'service_request_id', required: false, description: 'comma-separated tracking numbers; overrides every other filter' })
  @ApiQuery({ name: 'service_code', required: false, description: 'comma-separated service codes' })
  @ApiQuery({ name: 'status', required: false, description: 'open, closed, or open,closed' })
  @startDateQuery
  @endDateQuery
  async list(@Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOf(request);
    const jurisdiction = await requireJurisdiction(this.directory, query);
    const client = await this.readerKey(query, jurisdiction, request);
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
      const { start, end } = dateRange(query, jurisdiction, MAX_SPAN_MS);
      filter = { serviceCodes, statuses: statuses as Open311Status[] | undefined, start, end, limit: MAX_RESULTS };
    }
    sendOpen311(reply, format, 'service_requests', await this.requests.list(jurisdiction, filter, client?.id ?? null));
  }

  @Get('requests/:file')
  @ApiOperation({ summary: 'GeoReport v2 GET Service Request: one complaint by its tracking number, if public or filed with the api_key given' })
  @ApiParam({ name: 'file', description: 'tracking number and format, e.g. ADN-261122-7K3QX9.json' })
  @jurisdictionQuery
  @readKeyQuery
  @ApiResponse({ status: 404, description: 'unknown, of another jurisdiction, or confidential and not filed with the api_key given' })
  async one(@Param('file') file: string, @Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const target = splitFormat(file);
    if (!target) throw Open311Error.of(404, 'Unknown format: use .xml or .json.');
    const jurisdiction = await requireJurisdiction(this.directory, query);
    const client = await this.readerKey(query, jurisdiction, request);
    const found = await this.requests.one(jurisdiction, target.name, client?.id ?? null);
    // Unknown and confidential look the same: nobody learns that a confidential complaint exists.
    if (!found) throw Open311Error.of(404, 'service_request_id was not found.');
    sendOpen311(reply, target.format, 'service_requests', [found]);
  }

  @Get(['servicerequestupdates.xml', 'servicerequestupdates.json'])
  @ApiOperation({
    summary:
      'mySociety extension GET Service Request Updates: with api_key, every change of the requests filed with it (officials’ public words, signed photo links); ' +
      'without, the changes of public requests. Oldest first, at most 1000; status in FixMyStreet’s words (fixed, duplicate, not_councils_responsibility, …)',
  })
  @jurisdictionQuery
  @readKeyQuery
  @ApiQuery({ name: 'start_date', required: false, description: 'W3C date-time with offset, inclusive (to the second); default: 24 hours before end_date' })
  @ApiQuery({ name: 'end_date', required: false, description: 'W3C date-time with offset, inclusive (to the second); default: now (or 90 days after start_date). At most 90 days apart' })
  @ApiResponse({ status: 200, description: '<service_requests_updates><request_update>{update_id, service_request_id, status, updated_datetime, description, media_url}</request_update>…' })
  @ApiResponse({ status: 403, description: 'api_key unknown, revoked, or not for this jurisdiction' })
  async updates(@Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOf(request);
    const jurisdiction = await requireJurisdiction(this.directory, query);
    const client = await this.readerKey(query, jurisdiction, request);
    const { start, end } = dateRange(query, jurisdiction, UPDATES_DEFAULT_SPAN_MS);
    const reader: Open311Reader | null = client ? { apiKeyId: client.id, mediaBaseUrl: `${publicBaseUrl(this.config, request)}/open311/v2/media/` } : null;
    sendOpen311(reply, format, 'service_requests_updates', await this.requests.updates(jurisdiction, { start, end, limit: MAX_RESULTS }, reader));
  }

  @Get('media/:file')
  @ApiOperation({ summary: 'A photo behind a signed media_url of servicerequestupdates (the link is the credential; it lapses after a day)' })
  @ApiParam({ name: 'file', description: 'photo id and extension, e.g. 5f1c…e2.jpg' })
  @ApiQuery({ name: 'client', required: true })
  @ApiQuery({ name: 'expires', required: true })
  @ApiQuery({ name: 'signature', required: true })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiResponse({ status: 404, description: 'unknown photo, a bad or lapsed signature, or a revoked key' })
  async media(@Param('file') file: string, @Query() query: Fields, @Res() reply: FastifyReply): Promise<void> {
    const match = MEDIA_FILE.exec(file);
    const client = field(query, 'client');
    const expires = Number(field(query, 'expires'));
    const signature = field(query, 'signature');
    const photo = match && client && signature && Number.isSafeInteger(expires)
      ? await this.requests.media({ attachmentId: match[1], apiKeyId: client, expires }, signature)
      : null;
    if (!photo) throw Open311Error.of(404, 'media was not found.');
    void reply
      .status(200)
      .header('Content-Type', photo.mediaType)
      .header('Cache-Control', 'private, max-age=3600')
      .header('Content-Security-Policy', "default-src 'none'")
      .send(photo.bytes);
  }

  /**
   * The client behind a read's optional `api_key`: null without one. A key that is malformed,
   * unknown, revoked or for another tenant is refused (403) rather than ignored, so a client with
   * a wrong key is not left reading an empty feed.
   */
  private async readerKey(query: Fields, jurisdiction: Jurisdiction, request: FastifyRequest): Promise<VerifiedApiKey | null> {
    const apiKey = field(query, 'api_key');
    if (apiKey === undefined) return null;
    const client = await verifyApiKeyOnce(this.keys, request, apiKey);
    if (!client) throw Open311Error.of(403, 'Invalid api_key.');
    if (client.tenantCode !== null && client.tenantCode !== jurisdiction.code) throw Open311Error.of(403, 'This api_key is not valid for this jurisdiction_id.');
    return client;
  }
}

/**
 * start_date and end_date, each optional: without either, the `defaultSpanMs` before now; with
 * only one, that span before end_date or 90 days after start_date. Never more than 90 days.
 */
function dateRange(query: Fields, jurisdiction: Jurisdiction, defaultSpanMs: number): { start: Date; end: Date } {
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
  const start = startArg ?? new Date(end.getTime() - defaultSpanMs);
  if (start > end) throw Open311Error.of(400, 'start_date must not be after end_date.');
  if (end.getTime() - start.getTime() > MAX_SPAN_MS) throw Open311Error.of(400, 'start_date and end_date may not span more than 90 days.');
  return { start, end };
}
