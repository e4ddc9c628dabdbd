import { COMPLAINT_EVENTS, ComplaintEvent, isComplaintEvent } from '../domain/complaint-events';
import { COMPLAINT_STATUSES, ComplaintStatus } from '../domain/complaint-status';
import type { MessageKind } from '../persistence/complaint-message.entity';

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

/** What an event means to an Open311 client: the status it sets, and whether the update feed shows it. */
interface Open311Meaning {
  /** null: the event sets no status (a photo keeps the one before it); a function reads the event's data */
  status: UpdateStatus | ((data: Record<string, unknown> | null) => UpdateStatus | null) | null;
  /**
   * Shown in `servicerequestupdates`. Submission and the routing decision are left out: the client
   * knows it filed, and the assignment names the unit.
   */
  feed: boolean;
}

const OPEN311_OF_EVENT: Record<ComplaintEvent, Open311Meaning> = {
  'complaint.submitted': { status: 'open', feed: false },
  'complaint.routed': { status: 'open', feed: false },
  'complaint.assigned': { status: 'open', feed: true },
  'complaint.acknowledged': { status: 'in_progress', feed: true },
  'complaint.info_requested': { status: 'investigating', feed: true },
  'complaint.forwarded': { status: 'internal_referral', feed: true },
  'complaint.returned': { status: 'internal_referral', feed: true },
  'complaint.escalated': { status: 'internal_referral', feed: true },
  'complaint.resolved': { status: 'fixed', feed: true },
  'complaint.rejected': { status: (data) => REJECTED_AS[String(data?.reason)] ?? 'no_further_action', feed: true },
  'complaint.reopened': { status: 'open', feed: true },
  // Only a resolved complaint closes (confirmed by the resident, or silence): it stays fixed, where
  // a bare `closed` would turn a fixed report into a plain closed one under extended statuses.
  'complaint.closed': { status: 'fixed', feed: true },
  // The resident's answer to a question resumes the work; any other writing changes nothing.
  'complaint.resident_replied': { status: (data) => (data?.resumed === true ? 'in_progress' : null), feed: false },
  'complaint.photo_added': { status: null, feed: true },
  'complaint.rerouted': { status: null, feed: false },
  'complaint.deadline_missed': { status: null, feed: false },
  'complaint.deadline_moved': { status: null, feed: false },
  'complaint.deadline_recounted': { status: null, feed: false },
  'complaint.accused_flagged': { status: null, feed: false },
  'complaint.accused_confirmed': { status: null, feed: false },
  'complaint.accused_cleared': { status: null, feed: false },
  'complaint.reporter_revealed': { status: null, feed: false },
  'complaint.reporter_erased': { status: null, feed: false },
};

/** The events a status can come from. */
export const STATUS_EVENTS: readonly ComplaintEvent[] = COMPLAINT_EVENTS.filter((e) => OPEN311_OF_EVENT[e].status !== null);

/** The changes a resident of an Open311 client sees in `servicerequestupdates`. */
export const FEED_EVENTS: readonly ComplaintEvent[] = COMPLAINT_EVENTS.filter((e) => OPEN311_OF_EVENT[e].feed);

/** The status after `event`; null for an event that sets none (a photo keeps the one before it). */
export function updateStatus(event: string, data: Record<string, unknown> | null): UpdateStatus | null {
  if (!isComplaintEvent(event)) return null;
  const status = OPEN311_OF_EVENT[event].status;
  return typeof status === 'function' ? status(data) : status;
}

/** The kind of the officials' public message written with an event, whose words the update carries. */
export const OFFICIAL_WORDS: Readonly<Partial<Record<ComplaintEvent, MessageKind>>> = {
  'complaint.info_requested': 'question',
  'complaint.resolved': 'resolution',
  'complaint.rejected': 'rejection',
};
