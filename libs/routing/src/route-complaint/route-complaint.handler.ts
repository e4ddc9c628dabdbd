import { claimAndLockComplaints, Complaint, ComplaintWriter, WriteScope } from '@aduan/complaints';
import { Tier, unitCode } from '@aduan/directory';
import { BatchOutcome, JobName, preparedQuery } from '@aduan/platform';
import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CandidateUnit, decideRoute, RouteFacts } from '../domain/decide-route';
import { RouteComplaintResult, RouteComplaintsCommand, RouteRequest } from './route-complaint.command';

/** Each tier has its own queue, so each can be scaled and fail on its own. */
export const DISPATCH_JOB: Readonly<Record<Tier, JobName.DispatchToLurah | JobName.DispatchToCamat | JobName.DispatchToOpd | JobName.DispatchToInspektorat>> = {
  lurah: JobName.DispatchToLurah,
  camat: JobName.DispatchToCamat,
  opd: JobName.DispatchToOpd,
  inspektorat: JobName.DispatchToInspektorat,
};

interface RuleRow {
  tenant_code: string;
  category_code: string;
  tier: Tier | null;
  unit_id: string | null;
  unit_active: boolean | null;
  about_official: boolean;
}

/** What the decisions of one batch need, read with one query whatever the batch's size. */
interface BatchFacts {
  unitsByCode: Map<string, CandidateUnit>;
  rules: Map<string, RuleRow>;
  /** complaint id → its possibly-accused units and the units their officials head */
  accused: Map<string, string[]>;
}

const ruleKey = (tenant: string, category: string) => `${tenant} ${category}`;

/**
 * Decides the unit of each complaint, records the decision in the complaint's audit chain and
 * queues the dispatch to the tier, all in one transaction with the processed-message records
 * (ComplaintWriter). A batch costs the same handful of round trips as a single complaint: claim
 * and lock (one statement), read the facts (one), read the chain heads, and one statement that
 * writes every audit entry and outbox row (ComplaintUnitOfWork.commitAll).
 *
 * A complaint that cannot be placed fails the batch (the batcher then runs each request alone,
 * so the error lands on that job); two requests for one complaint in a batch do too, as their
 * audit entries would chain onto the same head.
 */
@CommandHandler(RouteComplaintsCommand)
export class RouteComplaintsHandler implements ICommandHandler<RouteComplaintsCommand, BatchOutcome<RouteComplaintResult>[]> {
  private readonly logger = new Logger(RouteComplaintsHandler.name);

  constructor(private readonly writer: ComplaintWriter) {}

  async execute({ requests, consumer }: RouteComplaintsCommand): Promise<BatchOutcome<RouteComplaintResult>[]> {
    if (new Set(requests.map((r) => r.complaintId)).size !== requests.length) {
      throw new Error('a routing batch names one complaint twice');
    }
    const results = await this.writer.transaction((scope) => this.route(scope, requests, consumer));
    return results.map((value) => ({ ok: true, value }));
  }

  private async route({ manager: m, open }: WriteScope, requests: readonly RouteRequest[], consumer: string): Promise<RouteComplaintResult[]> {
    const { claimed, complaints } = await claimAndLockComplaints(m, consumer, requests);
    const mine = requests.filter((r) => claimed.has(r.messageId));
    const routable = mine.filter((r) => {
      const complaint = complaints.get(r.complaintId);
      if (!complaint) throw new Error(`complaint ${r.complaintId} does not exist`);
      if (complaint.status === 'submitted') return true;
      this.logger.warn(`complaint ${r.complaintId} is ${complaint.status}; routing skipped`);
      return false;
    });
    if (routable.length > 0) {
      const facts = await this.facts(m, routable.map((r) => complaints.get(r.complaintId)!));
      for (const request of routable) {
        const complaint = complaints.get(request.complaintId)!;
        const c = complaint.snapshot;
        const decision = decideRoute(factsOf(facts, c));
        if (!decision) throw new Error(`tenant ${c.tenantCode} has no usable unit for complaint ${c.id}`);
        // The dispatch names the decision it carries out: the audit entry's id.
        const routingId = randomUUID();
        open(complaint)
          .audit({
            id: routingId,
            actor: { type: 'system', id: consumer },
            event: 'complaint.routed',
            data: { unit_id: decision.unitId, tier: decision.tier, reason: decision.reason },
            channel: 'worker',
            requestId: request.messageId,
          })
          .publish(DISPATCH_JOB[decision.tier], { complaintId: c.id, unitId: decision.unitId, routingId });
      }
    }
    const routed = new Set(routable.map((r) => r.messageId));
    return requests.map((r) => (!claimed.has(r.messageId) ? 'duplicate' : routed.has(r.messageId) ? 'routed' : 'skipped'));
  }

  /** One statement: the candidate units, the categories' rules and the accused units of the whole batch. */
  private async facts(m: EntityManager, complaints: readonly Complaint[]): Promise<BatchFacts> {
    const snapshots = complaints.map((c) => c.snapshot);
    const codes = [...new Set(snapshots.flatMap((c) => [
      unitCode.kelurahan(c.kelurahanCode), unitCode.kecamatan(c.kecamatanCode), unitCode.inspektorat(c.tenantCode), unitCode.opd(c.tenantCode, 'SETDA'),
    ]))];
    const [row] = await preparedQuery<{ units: (CandidateUnit & { code: string })[]; rules: RuleRow[]; accused: { complaint_id: string; unit_ids: string[] }[] }>(
      m,
      'route-facts',
      `SELECT
         (SELECT coalesce(json_agg(json_build_object('id', u.id, 'code', u.code, 'active', u.active)), '[]') FROM unit u WHERE u.code = ANY($1)) AS units,
         (SELECT coalesce(json_agg(json_build_object('tenant_code', p.tenant_code, 'category_code', p.category_code, 'tier', r.tier,
                   'unit_id', r.unit_id, 'unit_active', u.active, 'about_official', c.about_official)), '[]')
            FROM unnest($2::text[], $3::text[]) AS p(tenant_code, category_code)
            JOIN category c ON c.code = p.category_code
            LEFT JOIN routing_rule r ON r.category_code = c.code AND r.tenant_code = p.tenant_code
            LEFT JOIN unit u ON u.id = r.unit_id) AS rules,
         -- The possibly-accused units and the units below them on the ladder (a camat heads the kecamatan's kelurahan).
         (SELECT coalesce(json_agg(json_build_object('complaint_id', a.complaint_id, 'unit_ids', a.unit_ids)), '[]')
            FROM (SELECT c.id AS complaint_id, array_agg(u.id::text) AS unit_ids
                    FROM complaint c JOIN unit u ON u.id = ANY(c.accused_unit_ids) OR u.parent_id = ANY(c.accused_unit_ids)
                   WHERE c.id = ANY($4::uuid[]) AND cardinality(c.accused_unit_ids) > 0
                   GROUP BY c.id) a) AS accused`,
      [codes, snapshots.map((c) => c.tenantCode), snapshots.map((c) => c.categoryCode), snapshots.map((c) => c.id)],
    );
    return {
      unitsByCode: new Map(row.units.map((u) => [u.code, { id: u.id, active: u.active }])),
      rules: new Map(row.rules.map((r) => [ruleKey(r.tenant_code, r.category_code), r])),
      accused: new Map(row.accused.map((a) => [a.complaint_id, a.unit_ids])),
    };
  }
}

function factsOf(facts: BatchFacts, c: Complaint['snapshot']): RouteFacts {
  const rule = facts.rules.get(ruleKey(c.tenantCode, c.categoryCode));
  return {
    rule: rule?.tier ? { tier: rule.tier, unit: rule.unit_id ? { id: rule.unit_id, active: rule.unit_active === true } : null } : null,
    kelurahanOffice: facts.unitsByCode.get(unitCode.kelurahan(c.kelurahanCode)) ?? null,
    kecamatanOffice: facts.unitsByCode.get(unitCode.kecamatan(c.kecamatanCode)) ?? null,
    inspektorat: facts.unitsByCode.get(unitCode.inspektorat(c.tenantCode)) ?? null,
    setda: facts.unitsByCode.get(unitCode.opd(c.tenantCode, 'SETDA')) ?? null,
    // An inspector's "not about an official" stands: the category's rule alone places it now.
    aboutOfficial: (rule?.about_official ?? false) && c.accusedReview !== 'cleared',
    accusedUnitIds: facts.accused.get(c.id) ?? [],
  };
}
