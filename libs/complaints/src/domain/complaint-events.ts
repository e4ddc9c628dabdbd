/**
 * The registry of what can happen to a complaint: the names its audit entries carry. Every place
 * that reacts to an event (the timeline, Open311's statuses and feed) is a `Record` over this
 * union, so a new name here makes the compiler list each place that must say what it does with it.
 */
export const COMPLAINT_EVENTS = [
  'complaint.submitted',
  'complaint.routed',
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
  'complaint.resident_replied',
  'complaint.photo_added',
  'complaint.rerouted',
  'complaint.deadline_missed',
  'complaint.deadline_moved',
  'complaint.deadline_recounted',
  'complaint.accused_flagged',
  'complaint.accused_confirmed',
  'complaint.accused_cleared',
  'complaint.reporter_revealed',
  'complaint.reporter_erased',
] as const;
export type ComplaintEvent = (typeof COMPLAINT_EVENTS)[number];

const EVENT_NAMES: ReadonlySet<string> = new Set(COMPLAINT_EVENTS);

/** Narrows a name read back from the audit log (older or foreign names stay plain strings). */
export function isComplaintEvent(name: string): name is ComplaintEvent {
  return EVENT_NAMES.has(name);
}

/**
 * The notices a step of a complaint's life sends, by audience (`resident.*`, `unit.*`,
 * `inspektorat.*`). The templates of the notifications lib are a `Record` over this union.
 */
export const NOTICE_TEMPLATES = [
  'resident.routed',
  'resident.acknowledged',
  'resident.info_requested',
  'resident.resolved',
  'resident.rejected',
  'resident.closed',
  'unit.assigned',
  'unit.reminder',
  'unit.escalated_to_you',
  'unit.resident_replied',
  'unit.reopened',
  'unit.deadline_moved_earlier',
  'unit.resolution_overdue',
  'inspektorat.breach',
] as const;
export type NoticeTemplate = (typeof NOTICE_TEMPLATES)[number];

const TEMPLATE_NAMES: ReadonlySet<string> = new Set(NOTICE_TEMPLATES);

/** Narrows a template name read back from a notification row. */
export function isNoticeTemplate(name: string): name is NoticeTemplate {
  return TEMPLATE_NAMES.has(name);
}
