import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface TenantView { code: string; name: string; timezone: string; jurisdiction_id: string }
export interface AreaView { code: string; name: string; level: string }
export interface CategoryView {
  code: string;
  name: string;
  name_en: string;
  group: string;
  description: string;
  description_en: string;
  /** about an official's conduct: such complaints are always anonymous and confidential */
  about_official: boolean;
}
export interface UnitView { code: string; name: string; type: string; area: string | null }

/** Public reads of the directory, shaped as docs/api.md promises. */
@Injectable()
export class DirectoryQueries {
  constructor(private readonly dataSource: DataSource) {}

  tenants(): Promise<TenantView[]> {
    return this.dataSource.query(`SELECT code, name, timezone, jurisdiction_id FROM tenant ORDER BY code`);
  }

  /** Children of an area (a tenant's kecamatan, a kecamatan's kelurahan); null when the parent is unknown. */
  async areas(parent: string): Promise<AreaView[] | null> {
    const known: unknown[] = await this.dataSource.query(`SELECT 1 FROM area WHERE code = $1`, [parent]);
    if (known.length === 0) return null;
    return this.dataSource.query(`SELECT code, name, level FROM area WHERE parent_code = $1 ORDER BY code`, [parent]);
  }

  categories(): Promise<CategoryView[]> {
    return this.dataSource.query(
      `SELECT code, name, name_en, "group", description, description_en, about_official FROM category WHERE active ORDER BY "group", code`,
    );
  }

  /** A tenant's units; null when the tenant is unknown. */
  async units(tenant: string): Promise<UnitView[] | null> {
    const known: unknown[] = await this.dataSource.query(`SELECT 1 FROM tenant WHERE code = $1`, [tenant]);
    if (known.length === 0) return null;
    return this.dataSource.query(
      `SELECT code, name, type, area_code AS area FROM unit WHERE tenant_code = $1 AND active
        ORDER BY CASE type WHEN 'inspektorat' THEN 0 WHEN 'opd' THEN 1 WHEN 'kecamatan' THEN 2 ELSE 3 END, code`,
      [tenant],
    );
  }
}
