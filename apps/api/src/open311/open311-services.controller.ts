import { Open311Directory } from '@aduan/directory';
import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { Controller, Get, Inject, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatOf, Open311Error, Open311ExceptionFilter, publicBaseUrl, sendOpen311, splitFormat } from './open311-http';
import { field, Fields, requireJurisdiction } from './open311-params';

/** Bumped whenever the shape of the service list or definitions changes (Service Discovery's changeset). */
const CHANGESET = '2026-11-22T00:00:00+07:00';

const jurisdictionQuery = ApiQuery({ name: 'jurisdiction_id', required: true, description: 'a tenant: its jurisdiction_id (serangkota.go.id) or its code (36.73)' });

/** GeoReport v2 at `/open311/v2/`: service discovery, the service list and service definitions. */
@ApiTags('open311')
@ApiProduces('text/xml', 'application/json')
@UseFilters(Open311ExceptionFilter)
@Controller('open311/v2')
export class Open311ServicesController {
  constructor(
    private readonly directory: Open311Directory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(['discovery.xml', 'discovery.json'])
  @ApiOperation({ summary: 'Open311 Service Discovery: where the GeoReport v2 endpoint is, its formats, how to get a key' })
  @ApiQuery({ name: 'jurisdiction_id', required: false, description: 'optional here; when given it must name a tenant' })
  async discovery(@Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOf(request);
    const jurisdiction = field(query, 'jurisdiction_id') === undefined ? null : await requireJurisdiction(this.directory, query);
    sendOpen311(reply, format, 'discovery', {
      changeset: CHANGESET,
      contact: jurisdiction
        ? `Aduan ${jurisdiction.name}: hubungi administrator Pemda (contact the local government’s administrator).`
        : 'Aduan: hubungi administrator Pemda (contact the local government’s administrator).',
      key_service:
        'API key diterbitkan oleh administrator Pemda lewat POST /api/v1/admin/api-keys (keys are issued by the local government’s administrator).',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${publicBaseUrl(this.config, request)}/open311/v2`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
  }

  @Get(['services.xml', 'services.json'])
  @ApiOperation({ summary: 'GeoReport v2 GET Service List: one service per complaint category' })
  @jurisdictionQuery
  @ApiResponse({ status: 400, description: 'jurisdiction_id missing' })
  @ApiResponse({ status: 404, description: 'jurisdiction_id unknown' })
  async services(@Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const format = formatOf(request);
    await requireJurisdiction(this.directory, query);
    const services = await this.directory.services();
    sendOpen311(
      reply,
      format,
      'services',
      services.map((s) => ({
        service_code: s.code,
        service_name: s.name,
        description: s.description,
        // Every service has a required attribute (the kelurahan), so clients must read its definition.
        metadata: true,
        type: 'realtime',
        keywords: `${s.nameEn}, ${s.group.replace(/_/g, ' ')}`,
        group: s.group,
      })),
    );
  }

  @Get('services/:file')
  @ApiOperation({ summary: 'GeoReport v2 GET Service Definition: the attributes of a service (always a required kelurahan)' })
  @ApiParam({ name: 'file', description: 'service code and format, e.g. SAMPAH.xml or SAMPAH.json' })
  @jurisdictionQuery
  @ApiResponse({ status: 404, description: 'service_code or jurisdiction_id unknown' })
  async definition(@Param('file') file: string, @Query() query: Fields, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const target = splitFormat(file);
    if (!target) throw Open311Error.of(404, 'Unknown format: use .xml or .json.');
    const jurisdiction = await requireJurisdiction(this.directory, query);
    const service = await this.directory.service(target.name);
    if (!service) throw Open311Error.of(404, 'service_code was not found.');
    const kelurahan = await this.directory.kelurahan(jurisdiction.code);
    const attributes: Record<string, unknown>[] = [
      {
        variable: true,
        code: 'kelurahan',
        datatype: 'singlevaluelist',
        required: true,
        datatype_description: 'Kode kelurahan/desa (Kepmendagri), mis. 36.73.01.1001 (a kelurahan/desa code)',
        order: 1,
        description: `Kelurahan atau desa tempat masalahnya, di ${jurisdiction.name} (the kelurahan or village where the problem is)`,
        values: kelurahan.map((k) => ({ key: k.code, name: k.label })),
      },
    ];
    // Complaints about an official are always anonim and rahasia: there is nothing to choose.
    if (!service.aboutOfficial) {
      attributes.push(
        flagAttribute(2, 'anonim', 'Sembunyikan identitas pelapor dari petugas? Bawaan: ya (hide the reporter from the officer? default: yes)'),
        flagAttribute(3, 'rahasia', 'Jangan tampilkan pengaduan di daftar publik? Bawaan: ya (keep the complaint out of public lists? default: yes)'),
      );
    }
    sendOpen311(reply, target.format, 'service_definition', { service_code: service.code, attributes });
  }
}

function flagAttribute(order: number, code: string, description: string): Record<string, unknown> {
  return {
    variable: true,
    code,
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: 'true atau false (true or false)',
    order,
    description,
    values: [
      { key: 'true', name: 'Ya (yes)' },
      { key: 'false', name: 'Tidak (no)' },
    ],
  };
}
