import { DomainError, safeText } from '@aduan/platform';
import { z } from 'zod';
import { HolidayKind, LOCAL_KINDS, NATIONAL_KINDS } from '../calendar/holiday.entity';

/** At most this many days in one table (an SKB lists about 25). */
const MAX_ENTRIES = 100;

const name = safeText(2, 200);
const entry = z.strictObject({ date: z.iso.date(), kind: z.enum([...NATIONAL_KINDS, ...LOCAL_KINDS]), name });
const listed = z.array(z.strictObject({ date: z.iso.date(), name })).max(MAX_ENTRIES);

/** A table as a list of days, each with its kind. */
export const holidayListSchema = z.array(entry).max(MAX_ENTRIES);

/** A table as the shipped files write it (`libs/sla/src/data/hari-libur-2026.json`): days grouped by kind. */
export const holidayFileSchema = z.strictObject({
  year: z.number().int(),
  source: safeText(2, 500).optional(),
  libur_nasional: listed.optional(),
  cuti_bersama: listed.optional(),
  lokal: listed.optional(),
});

/** Either form; the request body of PUT /api/v1/admin/holidays/{year}. */
export const holidayTableBodySchema = z.union([holidayListSchema, holidayFileSchema]);

export interface HolidayEntry {
  date: string;
  kind: HolidayKind;
  name: string;
}

/** A validated table: its days in date order and the decree it follows. */
export interface HolidayTableInput {
  source: string | null;
  holidays: HolidayEntry[];
}

type FieldError = { field: string; message: string };

function invalid(message: string, errors: FieldError[]): never {
  throw new DomainError('invalid', message, errors);
}

/**
 * Reads and checks a table for `year`: national (`local` false: libur nasional and cuti bersama,
 * at least one libur nasional) or a tenant's local holidays (`lokal` only). Every date in `year`,
 * no date twice, names of 2–200 characters. Throws a DomainError (422) naming each bad field.
 */
export function parseHolidayTable(body: unknown, year: number, local: boolean): HolidayTableInput {
  const rows: { entry: HolidayEntry; path: string }[] = [];
  let source: string | null = null;
  if (Array.isArray(body)) {
    const parsed = holidayListSchema.safeParse(body);
    if (!parsed.success) invalid('The table has invalid fields.', issues(parsed.error));
    parsed.data.forEach((e, i) => rows.push({ entry: e, path: String(i) }));
  } else {
    const parsed = holidayFileSchema.safeParse(body);
    if (!parsed.success) invalid('The table has invalid fields.', issues(parsed.error));
    const file = parsed.data;
    if (file.year !== year) invalid(`The table is for ${file.year}, not ${year}.`, [{ field: 'year', message: `must be ${year}` }]);
    source = file.source ?? null;
    for (const kind of [...NATIONAL_KINDS, ...LOCAL_KINDS]) {
      (file[kind] ?? []).forEach((e, i) => rows.push({ entry: { date: e.date, kind, name: e.name }, path: `${kind}.${i}` }));
    }
  }
  if (rows.length > MAX_ENTRIES) invalid(`A table lists at most ${MAX_ENTRIES} days.`, [{ field: '(body)', message: `more than ${MAX_ENTRIES} days` }]);

  const allowed: readonly HolidayKind[] = local ? LOCAL_KINDS : NATIONAL_KINDS;
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  for (const { entry, path } of rows) {
    if (Number(entry.date.slice(0, 4)) !== year) errors.push({ field: `${path}.date`, message: `not in ${year}` });
    if (!allowed.includes(entry.kind)) {
      errors.push({ field: `${path}.kind`, message: local ? 'a local table lists lokal days only' : 'the national table lists libur_nasional and cuti_bersama only' });
    }
    const first = seen.get(entry.date);
    if (first !== undefined) errors.push({ field: `${path}.date`, message: `listed twice (also at ${first})` });
    else seen.set(entry.date, path);
  }
  if (!local && rows.length > 0 && !rows.some((r) => r.entry.kind === 'libur_nasional')) {
    errors.push({ field: '(body)', message: 'a national table lists at least one libur_nasional' });
  }
  if (!local && rows.length === 0) {
    errors.push({ field: '(body)', message: 'a national table lists its days; to withdraw a year’s table, DELETE it' });
  }
  if (errors.length) invalid('The table does not fit this year.', errors);
  return { source, holidays: rows.map((r) => r.entry).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)) };
}

function issues(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}

/** What a change does to a table: days added, removed, and renamed or of another kind. */
export interface HolidayDiff {
  added: HolidayEntry[];
  removed: HolidayEntry[];
  changed: { date: string; from: { kind: HolidayKind; name: string }; to: { kind: HolidayKind; name: string } }[];
}

export function diffHolidays(before: readonly HolidayEntry[], after: readonly HolidayEntry[]): HolidayDiff {
  const old = new Map(before.map((h) => [h.date, h]));
  const now = new Map(after.map((h) => [h.date, h]));
  return {
    added: after.filter((h) => !old.has(h.date)),
    removed: before.filter((h) => !now.has(h.date)),
    changed: after
      .filter((h) => old.has(h.date) && (old.get(h.date)!.kind !== h.kind || old.get(h.date)!.name !== h.name))
      .map((h) => ({ date: h.date, from: { kind: old.get(h.date)!.kind, name: old.get(h.date)!.name }, to: { kind: h.kind, name: h.name } })),
  };
}
