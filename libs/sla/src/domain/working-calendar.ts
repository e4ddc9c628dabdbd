/**
 * Working-day ("hari kerja") calendar for SLA deadlines.
 *
 * Pure and dependency-free. All arithmetic is done on local calendar dates of
 * the tenant's zone, obtained by shifting instants by a fixed UTC offset, so
 * the result never depends on the time zone of the machine running the code.
 */

/** IANA zones used by Indonesian tenants. */
export type TenantTimeZone = 'Asia/Jakarta' | 'Asia/Pontianak' | 'Asia/Makassar' | 'Asia/Jayapura';

/**
 * Fixed UTC offsets in minutes; Indonesia has no daylight saving.
 * WIB +7 (Jakarta, Pontianak), WITA +8 (Makassar), WIT +9 (Jayapura).
 */
export const TIME_ZONE_OFFSET_MINUTES: Record<TenantTimeZone, number> = Object.freeze({
  'Asia/Jakarta': 7 * 60,
  'Asia/Pontianak': 7 * 60,
  'Asia/Makassar': 8 * 60,
  'Asia/Jayapura': 9 * 60,
});

/** The calendar of one tenant. */
export interface WorkingCalendar {
  /** Zone in which dates are interpreted and deadlines end. */
  timeZone: TenantTimeZone;
  /** Local dates 'YYYY-MM-DD' that are national holidays or cuti bersama. */
  nonWorkingDates: ReadonlySet<string>;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/**
 * How far past the filing date a deadline may be searched for. Bounds the loop
 * when a calendar has (almost) no working days left, e.g. every date a holiday.
 */
const MAX_SEARCH_DAYS = 3660;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function offsetMs(timeZone: TenantTimeZone): number {
  // The type does not protect values read from config or the database at runtime.
  if (!Object.hasOwn(TIME_ZONE_OFFSET_MINUTES, timeZone)) {
    throw new RangeError(`Unsupported tenant time zone: ${String(timeZone)}`);
  }
  return TIME_ZONE_OFFSET_MINUTES[timeZone] * MS_PER_MINUTE;
}

function assertValidInstant(instant: Date, name: string): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
}

/** Days since 1970-01-01 of the local date of `instant`. */
function localDayNumber(instant: Date, timeZone: TenantTimeZone): number {
  return Math.floor((instant.getTime() + offsetMs(timeZone)) / MS_PER_DAY);
}

function formatDayNumber(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  const yyyy = String(d.getUTCFullYear()).padStart(4, '0');
  const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(d.getUTCDate()).padStart(2, '0');
  return `${yyyy}-${mm}-${dd}`;
}

/** Day number of a canonical 'YYYY-MM-DD' string, or undefined if it is not one. */
function parseDate(date: string): number | undefined {
  const match = DATE_PATTERN.exec(date);
  if (match === null) return undefined;
  const [, y, m, d] = match;
  // setUTCFullYear rather than Date.UTC, which maps years 0–99 to 1900–1999.
  const ms = new Date(0).setUTCFullYear(Number(y), Number(m) - 1, Number(d));
  const day = Math.floor(ms / MS_PER_DAY);
  // Round-tripping rejects overflowing dates such as 2026-02-30.
  return formatDayNumber(day) === date ? day : undefined;
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function isWeekday(day: number): boolean {
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

function isWorkingDay(day: number, calendar: WorkingCalendar): boolean {
  return isWeekday(day) && !calendar.nonWorkingDates.has(formatDayNumber(day));
}

/** Number of Monday–Friday dates in the half-open day range (from, to]. */
function weekdaysInRange(from: number, to: number): number {
  return weekdaysUpTo(to) - weekdaysUpTo(from);
}

/** Cumulative count of weekdays up to and including `day` from a fixed origin; only differences are meaningful. */
function weekdaysUpTo(day: number): number {
  const sinceMonday = day - 4;
  const weeks = Math.floor(sinceMonday / 7);
  const rest = sinceMonday - weeks * 7;
  // rest 0..6 = Mon..Sun: Mon–Fri contribute rest + 1 (capped at 5).
  return weeks * 5 + Math.min(rest + 1, 5);
}

/**
 * The local calendar date of `instant` in `timeZone`.
 *
 * @returns the date as 'YYYY-MM-DD'
 * @throws RangeError if `instant` is an invalid Date or the zone is unknown
 */
export function localDate(instant: Date, timeZone: TenantTimeZone): string {
  assertValidInstant(instant, 'instant');
  return formatDayNumber(localDayNumber(instant, timeZone));
}

/**
 * Whether a local date is a working day: Monday to Friday and not listed in
 * `calendar.nonWorkingDates`.
 *
 * @param date a local date 'YYYY-MM-DD'
 * @throws RangeError if `date` is not a valid 'YYYY-MM-DD' date
 */
export function isWorkingDate(date: string, calendar: WorkingCalendar): boolean {
  const day = parseDate(date);
  if (day === undefined) {
    throw new RangeError(`Not a valid 'YYYY-MM-DD' date: ${date}`);
  }
  return isWorkingDay(day, calendar);
}

/**
 * The deadline N working days after `from`: the end (23:59:59.999 local) of
 * the Nth working day that comes strictly after the local date of `from`.
 * The clock always starts the next local day, whatever the hour of filing.
 *
 * @param days N, a positive integer
 * @throws RangeError if `days` is not a positive integer, `from` is invalid, or
 *   the Nth working day is not found within 3660 calendar days of `from`'s
 *   local date (e.g. a calendar where every date is a holiday)
 */
export function addWorkingDays(from: Date, days: number, calendar: WorkingCalendar): Date {
  if (!Number.isInteger(days) || days <= 0) {
    throw new RangeError(`days must be a positive integer, got ${days}`);
  }
  assertValidInstant(from, 'from');
  const offset = offsetMs(calendar.timeZone);
  const start = localDayNumber(from, calendar.timeZone);

  let found = 0;
  for (let day = start + 1; day <= start + MAX_SEARCH_DAYS; day++) {
    if (isWorkingDay(day, calendar) && ++found === days) {
      return new Date((day + 1) * MS_PER_DAY - 1 - offset);
    }
  }
  throw new RangeError(
    `No ${days} working days within ${MAX_SEARCH_DAYS} calendar days after ${formatDayNumber(start)}`,
  );
}

/**
 * Number of working days whose whole local day lies in (from, to]: working
 * dates d with localDate(from) < d <= localDate(to). 0 when `to` <= `from`.
 *
 * @throws RangeError if either instant is invalid or the zone is unknown
 */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkingCalendar): number {
  assertValidInstant(from, 'from');
  assertValidInstant(to, 'to');
  if (to.getTime() <= from.getTime()) return 0;

  const start = localDayNumber(from, calendar.timeZone);
  const end = localDayNumber(to, calendar.timeZone);

  // Counted arithmetically rather than day by day so long ranges stay cheap.
  let holidays = 0;
  for (const date of calendar.nonWorkingDates) {
    const day = parseDate(date);
    // Malformed entries never match a formatted date, so they never count.
    if (day !== undefined && day > start && day <= end && isWeekday(day)) holidays++;
  }
  return weekdaysInRange(start, end) - holidays;
}

/**
 * A tenant's calendar that also knows which years come from an official table (the SKB's
 * national holidays and cuti bersama). Dates of other years are a fallback and may still move.
 */
export interface OfficialCalendar extends WorkingCalendar {
  officialYears: ReadonlySet<number>;
}

/**
 * The years of the local dates a clock from `from` to `to` counts: those of the dates d with
 * localDate(from) < d <= localDate(to). Empty when `to` falls on `from`'s local date or before.
 */
export function yearsCounted(from: Date, to: Date, timeZone: TenantTimeZone): number[] {
  assertValidInstant(from, 'from');
  assertValidInstant(to, 'to');
  const first = localDayNumber(from, timeZone) + 1;
  const last = localDayNumber(to, timeZone);
  if (last < first) return [];
  const years: number[] = [];
  for (let year = Number(formatDayNumber(first).slice(0, 4)); year <= Number(formatDayNumber(last).slice(0, 4)); year++) years.push(year);
  return years;
}

/** Whether a clock from `from` to `to` counted any date of a year without an official table. */
export function countsFallbackYear(from: Date, to: Date, calendar: OfficialCalendar): boolean {
  return yearsCounted(from, to, calendar.timeZone).some((year) => !calendar.officialYears.has(year));
}

/** The last millisecond (23:59:59.999 local) of the local date of `instant`. */
export function endOfLocalDay(instant: Date, timeZone: TenantTimeZone): Date {
  assertValidInstant(instant, 'instant');
  return new Date((localDayNumber(instant, timeZone) + 1) * MS_PER_DAY - 1 - offsetMs(timeZone));
}

/**
 * workingDaysBetween for many spans over one calendar: the holidays that fall on a weekday are
 * sorted once, and each span counts them by binary search instead of reading the whole set.
 */
export function workingDayCounter(calendar: WorkingCalendar): (from: Date, to: Date) => number {
  const days = [...calendar.nonWorkingDates]
    .map(parseDate)
    .filter((day): day is number => day !== undefined && isWeekday(day))
    .sort((a, b) => a - b);
  const upTo = (day: number): number => {
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid] <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (from, to) => {
    assertValidInstant(from, 'from');
    assertValidInstant(to, 'to');
    if (to.getTime() <= from.getTime()) return 0;
    const start = localDayNumber(from, calendar.timeZone);
    const end = localDayNumber(to, calendar.timeZone);
    return weekdaysInRange(start, end) - (upTo(end) - upTo(start));
  };
}
