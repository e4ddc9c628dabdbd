import { TENANTS, unitCode } from '@aduan/directory';
import { DataSource } from 'typeorm';
import { DEFAULT_ROUTES } from './default-routes';

/**
 * Seeds each tenant's default rule for every category (seedDirectory writes the categories first).
 * An existing rule is left alone, because an admin may have changed who handles what.
 */
export async function seedRouting(dataSource: DataSource): Promise<{ rules: number }> {
  return dataSource.transaction(async (m) => {
    let rules = 0;
    for (const t of TENANTS) {
      for (const [category, rule] of Object.entries(DEFAULT_ROUTES)) {
        const inserted: unknown[] = await m.query(
          `INSERT INTO routing_rule (tenant_code, category_code, tier, unit_id)
           VALUES ($1, $2, $3, (SELECT id FROM unit WHERE code = $4)) ON CONFLICT DO NOTHING RETURNING 1`,
          [t.code, category, rule.tier, rule.opd ? unitCode.opd(t.code, rule.opd) : null],
        );
        rules += inserted.length;
      }
    }
    return { rules };
  });
}
