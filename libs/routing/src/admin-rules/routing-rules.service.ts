import { appendAudit } from '@aduan/audit';
import { AccessPolicy, Principal, Tier, TIERS } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';

export const routingRuleSchema = z.strictObject({
  tier: z.enum(TIERS),
  unit: z.string().min(3).max(64).optional(),
});
export type RoutingRuleInput = z.infer<typeof routingRuleSchema>;

export interface RoutingRuleView {
  tenant: string;
  category: string;
  tier: Tier;
  unit: string | null;
  updated_at: string;
}

/** Routing rules are data: an admin changes who handles a category, audited, effective at once. */
@Injectable()
export class RoutingRulesService {
  constructor(private readonly dataSource: DataSource) {}

  async get(actor: Principal, tenant: string, category: string): Promise<RoutingRuleView> {
    this.authorise(actor, tenant);
    const view = await this.read(this.dataSource.manager, tenant, category);
    if (!view) throw new DomainError('not_found', 'No rule for that tenant and category.');
    return view;
  }

  async put(actor: Principal, tenant: string, category: string, input: RoutingRuleInput, requestId: string | null): Promise<RoutingRuleView> {
    this.authorise(actor, tenant);
    return this.dataSource.transaction(async (m) => {
      const known: { tenant: boolean; category: boolean }[] = await m.query(
        `SELECT EXISTS (SELECT 1 FROM tenant WHERE code = $1) AS tenant, EXISTS (SELECT 1 FROM category WHERE code = $2) AS category`,
        [tenant, category],
      );
      if (!known[0].tenant || !known[0].category) throw new DomainError('not_found', 'Unknown tenant or category.');
      let unitId: string | null = null;
      if (input.tier === 'opd') {
        if (!input.unit) throw new DomainError('invalid', 'An OPD rule names the OPD.', [{ field: 'unit', message: 'required for tier opd' }]);
        const units: { id: string }[] = await m.query(`SELECT id FROM unit WHERE code = $1 AND tenant_code = $2 AND type = 'opd' AND active`, [input.unit, tenant]);
        if (!units[0]) throw new DomainError('invalid', 'That is not an active OPD of this tenant.', [{ field: 'unit', message: 'unknown OPD' }]);
        unitId = units[0].id;
      } else if (input.unit) {
        throw new DomainError('invalid', 'Only OPD rules name a unit; the others follow the complaint’s location.', [{ field: 'unit', message: 'only for tier opd' }]);
      }
      const before = await this.read(m, tenant, category);
      await m.query(
        `INSERT INTO routing_rule (tenant_code, category_code, tier, unit_id, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (tenant_code, category_code) DO UPDATE SET tier = EXCLUDED.tier, unit_id = EXCLUDED.unit_id, updated_at = now()`,
        [tenant, category, input.tier, unitId],
      );
      const after = (await this.read(m, tenant, category))!;
      await appendAudit(m, [{
        stream: `routing-rules:${tenant}`,
        actor: { type: 'official', id: actor.officialId },
        event: 'routing_rule.changed',
        data: { category, before: before ? { tier: before.tier, unit: before.unit } : null, after: { tier: after.tier, unit: after.unit } },
        channel: 'api',
        requestId,
      }]);
      return after;
    });
  }

  private authorise(actor: Principal, tenant: string): void {
    if (!AccessPolicy.canAdminister(actor, tenant)) throw new DomainError('forbidden', 'Only an administrator of this tenant may do this.');
  }

  private async read(m: EntityManager, tenant: string, category: string): Promise<RoutingRuleView | null> {
    const rows: { tier: Tier; unit: string | null; updated_at: Date }[] = await m.query(
      `SELECT r.tier, u.code AS unit, r.updated_at FROM routing_rule r LEFT JOIN unit u ON u.id = r.unit_id
        WHERE r.tenant_code = $1 AND r.category_code = $2`,
      [tenant, category],
    );
    const r = rows[0];
    return r ? { tenant, category, tier: r.tier, unit: r.unit, updated_at: r.updated_at.toISOString() } : null;
  }
}
