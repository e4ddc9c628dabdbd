import type { Deadline } from '@aduan/complaints';
import { addWorkingDays, countsFallbackYear, OfficialCalendar, WorkingCalendar } from '../domain/working-calendar';
import type { ClockSetting } from './sla-policy.entity';

const DURATION = /^P(?!$)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an ISO 8601 duration in days, hours, minutes and seconds; null if malformed. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  const [, d, h, min, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Math.round(Number(s ?? 0) * 1000);
}

/** When a clock that starts at `from` runs out. */
export function deadline(from: Date, clock: ClockSetting, calendar: WorkingCalendar): Date {
  if ('working_days' in clock) return addWorkingDays(from, clock.working_days, calendar);
  const ms = parseDuration(clock.duration);
  if (ms === null) throw new RangeError(`not an ISO 8601 duration: ${clock.duration}`);
  return new Date(from.getTime() + ms);
}

/**
 * A clock's deadline with how it was counted: hari kerja are provisional when they count a day of
 * a year without an official holiday table; a wall-clock duration never is.
 */
export function countDeadline(from: Date, clock: ClockSetting, calendar: OfficialCalendar): Deadline {
  const at = deadline(from, clock, calendar);
  if (!('working_days' in clock)) return { at, workingDays: null, provisional: false };
  return { at, workingDays: clock.working_days, provisional: countsFallbackYear(from, at, calendar) };
}
