import { AccessPolicy } from '@aduan/directory';
import { DomainError, JobName } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from 'typeorm';
import { IllegalTransition } from '../domain/complaint';
import type { ComplaintStatus } from '../domain/complaint-status';
import { TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { accusedClosure, loadAccessFacts } from '../persistence/access-facts';
import type { ComplaintUnitOfWork } from '../persistence/complaint-unit-of-work';
import { ComplaintWriter } from '../persistence/complaint-writer';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import { TriageAccusedCommand, TriageDecision } from './triage-accused.command';

const NOT_FOUND = 'No complaint with that tracking number is visible to you.';
const HELD: readonly ComplaintStatus[] = ['routed', 'in_progress', 'awaiting_info'];

/**
 * Whether a triage decision sends the complaint back through routing. Clearing a false alarm
 * does, when the complaint sits with the reviewing Inspektorat (routing then places it as any
 * other complaint); confirming does when the confirmed set now covers the unit holding it.
 * A complaint no unit holds (not yet routed, or finished) stays where it is.
 */
export function triageReroutes(f: { status: ComplaintStatus; currentUnitId: string | null; reviewerUnitId: string | null; decision: TriageDecision['type']; accusedAfter: readonly string[] }): boolean {
  if (!HELD.includes(f.status) || f.currentUnitId === null) return false;
  if (f.decision === 'clear') return f.currentUnitId === f.reviewerUnitId;
  return !AccessPolicy.mayReceive({ accusedUnitIds: f.accusedAfter }, f.currentUnitId);
}

/**
 * An inspector confirms or clears a complaint's possibly-accused units. One transaction under the
 * complaint's lock: the new set, the audit entry with the inspector's reason, and — when the
 * complaint must move — its return to routing (state, audit entry and outbox row together).
 */
@CommandHandler(TriageAccusedCommand)
export class TriageAccusedHandler implements ICommandHandler<TriageAccusedCommand, void> {
  constructor(private readonly writer: ComplaintWriter) {}

  async execute({ trackingNumber, official, decision, requestId }: TriageAccusedCommand): Promise<void> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) throw new DomainError('not_found', NOT_FOUND);
    await this.writer.transaction(async ({ manager: m, open }) => {
      const complaint = await lockComplaintByTrackingNumber(m, trackingNumber);
      if (!complaint) throw new DomainError('not_found', NOT_FOUND);
      const facts = await loadAccessFacts(m, complaint.id);
      if (!AccessPolicy.canView(official, facts)) throw new DomainError('not_found', NOT_FOUND);
      if (!AccessPolicy.canTriage(official, facts)) throw new DomainError('forbidden', 'Only an inspector of the Inspektorat may review whom a complaint accuses.');
      const uow = open(complaint);
      const before = complaint.snapshot.accusedUnitIds;
      const actor = { type: 'official' as const, id: official.officialId };
      try {
        if (decision.type === 'confirm') {
          complaint.confirmAccused(decision.units ? await this.unitIds(m, complaint.snapshot.tenantCode, decision.units) : undefined);
          uow.audit({ actor, event: 'complaint.accused_confirmed', data: { unit_id: official.unitId, reason: decision.reason, before, unit_ids: complaint.snapshot.accusedUnitIds }, channel: 'api', requestId });
        } else {
          complaint.clearAccused();
          uow.audit({ actor, event: 'complaint.accused_cleared', data: { unit_id: official.unitId, reason: decision.reason, before }, channel: 'api', requestId });
        }
      } catch (error) {
        if (error instanceof IllegalTransition) {
          throw new DomainError('conflict', decision.type === 'clear' ? 'This complaint names no possibly-accused unit to clear.' : 'There is no accused set to confirm; name the units.');
        }
        throw error;
      }
      const c = complaint.snapshot;
      const accusedAfter = await accusedClosure(m, c.accusedUnitIds);
      if (triageReroutes({ status: c.status, currentUnitId: c.currentUnitId, reviewerUnitId: official.unitId, decision: decision.type, accusedAfter })) {
        this.reroute(uow, accusedAfter, decision.type === 'clear' ? 'accused_cleared' : 'accused_confirmed', requestId);
      }
    });
  }

  /** Out of the current inbox and back to routing; the unit it leaves keeps read access unless it is suspect. */
  private reroute(uow: ComplaintUnitOfWork, accusedAfter: readonly string[], reason: string, requestId: string | null): void {
    const from = uow.complaint.snapshot.currentUnitId!;
    uow.complaint.returnToRouting();
    uow.endAssignment('rerouted');
    if (AccessPolicy.mayReceive({ accusedUnitIds: accusedAfter }, from)) uow.grantReadAccess(from, 'rerouted');
    uow.audit({ actor: { type: 'system', id: 'conflict-of-interest' }, event: 'complaint.rerouted', data: { status: 'submitted', from_unit_id: from, reason }, channel: 'api', requestId });
    uow.publish(JobName.RouteComplaint, { complaintId: uow.complaint.snapshot.id });
  }

  /** Unit codes of the complaint's tenant, as ids; an unknown code is a 422 naming it. */
  private async unitIds(m: EntityManager, tenantCode: string, codes: readonly string[]): Promise<string[]> {
    const rows: { id: string; code: string }[] = await m.query(`SELECT id, code FROM unit WHERE tenant_code = $1 AND code = ANY($2::text[])`, [tenantCode, codes]);
    const known = new Set(rows.map((r) => r.code));
    const unknown = codes.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw new DomainError('invalid', 'Every unit must be a unit of this kota/kabupaten.', unknown.map((code) => ({ field: 'units', message: `unknown unit ${code}` })));
    }
    return rows.map((r) => r.id);
  }
}
