import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

interface KelurahanRef {
  tenantCode: string;
  kecamatanCode: string;
}

const REFRESH_MS = 60_000;

/**
 * The reference data intake checks on every submission (kelurahan → tenant and kecamatan,
 * active categories), held in memory so the hot path costs one round trip. Refreshed every
 * minute, and at once (at most once a second) when a code is not found.
 */
@Injectable()
export class IntakeReferences {
  private kelurahan = new Map<string, KelurahanRef>();
  private categories = new Map<string, { aboutOfficial: boolean }>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async kelurahanRef(code: string): Promise<KelurahanRef | undefined> {
    await this.fresh(!this.kelurahan.has(code));
    return this.kelurahan.get(code);
  }

  async category(code: string): Promise<{ aboutOfficial: boolean } | undefined> {
    await this.fresh(!this.categories.has(code));
    return this.categories.get(code);
  }

  private async fresh(missing: boolean): Promise<void> {
    const age = Date.now() - this.loadedAt;
    if (age < REFRESH_MS && !(missing && age > 1000)) return;
    this.loading ??= this.load().finally(() => (this.loading = null));
    await this.loading;
  }

  private async load(): Promise<void> {
    const [areas, categories] = await Promise.all([
      this.dataSource.query(`SELECT code, parent_code, tenant_code FROM area WHERE level IN ('kelurahan', 'desa')`) as Promise<
        { code: string; parent_code: string; tenant_code: string }[]
      >,
      this.dataSource.query(`SELECT code, about_official FROM category WHERE active`) as Promise<{ code: string; about_official: boolean }[]>,
    ]);
    this.kelurahan = new Map(areas.map((a) => [a.code, { tenantCode: a.tenant_code, kecamatanCode: a.parent_code }]));
    this.categories = new Map(categories.map((c) => [c.code, { aboutOfficial: c.about_official }]));
    this.loadedAt = Date.now();
  }
}
