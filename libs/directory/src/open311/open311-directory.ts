import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A tenant as Open311 names it. */
export interface Jurisdiction {
  code: string;
  name: string;
  timezone: string;
  jurisdictionId: string;
}

/** An Open311 service: one active category. */
export interface Open311Service {
  code: string;
  name: string;
  nameEn: string;
  group: string;
  description: string;
  /** complaints about an official: always anonim and rahasia, whatever the client asks */
  aboutOfficial: boolean;
}

/** A kelurahan or desa as a value of the `kelurahan` attribute. */
export interface KelurahanOption {
  code: string;
  /** e.g. "Kelurahan Serang, Kecamatan Serang" */
  label: string;
}

interface Snapshot {
  jurisdictions: Map<string, Jurisdiction>;
  services: Open311Service[];
  kelurahan: Map<string, KelurahanOption[]>;
  loadedAt: number;
}

const REFRESH_MS = 60_000;

/**
 * The directory as Open311 shows it: jurisdictions (tenants), services (categories) and each
 * tenant's kelurahan/desa list. Reference data held in memory, refreshed every minute and, at most
 * once a second, when a name is not found.
 */
@Injectable()
export class Open311Directory {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** A tenant by its `jurisdiction_id` (serangkota.go.id) or its code (36.73); null when unknown. */
  async jurisdiction(idOrCode: string): Promise<Jurisdiction | null> {
    const key = idOrCode.trim().toLowerCase();
    let s = await this.fresh();
    if (!s.jurisdictions.has(key) && Date.now() - s.loadedAt > 1000) s = await this.reload();
    return s.jurisdictions.get(key) ?? null;
  }

  async services(): Promise<Open311Service[]> {
    return (await this.fresh()).services;
  }

  async service(code: string): Promise<Open311Service | null> {
    let s = await this.fresh();
    if (!s.services.some((x) => x.code === code) && Date.now() - s.loadedAt > 1000) s = await this.reload();
    return s.services.find((x) => x.code === code) ?? null;
  }

  /** The tenant's kelurahan and desa, by code. */
  async kelurahan(tenantCode: string): Promise<KelurahanOption[]> {
    return (await this.fresh()).kelurahan.get(tenantCode) ?? [];
  }

  private async fresh(): Promise<Snapshot> {
    if (this.snapshot && Date.now() - this.snapshot.loadedAt < REFRESH_MS) return this.snapshot;
    return this.reload();
  }

  private reload(): Promise<Snapshot> {
    this.loading ??= this.load()
      .then((s) => (this.snapshot = s))
      .finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<Snapshot> {
    const [tenants, categories, areas] = await Promise.all([
      this.dataSource.query(`SELECT code, name, timezone, jurisdiction_id FROM tenant`) as Promise<
        { code: string; name: string; timezone: string; jurisdiction_id: string }[]
      >,
      this.dataSource.query(
        `SELECT code, name, name_en, "group", description, about_official FROM category WHERE active ORDER BY "group", code`,
      ) as Promise<{ code: string; name: string; name_en: string; group: string; description: string; about_official: boolean }[]>,
      this.dataSource.query(
        `SELECT a.code, a.name, a.level, a.tenant_code, k.name AS kecamatan
           FROM area a JOIN area k ON k.code = a.parent_code
          WHERE a.level IN ('kelurahan', 'desa') ORDER BY a.code`,
      ) as Promise<{ code: string; name: string; level: string; tenant_code: string; kecamatan: string }[]>,
    ]);
    const jurisdictions = new Map<string, Jurisdiction>();
    for (const t of tenants) {
      const j = { code: t.code, name: t.name, timezone: t.timezone, jurisdictionId: t.jurisdiction_id };
      jurisdictions.set(t.code, j);
      jurisdictions.set(t.jurisdiction_id.toLowerCase(), j);
    }
    const kelurahan = new Map<string, KelurahanOption[]>();
    for (const a of areas) {
      const list = kelurahan.get(a.tenant_code) ?? [];
      list.push({ code: a.code, label: `${a.level === 'desa' ? 'Desa' : 'Kelurahan'} ${a.name}, Kecamatan ${a.kecamatan}` });
      kelurahan.set(a.tenant_code, list);
    }
    return {
      jurisdictions,
      services: categories.map((c) => ({
        code: c.code,
        name: c.name,
        nameEn: c.name_en,
        group: c.group,
        description: c.description,
        aboutOfficial: c.about_official,
      })),
      kelurahan,
      loadedAt: Date.now(),
    };
  }
}
