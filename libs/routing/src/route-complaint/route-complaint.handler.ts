import { complaintStream, insertAuditSql, sealOnto } from '@aduan/audit';
import { lockComplaint, Tier } from '@aduan/complaints';
import { unitCode } from '@aduan/directory';
import { claimMessage, insertOutboxSql, JobName, outboxMessage, OutboxNotifier, SqlStatement } from '@aduan/platform';
import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource, EntityManager } from 'typeorm';
import { CandidateUnit, decideRoute, RouteFacts } from '../domain/decide-route';
import { RouteComplaintCommand, RouteComplaintResult } from './route-complaint.command';

/** Each tier has its own queue, so each can be scaled and fail on its own. */
export const DISPATCH_JOB: Readonly<Record<Tier, JobName.DispatchToLurah | JobName.DispatchToCamat | JobName.DispatchToOpd | JobName.DispatchToInspektorat>> = {
  lurah: JobName.DispatchToLurah,
  camat: JobName.DispatchToCamat,
  opd: JobName.DispatchToOpd,
  inspektorat: JobName.DispatchToInspektorat,
};

/**
 * Decides the unit, records the decision in the complaint's audit chain and queues the dispatch to
 * the tier, all in one transaction with the processed-message record.
 */
@CommandHandler(RouteComplaintCommand)
export class RouteComplaintHandler implements ICommandHandler<RouteComplaintCommand, RouteComplaintResult> {
  private readonly logger = new Logger(RouteComplaintHandler.name);

  constructor(private readonly dataSource: DataSource, private readonly notifier: OutboxNotifier) {}

  async execute(cmd: RouteComplaintCommand): Promise<RouteComplaintResult> {
    const result = await this.dataSource.transaction(async (m): Promise<RouteComplaintResult> => {
      if (!(await claimMessage(m, cmd.consumer, cmd.messageId))) return 'duplicate';
      const complaint = await lockComplaint(m, cmd.complaintId);
      if (!complaint) throw new Error(`complaint ${cmd.complaintId} does not exist`);
      if (complaint.status !== 'submitted') {
        this.logger.warn(`complaint ${cmd.complaintId} is ${complaint.status}; routing skipped`);
        return 'skipped';
      }
      const c = complaint.snapshot;
      const facts = await this.facts(m, c.tenantCode, c.categoryCode, c.kelurahanCode, c.kecamatanCode, cmd.complaintId);
      const decision = decideRoute(facts);
      if (!decision) throw new Error(`tenant ${c.tenantCode} has no usable unit for complaint ${c.id}`);
      const [audit] = await sealOnto(m, [{
        stream: complaintStream(c.id),
        actor: { type: 'system', id: cmd.consumer },
        event: 'complaint.routed',
        data: { unit_id: decision.unitId, tier: decision.tier, reason: decision.reason },
        channel: 'worker',
        requestId: cmd.messageId,
      }]);
      const s = new SqlStatement();
      const dispatch = outboxMessage(DISPATCH_JOB[decision.tier], { complaintId: c.id, unitId: decision.unitId, routingId: audit.id });
      await m.query(`WITH audited AS (${insertAuditSql(s, [audit])}) ${insertOutboxSql(s, [dispatch])}`, s.params);
      return 'routed';
    });
    if (result === 'routed') this.notifier.poke();
    return result;
  }

  private async facts(m: EntityManager, tenant: string, category: string, kelurahan: string, kecamatan: string, complaintId: string): Promise<RouteFacts> {
    const codes = [unitCode.kelurahan(kelurahan), unitCode.kecamatan(kecamatan), unitCode.inspektorat(tenant)];
    // One connection serves the transaction: queries go one after another.
    const units: (CandidateUnit & { code: string })[] = await m.query(`SELECT id, code, active FROM unit WHERE code = ANY($1)`, [codes]);
    const rules: { tier: Tier; unit_id: string | null; unit_active: boolean | null; about_official: boolean }[] = await m.query(
      `SELECT r.tier, r.unit_id, u.active AS unit_active, c.about_official
         FROM category c LEFT JOIN routing_rule r ON r.category_code = c.code AND r.tenant_code = $1
         LEFT JOIN unit u ON u.id = r.unit_id
        WHERE c.code = $2`,
      [tenant, category],
    );
    const complaint: { accused_unit_id: string | null }[] = await m.query(`SELECT accused_unit_id FROM complaint WHERE id = $1`, [complaintId]);
    const byCode = new Map(units.map((u) => [u.code, { id: u.id, active: u.active }]));
    const rule = rules[0];
    const accused = complaint[0]?.accused_unit_id;
    return {
      rule: rule?.tier ? { tier: rule.tier, unit: rule.unit_id ? { id: rule.unit_id, active: rule.unit_active === true } : null } : null,
      kelurahanOffice: byCode.get(codes[0]) ?? null,
      kecamatanOffice: byCode.get(codes[1]) ?? null,
      inspektorat: byCode.get(codes[2]) ?? null,
      aboutOfficial: rule?.about_official ?? false,
      accusedUnitIds: accused ? await this.accusedAndHeaded(m, accused) : [],
    };
  }

  /** The accused unit and the units below it on the ladder (a camat heads the kecamatan's kelurahan). */
  private async accusedAndHeaded(m: EntityManager, unitId: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM unit WHERE id = $1 OR parent_id = $1`, [unitId]);
    return rows.map((r) => r.id);
  }
}
