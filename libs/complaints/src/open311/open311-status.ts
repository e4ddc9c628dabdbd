import { COMPLAINT_STATUSES, ComplaintStatus } from '../domain/complaint-status';

/** GeoReport v2 knows two statuses. */
export type Open311Status = 'open' | 'closed';

const CLOSED: readonly ComplaintStatus[] = ['resolved', 'closed', 'rejected'];

export function open311Status(status: ComplaintStatus): Open311Status {
  return CLOSED.includes(status) ? 'closed' : 'open';
}

/** Which complaint statuses an Open311 status filter covers. */
export function complaintStatusesFor(statuses: readonly Open311Status[]): ComplaintStatus[] {
  return COMPLAINT_STATUSES.filter((s) => statuses.includes(open311Status(s)));
}

/** `status_notes`: what the two-value status cannot say, in Bahasa Indonesia. */
const NOTES: Record<ComplaintStatus, string> = {
  submitted: 'Pengaduan diterima dan sedang diarahkan ke unit yang berwenang.',
  routed: 'Pengaduan sudah diteruskan ke unit yang berwenang dan menunggu tanggapan.',
  in_progress: 'Pengaduan sedang ditindaklanjuti oleh unit yang berwenang.',
  awaiting_info: 'Petugas menunggu keterangan tambahan dari pelapor.',
  resolved: 'Pengaduan sudah diselesaikan oleh unit yang berwenang.',
  closed: 'Pengaduan ditutup.',
  rejected: 'Pengaduan tidak dapat ditindaklanjuti.',
};

export function statusNotes(status: ComplaintStatus): string {
  return NOTES[status];
}

/**
 * The status a complaint is in after each lifecycle event (the updates feed replays a complaint's
 * audit chain). An event that records `data.status` says so itself; any other event leaves the
 * status as it was. Keep in step with the Complaint aggregate's transitions.
 */
export const STATUS_AFTER_EVENT: Readonly<Record<string, ComplaintStatus>> = {
  'complaint.submitted': 'submitted',
  'complaint.assigned': 'routed',
  'complaint.acknowledged': 'in_progress',
  'complaint.info_requested': 'awaiting_info',
  'complaint.forwarded': 'routed',
  'complaint.returned': 'routed',
  'complaint.escalated': 'routed',
  'complaint.resolved': 'resolved',
  'complaint.rejected': 'rejected',
  'complaint.reopened': 'in_progress',
  'complaint.closed': 'closed',
};

/** The status after `event`, from the status before it. */
export function statusAfter(before: ComplaintStatus, event: string, data: Record<string, unknown> | null): ComplaintStatus {
  const recorded = data?.status;
  if (isComplaintStatus(recorded)) return recorded;
  // The resident's answer to a question resumes the work; any other writing changes nothing.
  if (event === 'complaint.resident_replied') return data?.resumed === true ? 'in_progress' : before;
  return STATUS_AFTER_EVENT[event] ?? before;
}

export function isComplaintStatus(value: unknown): value is ComplaintStatus {
  return typeof value === 'string' && (COMPLAINT_STATUSES as readonly string[]).includes(value);
}
