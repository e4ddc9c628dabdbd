import { TENANTS, unitCode } from '@aduan/directory';
import { DataSource } from 'typeorm';
import { CATEGORY_CATALOG } from '../seed/category-catalog';

/**
 * Seeds the categories and each tenant's default rule. Categories are upserted; an existing rule
 * is left alone, because an admin may have changed who handles what.
 */
export async function seedRouting(dataSource: DataSource): Promise<{ categories: number; rules: number }> {
  return dataSource.transaction(async (m) => {
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
    let rules = 0;
    for (const t of TENANTS) {
      for (const c of CATEGORY_CATALOG) {
        const inserted: unknown[] = await m.query(
          `INSERT INTO routing_rule (tenant_code, category_code, tier, unit_id)
           VALUES ($1, $2, $3, (SELECT id FROM unit WHERE code = $4)) ON CONFLICT DO NOTHING RETURNING 1`,
          [t.code, c.code, c.rule.tier, c.rule.opd ? unitCode.opd(t.code, c.rule.opd) : null],
        );
        rules += inserted.length;
      }
    }
    return { categories: CATEGORY_CATALOG.length, rules };
  });
}
