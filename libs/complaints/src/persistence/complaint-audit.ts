import { AuditRecord, complaintStream } from '@aduan/audit';
import type { ComplaintEvent } from '../domain/complaint-events';

/** An audit entry of a complaint, its event a name from the registry (domain/complaint-events.ts). */
export type ComplaintAuditRecord = Omit<AuditRecord, 'stream' | 'event'> & { event: ComplaintEvent };

/** The entry on `complaintId`'s chain, for writers that seal their own (intake, a photo). */
export function complaintAudit(complaintId: string, record: ComplaintAuditRecord): AuditRecord {
  return { stream: complaintStream(complaintId), ...record };
}
