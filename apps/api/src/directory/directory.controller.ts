import { DirectoryQueries } from '@aduan/directory';
import { ProblemException, ZodPipe } from '@aduan/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

const areasQuery = z.strictObject({ parent: z.string().regex(/^\d{2}(\.\d{2}){1,2}$/, 'must be a kota/kabupaten or kecamatan code') });
const unitsQuery = z.strictObject({ tenant: z.string().regex(/^\d{2}\.\d{2}$/, 'must be a tenant code like 36.73') });

@ApiTags('directory')
@Controller('api/v1')
export class DirectoryController {
  constructor(private readonly directory: DirectoryQueries) {}

  @Get('tenants')
  @ApiOperation({ summary: 'The kota/kabupaten governments served' })
  tenants() {
    return this.directory.tenants();
  }

  @Get('areas')
  @ApiOperation({ summary: 'A tenant’s kecamatan, or a kecamatan’s kelurahan/desa' })
  @ApiQuery({ name: 'parent', example: '36.73' })
  async areas(@Query(new ZodPipe(areasQuery, 'query')) q: z.infer<typeof areasQuery>) {
    const areas = await this.directory.areas(q.parent);
    if (!areas) throw ProblemException.notFound('Unknown area.');
    return areas;
  }

  @Get('categories')
  @ApiOperation({ summary: 'What residents can complain about' })
  categories() {
    return this.directory.categories();
  }

  @Get('units')
  @ApiOperation({ summary: 'A tenant’s offices: kelurahan, kecamatan, OPD, Inspektorat' })
  @ApiQuery({ name: 'tenant', example: '36.73' })
  async units(@Query(new ZodPipe(unitsQuery, 'query')) q: z.infer<typeof unitsQuery>) {
    const units = await this.directory.units(q.tenant);
    if (!units) throw ProblemException.notFound('Unknown tenant.');
    return units;
  }
}
