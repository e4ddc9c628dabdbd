import { DataSource } from 'typeorm';
import { unitCode } from '../units/unit.entity';
import { CATEGORY_CATALOG } from './category-catalog';
import { OPD_CATALOG, TENANTS } from './opd-catalog';
import { readWilayah } from './wilayah-source';

export interface DirectorySeedResult {
  tenants: number;
  kecamatan: number;
  kelurahan: number;
  units: number;
  categories: number;
}

/**
 * Seeds tenants, their wilayah, one unit per office and the category catalog. Idempotent: rows are keyed by their
 * official codes and upserted, so running it again changes nothing (or applies renamed areas).
 */
export async function seedDirectory(dataSource: DataSource): Promise<DirectorySeedResult> {
  return dataSource.transaction(async (m) => {
    const tenantCodes = new Set<string>(TENANTS.map((t) => t.code));
    const districts = readWilayah('districts', tenantCodes);
    const villages = readWilayah('villages', new Set(districts.map((d) => d.code)));
    const tenantOf = (code: string) => code.slice(0, 5);

    for (const t of TENANTS) {
      await m.query(
        `INSERT INTO tenant (code, name, kind, timezone, jurisdiction_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, jurisdiction_id = EXCLUDED.jurisdiction_id`,
        [t.code, t.name, t.kind, t.timezone, t.jurisdiction_id],
      );
      await upsertAreas(m, [{ code: t.code, parentCode: null, level: t.kind, name: t.name, tenant: t.code }]);
    }
    await upsertAreas(m, districts.map((d) => ({ code: d.code, parentCode: d.parentCode, level: 'kecamatan', name: d.name, tenant: tenantOf(d.code) })));
    // Kelurahan codes are x.1xxx, desa codes x.2xxx (Kepmendagri).
    await upsertAreas(m, villages.map((v) => ({
      code: v.code, parentCode: v.parentCode, level: v.code.split('.')[3].startsWith('1') ? 'kelurahan' : 'desa', name: v.name, tenant: tenantOf(v.code),
    })));

    const units: UnitSeed[] = [];
    for (const t of TENANTS) {
      units.push({ code: unitCode.inspektorat(t.code), tenant: t.code, name: `Inspektorat ${t.name}`, type: 'inspektorat', area: null, parent: null });
      // The escalation ladder tops out at the Sekretariat Daerah (the Sekda); every OPD answers to it.
      const setda = unitCode.opd(t.code, 'SETDA');
      for (const opd of OPD_CATALOG) {
        const code = unitCode.opd(t.code, opd.key);
        units.push({ code, tenant: t.code, name: `${opd.name} ${t.name}`, type: 'opd', area: null, parent: code === setda ? null : setda });
      }
    }
    for (const d of districts) {
      units.push({ code: unitCode.kecamatan(d.code), tenant: tenantOf(d.code), name: `Kecamatan ${d.name}`, type: 'kecamatan', area: d.code, parent: unitCode.opd(tenantOf(d.code), 'SETDA') });
    }
    for (const v of villages) {
      const desa = v.code.split('.')[3].startsWith('2');
      units.push({
        code: unitCode.kelurahan(v.code), tenant: tenantOf(v.code), name: `${desa ? 'Desa' : 'Kelurahan'} ${v.name}`,
        type: 'kelurahan', area: v.code, parent: unitCode.kecamatan(v.parentCode),
      });
    }
    await upsertUnits(m, units);
    for (const c of CATEGORY_CATALOG) {
      await m.query(
        `INSERT INTO category (code, name, name_en, "group", description, description_en, resolution_class, about_official)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, "group" = EXCLUDED."group",
           description = EXCLUDED.description, description_en = EXCLUDED.description_en,
           resolution_class = EXCLUDED.resolution_class, about_official = EXCLUDED.about_official`,
        [c.code, c.name, c.name_en, c.group, c.description, c.description_en, c.resolution_class, c.about_official],
      );
    }
    return { tenants: TENANTS.length, kecamatan: districts.length, kelurahan: villages.length, units: units.length, categories: CATEGORY_CATALOG.length };
  });
}

interface AreaSeed { code: string; parentCode: string | null; level: string; name: string; tenant: string }
interface UnitSeed { code: string; tenant: string; name: string; type: string; area: string | null; parent: string | null }

async function upsertAreas(m: DataSource['manager'], areas: AreaSeed[]): Promise<void> {
  if (areas.length === 0) return;
  await m.query(
    `INSERT INTO area (code, parent_code, level, name, tenant_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (code) DO UPDATE SET parent_code = EXCLUDED.parent_code, level = EXCLUDED.level, name = EXCLUDED.name`,
    [areas.map((a) => a.code), areas.map((a) => a.parentCode), areas.map((a) => a.level), areas.map((a) => a.name), areas.map((a) => a.tenant)],
  );
}

async function upsertUnits(m: DataSource['manager'], units: UnitSeed[]): Promise<void> {
  await m.query(
    `INSERT INTO unit (code, tenant_code, name, type, area_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, area_code = EXCLUDED.area_code`,
    [units.map((u) => u.code), units.map((u) => u.tenant), units.map((u) => u.name), units.map((u) => u.type), units.map((u) => u.area)],
  );
  // Only links that are missing: an administrator may have re-pointed the ladder since.
  await m.query(
    `UPDATE unit c SET parent_id = p.id
       FROM unnest($1::text[], $2::text[]) AS link(child, parent) JOIN unit p ON p.code = link.parent
      WHERE c.code = link.child AND c.parent_id IS NULL`,
    [units.filter((u) => u.parent).map((u) => u.code), units.filter((u) => u.parent).map((u) => u.parent)],
  );
}
