import { sha256Hex } from '@aduan/audit';
import { AccessPolicy, unitCode } from '@aduan/directory';
import { DomainError, JobName } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DeadlinePolicy } from '../assign-complaint/deadline-policy';
import { ConflictReferences } from '../conflict/conflict-references';
import { IllegalTransition } from '../domain/complaint';
import type { ComplaintStatus } from '../domain/complaint-status';
import { derivePossiblyAccused } from '../domain/possibly-accused';
import { accusedClosure } from '../persistence/access-facts';
import { normalizeAccessCode, TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import type { ComplaintUnitOfWork } from '../persistence/complaint-unit-of-work';
import { ComplaintWriter } from '../persistence/complaint-writer';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import { armResolution } from '../persistence/timers';
import { AccessCodeHasher } from '../privacy/reporter-cipher';
import { ResidentWritesCommand } from './resident-writes.command';

const NOT_FOUND = 'No complaint matches that tracking number and access code.';
/** Statuses in which a unit holds the complaint, so a reply naming that unit moves it. */
const HELD: readonly ComplaintStatus[] = ['routed', 'in_progress', 'awaiting_info'];

/**
 * A reply resumes a complaint waiting for the resident; feedback closes or reopens a resolution.
 * A reply is read like a new complaint for markers and titles: if it names the unit holding the
 * complaint (or a unit that unit's head leads), the complaint leaves that unit at once, in the
 * same transaction, and goes back through routing to the Inspektorat's triage.
 */
@CommandHandler(ResidentWritesCommand)
export class ResidentWritesHandler implements ICommandHandler<ResidentWritesCommand, void> {
  constructor(
    private readonly writer: ComplaintWriter,
    private readonly hasher: AccessCodeHasher,
    private readonly deadlines: DeadlinePolicy,
    private readonly conflicts: ConflictReferences,
  ) {}

  async execute({ trackingNumber, accessCode, write, requestId }: ResidentWritesCommand): Promise<void> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) throw new DomainError('not_found', NOT_FOUND);
    await this.writer.transaction(async ({ manager: m, open }) => {
      const complaint = await lockComplaintByTrackingNumber(m, trackingNumber);
      const [row]: { access_code_hash: string; current_unit_id: string | null }[] = complaint
        ? await m.query(`SELECT access_code_hash, current_unit_id FROM complaint WHERE id = $1`, [complaint.id])
        : [];
      if (!complaint || !row || !this.hasher.matches(normalizeAccessCode(accessCode), row.access_code_hash)) throw new DomainError('not_found', NOT_FOUND);
      const uow = open(complaint);
      const c = complaint.snapshot;
      const actor = { type: 'resident' as const };
      try {
        if (write.type === 'reply') {
          const resumed = complaint.residentWrites(uow.now);
          uow.message('reply', write.message, { type: 'resident' }, true);
          uow.audit({ actor, event: 'complaint.resident_replied', data: { resumed, message_sha256: sha256Hex(write.message) }, channel: 'web', requestId });
          if (resumed && complaint.snapshot.resolutionDueAt) armResolution(uow, c.id, complaint.snapshot.resolutionDueAt);
          const movedAway = await this.readForAccused(uow, write.message, row.current_unit_id, requestId);
          if (row.current_unit_id && !movedAway) uow.notify('unit', 'unit.resident_replied', { resumed }, row.current_unit_id);
        } else {
          const reopenDue = await this.deadlines.resolutionDueAt(c.tenantCode, c.categoryCode, uow.now, m);
          complaint.feedback(write.satisfied, uow.now, reopenDue);
          if (write.comment) uow.message('feedback', write.comment, { type: 'resident' }, false);
          uow.audit({ actor, event: write.satisfied ? 'complaint.closed' : 'complaint.reopened', data: { satisfied: write.satisfied, rating: write.rating ?? null }, channel: 'web', requestId });
          if (write.satisfied) {
            uow.endAssignment('closed').notify('resident', 'resident.closed', {});
          } else {
            armResolution(uow, c.id, reopenDue.at);
          }
          // A comment is read like a reply: "not solved, and they asked me for money" must not go back to them.
          const movedAway = write.comment ? await this.readForAccused(uow, write.comment, row.current_unit_id, requestId) : false;
          if (!write.satisfied && row.current_unit_id && !movedAway) uow.notify('unit', 'unit.reopened', { rating: write.rating ?? null }, row.current_unit_id);
        }
      } catch (error) {
        if (error instanceof IllegalTransition) throw new DomainError('conflict', `The complaint is ${error.from}; this does not fit.`);
        throw error;
      }
    });
  }

  /**
   * Markers and titles in a reply (or a feedback comment) add suspects to the complaint's accused
   * set. Answers whether the complaint had to leave the unit holding it (that unit, or its head, is
   * now suspect); a finished complaint only records the new suspects for the Inspektorat.
   */
  private async readForAccused(uow: ComplaintUnitOfWork, message: string, currentUnitId: string | null, requestId: string | null): Promise<boolean> {
    const complaint = uow.complaint;
    const c = complaint.snapshot;
    const tenant = await this.conflicts.forTenant(c.tenantCode);
    const derived = derivePossiblyAccused({
      accused: null,
      accusedUnitId: null,
      text: { source: 'reply', body: message },
      aboutOfficial: false,
      markers: tenant.markers,
      units: tenant.units,
      kelurahanOfficeId: tenant.byCode.get(unitCode.kelurahan(c.kelurahanCode))?.id ?? null,
      kecamatanOfficeId: tenant.byCode.get(unitCode.kecamatan(c.kecamatanCode))?.id ?? null,
      currentUnitId,
      officials: tenant.officials,
    });
    if (!derived.flagged) return false;
    const added = complaint.flagAccused(derived.unitIds);
    if (added.length === 0) return false;
    uow.audit({
      actor: { type: 'resident' },
      event: 'complaint.accused_flagged',
      data: { source: 'reply', unit_ids: added, findings: derived.findings },
      channel: 'web',
      requestId,
    });
    if (!currentUnitId || !HELD.includes(complaint.status)) return false;
    const accused = await accusedClosure(uow.manager, complaint.snapshot.accusedUnitIds);
    if (AccessPolicy.mayReceive({ accusedUnitIds: accused }, currentUnitId)) return false;
    complaint.returnToRouting();
    uow.endAssignment('rerouted');
    uow.audit({
      actor: { type: 'system', id: 'conflict-of-interest' },
      event: 'complaint.rerouted',
      data: { status: 'submitted', from_unit_id: currentUnitId, reason: 'accused_flagged' },
      channel: 'web',
      requestId,
    });
    uow.publish(JobName.RouteComplaint, { complaintId: c.id });
    return true;
  }
}
