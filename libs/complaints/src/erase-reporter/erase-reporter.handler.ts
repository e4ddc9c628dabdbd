import { DomainError } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { loadAccessFacts } from '../persistence/access-facts';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import { ComplaintWriter } from '../persistence/complaint-writer';
import { reporterAccessRefusal, reporterErasedError, reporterOnFile } from '../privacy/reporter-access';
import { EraseReporterCommand, ReporterErasure } from './erase-reporter.command';

const NOT_FOUND = 'No complaint with that tracking number is visible to you.';

/**
 * Erasure meets the append-only log by removing the identity from everywhere it lives outside it:
 * the complaint's ciphertext, the keyed hashes of the resident's address in the delivery ledger,
 * and the fingerprint of the intake body (which hashed the identity in). The audit entry records
 * the erasure by reference only; the complaint, its trail and its chain stay as they were.
 */
@CommandHandler(EraseReporterCommand)
export class EraseReporterHandler implements ICommandHandler<EraseReporterCommand, ReporterErasure> {
  constructor(private readonly writer: ComplaintWriter) {}

  async execute({ trackingNumber, official, reason, requestReference, requestId }: EraseReporterCommand): Promise<ReporterErasure> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) throw new DomainError('not_found', NOT_FOUND);
    return this.writer.transaction(async ({ manager: m, open }) => {
      const complaint = await lockComplaintByTrackingNumber(m, trackingNumber);
      if (!complaint) throw new DomainError('not_found', NOT_FOUND);
      const refusal = reporterAccessRefusal(official, await loadAccessFacts(m, complaint.id), 'Only the Inspektorat may erase a reporter’s identity.');
      if (refusal) throw refusal;
      const before = await reporterOnFile(m, complaint.id);
      if (before.erasedAt) throw reporterErasedError(before.erasedAt);

      const uow = open(complaint);
      await m.query(`UPDATE complaint SET reporter_ciphertext = NULL, reporter_key_id = NULL, reporter_erased_at = $2 WHERE id = $1`, [complaint.id, uow.now]);
      const addresses: [unknown, number] = await m.query(
        `UPDATE notification_delivery d SET address_hash = NULL, updated_at = now()
          FROM notification n WHERE n.id = d.notification_id AND n.complaint_id = $1 AND d.recipient = 'resident' AND d.address_hash IS NOT NULL`,
        [complaint.id],
      );
      // A retry with the same key then gets 409 (another body), never a second complaint.
      const keys: [unknown, number] = await m.query(`UPDATE intake_key SET body_sha256 = 'erased' WHERE complaint_id = $1`, [complaint.id]);
      const hadIdentity = before.ciphertext !== null;
      uow.audit({
        actor: { type: 'official', id: official.officialId },
        event: 'complaint.reporter_erased',
        data: { reason, request_reference: requestReference, unit_id: official.unitId, had_identity: hadIdentity, delivery_addresses: addresses[1], intake_keys: keys[1] },
        channel: 'api',
        requestId,
      });
      return { erasedAt: uow.now, hadIdentity };
    });
  }
}
