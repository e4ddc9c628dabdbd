import { COMPLAINT_STATUSES, ComplaintStatus } from '../domain/complaint-status';

/** GeoReport v2 knows two statuses: `GET requests` keeps to them, with the detail in `status_notes`. */
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

/** Why a rejected complaint was rejected, as `status_notes` says it. */
const REJECTION_NOTES: Readonly<Record<string, string>> = {
  duplicate: 'Pengaduan ditolak: sama dengan pengaduan lain.',
  out_of_scope: 'Pengaduan ditolak: di luar kewenangan pemerintah daerah.',
  invalid: 'Pengaduan ditolak: tidak dapat ditindaklanjuti.',
};

export function statusNotes(status: ComplaintStatus, rejectionReason: string | null = null): string {
  if (status === 'rejected' && rejectionReason !== null) return REJECTION_NOTES[rejectionReason] ?? NOTES.rejected;
  return NOTES[status];
}

/**
 * The status an entry of `servicerequestupdates` carries, in the words FixMyStreet's client maps to
 * its own states (`Open311::map_state`): it shows a bare `closed` as fixed, so every ending says
 * how it ended. `internal_referral` is a closed state to FixMyStreet; the next update moves it on.
 */
export type UpdateStatus =
  | 'open'
  | 'investigating'
  | 'in_progress'
  | 'internal_referral'
  | 'fixed'
  | 'duplicate'
  | 'not_councils_responsibility'
  | 'no_further_action';

const REJECTED_AS: Readonly<Record<string, UpdateStatus>> = {
  duplicate: 'duplicate',
  out_of_scope: 'not_councils_responsibility',
  invalid: 'no_further_action',
};

/** The lifecycle events that set a status, and the status each sets (see `updateStatus`). */
const STATUS_OF_EVENT: Readonly<Record<string, UpdateStatus>> = {
  'complaint.submitted': 'open',
  'complaint.routed': 'open',
  'complaint.assigned': 'open',
  'complaint.acknowledged': 'in_progress',
  'complaint.info_requested': 'investigating',
  'complaint.forwarded': 'internal_referral',
  'complaint.returned': 'internal_referral',
  'complaint.escalated': 'internal_referral',
  'complaint.resolved': 'fixed',
  'complaint.reopened': 'open',
  // Only a resolved complaint closes (confirmed by the resident, or silence): it stays fixed, where
  // a bare `closed` would turn a fixed report into a plain closed one under extended statuses.
  'complaint.closed': 'fixed',
};

/** The events a status can come from (`complaint.rejected` and a resumed reply besides the table). */
export const STATUS_EVENTS: readonly string[] = [...Object.keys(STATUS_OF_EVENT), 'complaint.rejected', 'complaint.resident_replied'];

/**
 * The changes a resident of an Open311 client sees in `servicerequestupdates`. Submission and the
 * routing decision are left out: the client knows it filed, and the assignment names the unit.
 */
export const FEED_EVENTS: readonly string[] = [
  'complaint.assigned',
  'complaint.acknowledged',
  'complaint.info_requested',
  'complaint.forwarded',
  'complaint.returned',
  'complaint.escalated',
  'complaint.resolved',
  'complaint.rejected',
  'complaint.reopened',
  'complaint.closed',
  'complaint.photo_added',
];

/** The status after `event`; null for an event that sets none (a photo keeps the one before it). */
export function updateStatus(event: string, data: Record<string, unknown> | null): UpdateStatus | null {
  if (event === 'complaint.rejected') return REJECTED_AS[String(data?.reason)] ?? 'no_further_action';
  // The resident's answer to a question resumes the work; any other writing changes nothing.
  if (event === 'complaint.resident_replied') return data?.resumed === true ? 'in_progress' : null;
  return STATUS_OF_EVENT[event] ?? null;
}

/** The kind of the officials' public message written with an event, whose words the update carries. */
export const OFFICIAL_WORDS: Readonly<Record<string, string>> = {
  'complaint.info_requested': 'question',
  'complaint.resolved': 'resolution',
  'complaint.rejected': 'rejection',
};
