import { AccessPolicy, hasRole } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { loadAccessFacts } from '../persistence/access-facts';
import { ComplaintUnitOfWork } from '../persistence/complaint-unit-of-work';
import { lockComplaintByTrackingNumber } from '../persistence/complaint.mapper';
import { TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { reporterErasedError, reporterOnFile } from '../erase-reporter/erase-reporter.handler';
import { ReporterCipher, ReporterIdentity } from '../privacy/reporter-cipher';
import { RevealReporterCommand } from './reveal-reporter.command';

const NOT_FOUND = 'No complaint with that tracking number is visible to you.';

/** Only the Inspektorat, only with a reason, and the reveal itself is an audit entry. */
@CommandHandler(RevealReporterCommand)
export class RevealReporterHandler implements ICommandHandler<RevealReporterCommand, ReporterIdentity & { anonymous: boolean }> {
  constructor(private readonly dataSource: DataSource, private readonly cipher: ReporterCipher) {}

  async execute({ trackingNumber, official, reason, requestId }: RevealReporterCommand): Promise<ReporterIdentity & { anonymous: boolean }> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) throw new DomainError('not_found', NOT_FOUND);
    return this.dataSource.transaction(async (m) => {
      const complaint = await lockComplaintByTrackingNumber(m, trackingNumber);
      if (!complaint) throw new DomainError('not_found', NOT_FOUND);
      if (!AccessPolicy.canView(official, await loadAccessFacts(m, complaint.id))) throw new DomainError('not_found', NOT_FOUND);
      if (!hasRole(official, 'inspector')) throw new DomainError('forbidden', 'Only the Inspektorat may reveal a reporter.');
      const row = await reporterOnFile(m, complaint.id);
      if (row.erasedAt) throw reporterErasedError(row.erasedAt);
      const identity = row.ciphertext && row.keyId ? this.cipher.open({ keyId: row.keyId, ciphertext: row.ciphertext }, complaint.id) : {};
      const uow = new ComplaintUnitOfWork(m, complaint);
      uow.audit({ actor: { type: 'official', id: official.officialId }, event: 'complaint.reporter_revealed', data: { reason, unit_id: official.unitId }, channel: 'api', requestId });
      // An audit entry only: nothing for the outbox.
      await uow.commit(false);
      return { name: identity.name, phone: identity.phone, email: identity.email, anonymous: complaint.snapshot.anonymous };
    });
  }
}
