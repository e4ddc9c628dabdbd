import { WorkingCalendar, workingDayCounter } from '../domain/working-calendar';

/** A complaint as the projector reads it from PostgreSQL: its row, its stays, its complaint-stream entries in chain order. */
export interface ComplaintSource {
  id: string;
  tenantCode: string;
  categoryCode: string;
  kelurahanCode: string;
  kecamatanCode: string;
  submittedAt: Date;
  status: string;
  currentUnitId: string | null;
  dueAt: Date | null;
  resolvedAt: Date | null;
  resolutionDueAt: Date | null;
  assignments: readonly AssignmentSource[];
  events: readonly { at: Date; event: string; data: Record<string, unknown> }[];
}

export interface AssignmentSource {
  id: string;
  unitId: string;
  via: string;
  fromUnitId: string | null;
  assignedAt: Date;
  firstResponseDueAt: Date;
  /** the deadline in hari kerja it was given; null for a wall-clock one (drills) */
  firstResponseWorkingDays: number | null;
  respondedAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
}

export interface AssignmentFacts extends AssignmentSource {
  responseMs: number | null;
  responseWorkingDays: number | null;
  /** true: answered by the deadline; false: answered late, or left unanswered past it; null: not decided (still running, or taken away in time) */
  met: boolean | null;
}

export interface ComplaintFacts {
  open: boolean;
  firstUnitId: string | null;
  pausedSince: Date | null;
  firstResponseAt: Date | null;
  firstResponseMs: number | null;
  firstResponseWorkingDays: number | null;
  resolvedByUnitId: string | null;
  resolutionMs: number | null;
  resolutionWorkingDays: number | null;
  resolutionDueAt: Date | null;
  resolutionMet: boolean | null;
  pausedMs: number;
  pauses: number;
  forwards: number;
  returns: number;
  escalations: number;
  reopens: number;
  satisfiedVerdicts: number;
  unsatisfiedVerdicts: number;
  ratingSum: number;
  ratingCount: number;
  assignments: AssignmentFacts[];
}

/** The statuses in which a unit still owes the resident something (a resolved complaint awaits only the verdict). */
export const OPEN_STATUSES: readonly string[] = ['submitted', 'routed', 'in_progress', 'awaiting_info'];

/** A response that is an answer, not a hand-over: the end-to-end clock stops only at one of these. */
const ANSWERS = new Set(['complaint.acknowledged', 'complaint.info_requested', 'complaint.resolved', 'complaint.rejected']);
/** What ends a wait for the resident besides their answer. */
const PAUSE_ENDS = new Set(['complaint.rejected', 'complaint.rerouted']);
/** Every event complaintFacts reads; the projector reads no other. */
export const FACT_EVENTS: readonly string[] = [
  ...ANSWERS, ...PAUSE_ENDS, 'complaint.resident_replied', 'complaint.forwarded', 'complaint.returned', 'complaint.escalated', 'complaint.reopened', 'complaint.closed',
];

const counters = new WeakMap<WorkingCalendar, (from: Date, to: Date) => number>();

/** One counter per calendar object (a CalendarBook hands out the same one per tenant). */
function countersOf(calendar: WorkingCalendar): (from: Date, to: Date) => number {
  let counter = counters.get(calendar);
  if (!counter) counters.set(calendar, (counter = workingDayCounter(calendar)));
  return counter;
}

/**
 * The response-time figures of one complaint (docs/response-times.md), a pure function of what
 * PostgreSQL holds: projecting the same source twice gives the same rows.
 */
export function complaintFacts(c: ComplaintSource, calendar: WorkingCalendar): ComplaintFacts {
  const days = countersOf(calendar);
  const span = (from: Date, to: Date) => ({ ms: to.getTime() - from.getTime(), days: days(from, to) });
  const assignments = [...c.assignments].sort((a, b) => a.assignedAt.getTime() - b.assignedAt.getTime()).map((a): AssignmentFacts => {
    const took = a.respondedAt ? span(a.assignedAt, a.respondedAt) : null;
    let met: boolean | null = null;
    if (a.respondedAt) met = a.respondedAt.getTime() <= a.firstResponseDueAt.getTime();
    else if (a.endedAt && a.endedAt.getTime() > a.firstResponseDueAt.getTime()) met = false;
    return { ...a, responseMs: took?.ms ?? null, responseWorkingDays: took?.days ?? null, met };
  });

  let pausedMs = 0;
  let pauses = 0;
  let pausedSince: Date | null = null;
  let firstResponseAt: Date | null = null;
  const counts = { forwards: 0, returns: 0, escalations: 0, reopens: 0, satisfiedVerdicts: 0, unsatisfiedVerdicts: 0, ratingSum: 0, ratingCount: 0 };
  for (const e of c.events) {
    if (!firstResponseAt && ANSWERS.has(e.event)) firstResponseAt = e.at;
    if (e.event === 'complaint.info_requested' && !pausedSince) {
      pausedSince = e.at;
      pauses++;
    } else if (pausedSince && ((e.event === 'complaint.resident_replied' && e.data.resumed === true) || PAUSE_ENDS.has(e.event))) {
      pausedMs += e.at.getTime() - pausedSince.getTime();
      pausedSince = null;
    }
    if (e.event === 'complaint.forwarded') counts.forwards++;
    else if (e.event === 'complaint.returned') counts.returns++;
    else if (e.event === 'complaint.escalated') counts.escalations++;
    else if (e.event === 'complaint.reopened') counts.reopens++;
    // A verdict is the resident's: an automatic closing says nothing about satisfaction.
    if ((e.event === 'complaint.closed' && e.data.satisfied === true) || e.event === 'complaint.reopened') {
      if (e.event === 'complaint.closed') counts.satisfiedVerdicts++;
      else counts.unsatisfiedVerdicts++;
      if (typeof e.data.rating === 'number') {
        counts.ratingSum += e.data.rating;
        counts.ratingCount++;
      }
    }
  }

  const resolved = c.resolvedAt && (c.status === 'resolved' || c.status === 'closed') ? c.resolvedAt : null;
  const resolver = resolved ? [...assignments].reverse().find((a) => a.assignedAt.getTime() <= resolved.getTime()) ?? null : null;
  // Resolved as the first response, before any resolution clock ran: the first-response deadline is the one that applied.
  const resolutionDueAt = resolved ? c.resolutionDueAt ?? resolver?.firstResponseDueAt ?? null : null;
  const took = resolved ? span(c.submittedAt, resolved) : null;
  const firstTook = firstResponseAt ? span(c.submittedAt, firstResponseAt) : null;
  return {
    open: OPEN_STATUSES.includes(c.status),
    firstUnitId: assignments[0]?.unitId ?? null,
    pausedSince: c.status === 'awaiting_info' ? pausedSince : null,
    firstResponseAt,
    firstResponseMs: firstTook?.ms ?? null,
    firstResponseWorkingDays: firstTook?.days ?? null,
    resolvedByUnitId: resolved ? c.currentUnitId ?? resolver?.unitId ?? null : null,
    resolutionMs: took?.ms ?? null,
    resolutionWorkingDays: took?.days ?? null,
    resolutionDueAt,
    resolutionMet: resolved && resolutionDueAt ? resolved.getTime() <= resolutionDueAt.getTime() : null,
    pausedMs,
    pauses,
    ...counts,
    assignments,
  };
}
