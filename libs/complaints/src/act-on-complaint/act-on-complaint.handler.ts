import { sha256Hex } from '@aduan/audit';
import { AccessPolicy, ComplaintAccessFacts, Principal, Tier, TIER_OF_UNIT, unitCode, UnitType } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DeadlinePolicy } from '../assign-complaint/deadline-policy';
import { Complaint, HandOverVia, IllegalTransition } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/complaint-events';
import { loadAccessFacts } from '../persistence/access-facts';
import type { ComplaintUnitOfWork } from '../persistence/complaint-unit-of-work';
import { ComplaintWriter } from '../persistence/complaint-writer';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import { TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { armAutoClose, armFirstResponse, armResolution } from '../persistence/timers';
import { ActOnComplaintCommand, OfficialAction } from './act-on-complaint.command';

interface TargetUnit {
  id: string;
  code: string;
  tier: Tier;
}

/**
 * Every official action in one transaction: lock the complaint, check the access policy, let the
 * aggregate decide, then write state, audit entry, messages, timers and notices together. Two
 * officials acting at once serialise on the row lock; the second sees the new state and gets 409
 * if its action no longer fits.
 */
@CommandHandler(ActOnComplaintCommand)
export class ActOnComplaintHandler implements ICommandHandler<ActOnComplaintCommand, void> {
  constructor(private readonly writer: ComplaintWriter, private readonly deadlines: DeadlinePolicy) {}

  async execute({ trackingNumber, official, action, requestId }: ActOnComplaintCommand): Promise<void> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) throw new DomainError('not_found', 'No complaint with that tracking number is visible to you.');
    await this.writer.transaction(async ({ manager: m, open }) => {
      const complaint = await lockComplaintByTrackingNumber(m, trackingNumber);
      if (!complaint) throw new DomainError('not_found', 'No complaint with that tracking number is visible to you.');
      const facts = await loadAccessFacts(m, complaint.id);
      if (!AccessPolicy.canView(official, facts)) throw new DomainError('not_found', 'No complaint with that tracking number is visible to you.');
      if (!AccessPolicy.canAct(official, facts)) throw new DomainError('forbidden', 'Only the unit that holds this complaint may act on it.');
      const uow = open(complaint);
      try {
        await this.apply(m, uow, official, action, facts, requestId);
      } catch (error) {
        if (error instanceof IllegalTransition) throw new DomainError('conflict', `The complaint is ${error.from}; this action does not fit.`);
        throw error;
      }
    });
  }

  private async apply(m: EntityManager, uow: ComplaintUnitOfWork, official: Principal, action: OfficialAction, accused: ComplaintAccessFacts, requestId: string | null): Promise<void> {
    const complaint = uow.complaint;
    const c = complaint.snapshot;
    const now = uow.now;
    const actor = { type: 'official' as const, id: official.officialId };
    const author = { type: 'official' as const, officialId: official.officialId, unitId: official.unitId };
    const audit = (event: ComplaintEvent, data: Record<string, unknown>) =>
      uow.audit({ actor, event, data: { unit_id: official.unitId, ...data }, channel: 'api', requestId });

    switch (action.type) {
      case 'acknowledge': {
        const due = await this.deadlines.resolutionDueAt(c.tenantCode, c.categoryCode, now, m);
        complaint.acknowledge(now, due);
        uow.markResponded();
        if (action.note) uow.message('note', action.note, author, false);
        armResolution(uow, c.id, due.at);
        audit('complaint.acknowledged', { resolution_due_at: due.at.toISOString(), ...(due.provisional ? { due_provisional: true } : {}) });
        uow.notify('resident', 'resident.acknowledged', { due_at: due.at.toISOString(), due_provisional: due.provisional });
        return;
      }
      case 'request-info': {
        complaint.requestInfo(now, await this.deadlines.resolutionDueAt(c.tenantCode, c.categoryCode, now, m));
        uow.markResponded().message('question', action.question, author, true);
        audit('complaint.info_requested', { question: action.question });
        uow.notify('resident', 'resident.info_requested', { question: action.question });
        return;
      }
      case 'forward': {
        const target = await this.unitByCode(m, action.unit, c.tenantCode, accused);
        await this.handOver(uow, target, 'forwarded', official.unitId, accused);
        audit('complaint.forwarded', { to_unit_id: target.id, to_unit: target.code, reason: action.reason });
        uow.message('note', action.reason, author, false);
        return;
      }
      case 'return': {
        const target = await this.returnTarget(m, complaint, accused);
        await this.handOver(uow, target, 'returned', official.unitId, accused);
        audit('complaint.returned', { to_unit_id: target.id, to_unit: target.code, reason: action.reason });
        uow.message('note', action.reason, author, false);
        return;
      }
      case 'resolve': {
        const closeAt = await this.deadlines.autoCloseAt(c.tenantCode, now, m);
        complaint.resolve(now, closeAt);
        uow.markResponded().message('resolution', action.resolution, author, true);
        armAutoClose(uow, c.id, now, closeAt.at);
        audit('complaint.resolved', { resolution_sha256: sha256Hex(action.resolution) });
        uow.notify('resident', 'resident.resolved', {});
        return;
      }
      case 'reject': {
        let duplicateOf: string | null = null;
        if (action.reason === 'duplicate') {
          duplicateOf = await this.original(m, official, action.duplicate_of, c.tenantCode, c.trackingNumber);
        }
        complaint.reject(now);
        uow.markResponded().endAssignment('rejected').message('rejection', action.note, author, true);
        audit('complaint.rejected', { reason: action.reason, duplicate_of: duplicateOf });
        uow.notify('resident', 'resident.rejected', { reason: action.reason, duplicate_of: duplicateOf });
        return;
      }
    }
  }

  /** Disposisi, return: the complaint moves to `target` with a fresh first-response clock. */
  private async handOver(uow: ComplaintUnitOfWork, target: TargetUnit, via: HandOverVia, fromUnitId: string | null, accused: ComplaintAccessFacts): Promise<void> {
    const c = uow.complaint.snapshot;
    if (!AccessPolicy.mayReceive(accused, target.id)) throw conflictOfInterest();
    const due = await this.deadlines.firstResponseDueAt(c.tenantCode, c.categoryCode, uow.now, uow.manager);
    uow.complaint.handOver(target.id, target.tier, due, via);
    uow.markResponded().endAssignment(via);
    if (fromUnitId) uow.grantReadAccess(fromUnitId, via);
    const assignmentId = uow.openAssignment({ unitId: target.id, tier: target.tier, routingId: randomUUID(), due, fromUnitId, via });
    armFirstResponse(uow, assignmentId, uow.now, due.at);
    uow.notify('unit', 'unit.assigned', { due_at: due.at.toISOString(), due_provisional: due.provisional, via }, target.id);
  }

  private async unitByCode(m: EntityManager, code: string, tenantCode: string, accused: ComplaintAccessFacts): Promise<TargetUnit> {
    const rows: { id: string; code: string; type: UnitType }[] = await m.query(
      `SELECT id, code, type FROM unit WHERE code = $1 AND tenant_code = $2 AND active`,
      [code, tenantCode],
    );
    const unit = rows[0];
    if (!unit) throw new DomainError('invalid', 'The unit does not exist in this kota/kabupaten.', [{ field: 'unit', message: 'unknown unit' }]);
    if (!AccessPolicy.mayReceive(accused, unit.id)) throw conflictOfInterest();
    return { id: unit.id, code: unit.code, tier: TIER_OF_UNIT[unit.type] };
  }

  /**
   * "Not our authority": back to the unit that passed it here by disposisi; a complaint that
   * routing placed (or that was returned or escalated here) goes to the kecamatan's camat for
   * manual dispatch, and one the camat returns goes to the Sekda (Setda).
   */
  private async returnTarget(m: EntityManager, complaint: Complaint, accused: ComplaintAccessFacts): Promise<TargetUnit> {
    const c = complaint.snapshot;
    const rows: { from_unit_id: string | null }[] = await m.query(
      `SELECT from_unit_id FROM assignment WHERE complaint_id = $1 AND ended_at IS NULL AND via = 'forwarded'`,
      [c.id],
    );
    const candidates: string[] = [];
    const from = rows[0]?.from_unit_id;
    if (from) candidates.push(`id:${from}`);
    candidates.push(`code:${unitCode.kecamatan(c.kecamatanCode)}`, `code:${unitCode.opd(c.tenantCode, 'SETDA')}`, `code:${unitCode.inspektorat(c.tenantCode)}`);
    for (const candidate of candidates) {
      const [kind, value] = [candidate.slice(0, candidate.indexOf(':')), candidate.slice(candidate.indexOf(':') + 1)];
      const found: { id: string; code: string; type: UnitType }[] = await m.query(
        `SELECT id, code, type FROM unit WHERE ${kind === 'id' ? 'id = $1::uuid' : 'code = $1'} AND active`,
        [value],
      );
      const unit = found[0];
      if (unit && unit.id !== c.currentUnitId && AccessPolicy.mayReceive(accused, unit.id)) return { id: unit.id, code: unit.code, tier: TIER_OF_UNIT[unit.type] };
    }
    throw new DomainError('conflict', 'There is no unit to return this complaint to.');
  }

  /**
   * The original of a duplicate: a complaint of the tenant that the caller can see. One they cannot
   * see gets the very answer of one that does not exist, so `duplicate_of` tells nobody what exists.
   */
  private async original(m: EntityManager, official: Principal, trackingNumber: string | undefined, tenantCode: string, self: string): Promise<string> {
    const rows: { id: string; tracking_number: string }[] = trackingNumber && trackingNumber !== self
      ? await m.query(`SELECT id, tracking_number FROM complaint WHERE tracking_number = $1 AND tenant_code = $2`, [trackingNumber, tenantCode])
      : [];
    const visible = rows[0] && AccessPolicy.canView(official, await loadAccessFacts(m, rows[0].id));
    if (!visible) throw new DomainError('invalid', 'A duplicate must name the original complaint.', [{ field: 'duplicate_of', message: 'unknown complaint' }]);
    return rows[0].tracking_number;
  }
}

/** Forwarding into the accused set: a 422 that says why, naming no one. */
function conflictOfInterest(): DomainError {
  return new DomainError(
    'invalid',
    'This complaint may concern that unit or an official who heads it (conflict of interest), so it cannot go there. Choose another unit, or ask the Inspektorat to review the accused set.',
    [{ field: 'unit', message: 'conflict of interest' }],
  );
}
