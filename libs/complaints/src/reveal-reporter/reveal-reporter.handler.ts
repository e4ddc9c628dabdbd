import { DomainError } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { loadAccessFacts } from '../persistence/access-facts';
import { ComplaintWriter } from '../persistence/complaint-writer';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import { TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { reporterAccessRefusal, reporterErasedError, reporterOnFile } from '../privacy/reporter-access';
import { ReporterCipher, ReporterIdentity } from '../privacy/reporter-cipher';
import { RevealReporterCommand } from './reveal-reporter.command';

const NOT_FOUND = 'No complaint with that tracking number is visible to you.';

/** Only the Inspektorat, only with a reason, and the reveal itself is an audit entry. */
@CommandHandler(RevealReporterCommand)
export class RevealReporterHandler implements ICommandHandler<RevealReporterCommand, ReporterIdentity & { anonymous: boolean }> {
  constructor(private readonly writer: ComplaintWriter, private readonly cipher: ReporterCipher) {}

  async execute({ trackingNumber, official, reason, requestId }: RevealReporterCommand): Promise<ReporterIdentity & { anonymous: boolean }> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) throw new DomainError('not_found', NOT_FOUND);
    return this.writer.transaction(async ({ manager: m, open }) => {
      const complaint = await lockComplaintByTrackingNumber(m, trackingNumber);
      if (!complaint) throw new DomainError('not_found', NOT_FOUND);
      const refusal = reporterAccessRefusal(official, await loadAccessFacts(m, complaint.id), 'Only the Inspektorat may reveal a reporter.');
      if (refusal) throw refusal;
      const row = await reporterOnFile(m, complaint.id);
      if (row.erasedAt) throw reporterErasedError(row.erasedAt);
      const identity = row.ciphertext && row.keyId ? this.cipher.open({ keyId: row.keyId, ciphertext: row.ciphertext }, complaint.id) : {};
      open(complaint).audit({ actor: { type: 'official', id: official.officialId }, event: 'complaint.reporter_revealed', data: { reason, unit_id: official.unitId }, channel: 'api', requestId });
      return { name: identity.name, phone: identity.phone, email: identity.email, anonymous: complaint.snapshot.anonymous };
    });
  }
}
