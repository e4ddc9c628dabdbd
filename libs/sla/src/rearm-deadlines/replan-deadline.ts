import type { ComplaintProps, Deadline, MovableDeadline } from '@aduan/complaints';
import { addWorkingDays, endOfLocalDay, OfficialCalendar, workingDaysBetween } from '../domain/working-calendar';
import { countDeadline } from '../policy/clock';

/** A deadline that is still running, with how it was counted. */
export interface RunningDeadline {
  kind: MovableDeadline;
  /** where its clock started: the assignment, the acknowledgement (or reopening), the resolution */
  from: Date | null;
  at: Date;
  /** null: a wall-clock duration, or a deadline armed before the count was kept (see `before`) */
  workingDays: number | null;
  provisional: boolean;
  /** added to the count: the time the resolution clock stood still while the resident was asked */
  shiftMs: number;
  /** a clock standing still (waiting for the resident) is judged at this moment, not now */
  pausedAt: Date | null;
}

export interface Replanned {
  to: Deadline;
  /** the count fell at or before now: the deadline ends with today instead (the unit could not have known) */
  clamped: boolean;
}

/**
 * The deadline as `calendar` counts it now, or null when it stays as it is: a deadline already
 * missed (left as it was), a wall-clock duration, or one counted the same. A deadline whose count
 * was not kept is counted back on `before` (the calendar before the revision): it is used only
 * when counting forward again on `before` gives exactly the deadline on record.
 */
export function replanDeadline(d: RunningDeadline, calendar: OfficialCalendar, now: Date, before?: OfficialCalendar): Replanned | null {
  const floor = d.pausedAt ?? now;
  if (d.at.getTime() <= floor.getTime() || !d.from) return null;
  const workingDays = d.workingDays ?? (before ? countedOn(d.from, new Date(d.at.getTime() - d.shiftMs), before) : null);
  if (workingDays === null) return null;
  const counted = countDeadline(d.from, { working_days: workingDays }, calendar);
  let at = new Date(counted.at.getTime() + d.shiftMs);
  const clamped = at.getTime() <= floor.getTime();
  if (clamped) at = endOfLocalDay(floor, calendar.timeZone);
  if (at.getTime() === d.at.getTime() && counted.provisional === d.provisional) return null;
  return { to: { at, workingDays, provisional: counted.provisional }, clamped };
}

/** N when `at` is the end of the Nth working day after `from` on `calendar`; null otherwise (a duration, a shifted clock). */
function countedOn(from: Date, at: Date, calendar: OfficialCalendar): number | null {
  const n = workingDaysBetween(from, at, calendar);
  return n > 0 && addWorkingDays(from, n, calendar).getTime() === at.getTime() ? n : null;
}

/** The stay in a unit's inbox still waiting for its first response (a row of `assignment`). */
export interface WaitingStay {
  complaint_id: string;
  id: string;
  unit_id: string;
  assigned_at: Date;
  first_response_due_at: Date;
  first_response_working_days: number | null;
  first_response_provisional: boolean;
}

/** The deadlines running for a complaint: the first response it waits for, its resolution, or its automatic closing. */
export function runningDeadlines(c: Readonly<ComplaintProps>, stay: WaitingStay | undefined): RunningDeadline[] {
  if (c.status === 'routed' && stay) {
    return [{
      kind: 'first_response', from: stay.assigned_at, at: stay.first_response_due_at, workingDays: stay.first_response_working_days,
      provisional: stay.first_response_provisional, shiftMs: 0, pausedAt: null,
    }];
  }
  if ((c.status === 'in_progress' || c.status === 'awaiting_info') && c.resolutionDueAt) {
    return [{
      kind: 'resolution', from: c.resolutionFrom, at: c.resolutionDueAt, workingDays: c.resolutionWorkingDays, provisional: c.dueProvisional,
      shiftMs: c.resolutionPausedMs, pausedAt: c.status === 'awaiting_info' ? c.pausedAt : null,
    }];
  }
  if (c.status === 'resolved' && c.autoCloseAt && c.resolvedAt) {
    return [{
      kind: 'auto_close', from: c.resolvedAt, at: c.autoCloseAt, workingDays: c.autoCloseWorkingDays, provisional: c.autoCloseProvisional, shiftMs: 0, pausedAt: null,
    }];
  }
  return [];
}

