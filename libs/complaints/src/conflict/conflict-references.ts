import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MarkerSet } from '../domain/markers';
import { DirectoryUnit } from '../domain/possibly-accused';

/** What the possibly-accused derivation reads about one tenant. */
export interface TenantConflictFacts {
  units: readonly DirectoryUnit[];
  byCode: ReadonlyMap<string, DirectoryUnit>;
  markers: MarkerSet;
  officials: readonly { unitId: string; name: string }[];
}

const REFRESH_MS = 60_000;
const EMPTY: TenantConflictFacts = { units: [], byCode: new Map(), markers: new MarkerSet([]), officials: [] };

/**
 * Each tenant's units, markers and officials' names, held in memory so that deriving a
 * complaint's possibly-accused units costs intake no round trip. Refreshed every minute, at once
 * (at most once a second) when a unit code is not found, and in this process as soon as an
 * inspector changes a marker; another api process sees a marker change within the minute.
 */
@Injectable()
export class ConflictReferences {
  private tenants = new Map<string, TenantConflictFacts>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  /** bumped by invalidate(): a load that began before a change must not count as fresh */
  private generation = 0;

  constructor(private readonly dataSource: DataSource) {}

  async forTenant(tenantCode: string, unitCode?: string): Promise<TenantConflictFacts> {
    // Twice at most: a load already running when a marker changed does not count as fresh.
    for (let round = 0; round < 2; round += 1) {
      const missing = unitCode !== undefined && !this.tenants.get(tenantCode)?.byCode.has(unitCode);
      const age = Date.now() - this.loadedAt;
      if (age < REFRESH_MS && !(missing && age > 1000)) break;
      this.loading ??= this.load().finally(() => (this.loading = null));
      await this.loading;
    }
    return this.tenants.get(tenantCode) ?? EMPTY;
  }

  /** The next read loads afresh (a marker was added or removed). */
  invalidate(): void {
    this.generation += 1;
    this.loadedAt = 0;
  }

  private async load(): Promise<void> {
    const startedAt = Date.now();
    const generation = this.generation;
    const [units, markers, officials] = await Promise.all([
      this.dataSource.query(`SELECT id, code, type, name, parent_id, tenant_code FROM unit`) as Promise<(Omit<DirectoryUnit, 'parentId'> & { parent_id: string | null; tenant_code: string })[]>,
      this.dataSource.query(`SELECT tenant_code, phrase FROM conflict_marker WHERE removed_at IS NULL`) as Promise<{ tenant_code: string; phrase: string }[]>,
      this.dataSource.query(
        `SELECT o.tenant_code, o.unit_id, o.name FROM official o WHERE o.active AND o.unit_id IS NOT NULL AND o.tenant_code IS NOT NULL`,
      ) as Promise<{ tenant_code: string; unit_id: string; name: string }[]>,
    ]);
    const tenants = new Map<string, { units: DirectoryUnit[]; markers: string[]; officials: { unitId: string; name: string }[] }>();
    const of = (code: string) => {
      let t = tenants.get(code);
      if (!t) tenants.set(code, (t = { units: [], markers: [], officials: [] }));
      return t;
    };
    for (const u of units) of(u.tenant_code).units.push({ id: u.id, code: u.code, type: u.type, name: u.name, parentId: u.parent_id });
    for (const m of markers) of(m.tenant_code).markers.push(m.phrase);
    for (const o of officials) of(o.tenant_code).officials.push({ unitId: o.unit_id, name: o.name });
    this.tenants = new Map(
      [...tenants].map(([code, t]) => [code, { units: t.units, byCode: new Map(t.units.map((u) => [u.code, u])), markers: new MarkerSet(t.markers), officials: t.officials }]),
    );
    // A change made while this load ran may not be in it: then the next read loads again.
    this.loadedAt = generation === this.generation ? startedAt : 0;
  }
}
