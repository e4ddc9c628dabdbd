import { appendAudit } from '@aduan/audit';
import { AccessPolicy, Principal } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { SlaDeadlinePolicy } from '../calendar/sla-deadline-policy';
import { parseDuration } from '../policy/clock';
import { announcePolicyChange } from '../policy/policy-change';
import type { ClockSetting } from '../policy/sla-policy.entity';

const clock = z.union([
  z.strictObject({ working_days: z.number().int().min(1).max(365) }),
  z.strictObject({ duration: z.string().refine((d) => { const ms = parseDuration(d); return ms !== null && ms >= 1000; }, 'an ISO 8601 duration of at least one second, like PT10S') }),
]);
export const slaPolicySchema = z.strictObject({ first_response: clock, resolution: clock });
export type SlaPolicyInput = z.infer<typeof slaPolicySchema>;

export interface SlaPolicyView {
  tenant: string;
  category: string;
  first_response: ClockSetting;
  resolution: ClockSetting;
  /** false: the defaults are in force (SLA_DEFAULTS: first response, and resolution by the category's class) */
  configured: boolean;
}

/** Service levels per tenant and category; every change audited. */
@Injectable()
export class SlaAdminService {
  constructor(private readonly dataSource: DataSource, private readonly policy: SlaDeadlinePolicy) {}

  async get(actor: Principal, tenant: string, category: string): Promise<SlaPolicyView> {
    this.authorise(actor, tenant);
    await this.known(tenant, category);
    const clocks = await this.policy.clocks(tenant, category);
    return { tenant, category, first_response: clocks.firstResponse, resolution: clocks.resolution, configured: clocks.configured };
  }

  async put(actor: Principal, tenant: string, category: string, input: SlaPolicyInput, requestId: string | null): Promise<SlaPolicyView> {
    this.authorise(actor, tenant);
    await this.known(tenant, category);
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO sla_policy (tenant_code, category_code, first_response, resolution, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (tenant_code, category_code) DO UPDATE SET first_response = EXCLUDED.first_response, resolution = EXCLUDED.resolution, updated_at = now()`,
        [tenant, category, JSON.stringify(input.first_response), JSON.stringify(input.resolution)],
      );
      await appendAudit(m, [{ stream: `sla-policy:${tenant}`, actor: { type: 'official', id: actor.officialId }, event: 'sla_policy.changed', data: { category, ...input }, channel: 'api', requestId }]);
      await announcePolicyChange(m);
    });
    this.policy.invalidate();
    return this.get(actor, tenant, category);
  }

  private authorise(actor: Principal, tenant: string): void {
    if (!AccessPolicy.canAdminister(actor, tenant)) throw new DomainError('forbidden', 'Only an administrator of this tenant may do this.');
  }

  private async known(tenant: string, category: string): Promise<void> {
    const [row]: { tenant: boolean; category: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM tenant WHERE code = $1) AS tenant, EXISTS (SELECT 1 FROM category WHERE code = $2) AS category`,
      [tenant, category],
    );
    if (!row.tenant || !row.category) throw new DomainError('not_found', 'Unknown tenant or category.');
  }
}
