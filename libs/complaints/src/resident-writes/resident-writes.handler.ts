import { sha256Hex } from '@aduan/audit';
import { DomainError, OutboxPublisher } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DeadlinePolicy } from '../assign-complaint/deadline-policy';
import { IllegalTransition } from '../domain/complaint';
import { normalizeAccessCode, TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { ComplaintUnitOfWork } from '../persistence/complaint-unit-of-work';
import { lockComplaintByTrackingNumber } from '../persistence/complaint.mapper';
import { armResolution } from '../persistence/timers';
import { AccessCodeHasher } from '../privacy/reporter-cipher';
import { ResidentWritesCommand } from './resident-writes.command';

const NOT_FOUND = 'No complaint matches that tracking number and access code.';

/** A reply resumes a complaint waiting for the resident; feedback closes or reopens a resolution. */
@CommandHandler(ResidentWritesCommand)
export class ResidentWritesHandler implements ICommandHandler<ResidentWritesCommand, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: AccessCodeHasher,
    private readonly deadlines: DeadlinePolicy,
    private readonly publisher: OutboxPublisher,
  ) {}

  async execute({ trackingNumber, accessCode, write, requestId }: ResidentWritesCommand): Promise<void> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) throw new DomainError('not_found', NOT_FOUND);
    const outbox = await this.dataSource.transaction(async (m) => {
      const complaint = await lockComplaintByTrackingNumber(m, trackingNumber);
      const [row]: { access_code_hash: string; current_unit_id: string | null }[] = complaint
        ? await m.query(`SELECT access_code_hash, current_unit_id FROM complaint WHERE id = $1`, [complaint.id])
        : [];
      if (!complaint || !row || !this.hasher.matches(normalizeAccessCode(accessCode), row.access_code_hash)) throw new DomainError('not_found', NOT_FOUND);
      const uow = new ComplaintUnitOfWork(m, complaint);
      const c = complaint.snapshot;
      const actor = { type: 'resident' as const };
      try {
        if (write.type === 'reply') {
          const resumed = complaint.residentWrites(uow.now);
          uow.message('reply', write.message, { type: 'resident' }, true);
          uow.audit({ actor, event: 'complaint.resident_replied', data: { resumed, message_sha256: sha256Hex(write.message) }, channel: 'web', requestId });
          if (resumed && complaint.snapshot.resolutionDueAt) armResolution(uow, c.id, complaint.snapshot.resolutionDueAt);
          if (row.current_unit_id) uow.notify('unit', 'unit.resident_replied', { resumed }, row.current_unit_id);
        } else {
          const reopenDue = await this.deadlines.resolutionDueAt(c.tenantCode, c.categoryCode, uow.now, m);
          complaint.feedback(write.satisfied, uow.now, reopenDue);
          if (write.comment) uow.message('feedback', write.comment, { type: 'resident' }, false);
          uow.audit({ actor, event: write.satisfied ? 'complaint.closed' : 'complaint.reopened', data: { satisfied: write.satisfied, rating: write.rating ?? null }, channel: 'web', requestId });
          if (write.satisfied) {
            uow.endAssignment('closed').notify('resident', 'resident.closed', {});
          } else {
            armResolution(uow, c.id, reopenDue.at);
            if (row.current_unit_id) uow.notify('unit', 'unit.reopened', { rating: write.rating ?? null }, row.current_unit_id);
          }
        }
      } catch (error) {
        if (error instanceof IllegalTransition) throw new DomainError('conflict', `The complaint is ${error.from}; this does not fit.`);
        throw error;
      }
      return uow.commit(this.publisher.direct);
    });
    await this.publisher.committed(outbox);
  }
}
