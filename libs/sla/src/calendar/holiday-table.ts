import Holidays from 'date-holidays';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A table in the file format of `libs/sla/src/data/` (also a PUT body, see holidayFileSchema). */
export interface OfficialTableFile {
  year: number;
  source?: string;
  libur_nasional: { date: string; name: string }[];
  cuti_bersama: { date: string; name: string }[];
}

/** The official tables shipped with Aduan (SKB 3 Menteri), one file per year. */
export const OFFICIAL_TABLE_FILES = ['hari-libur-2026.json'];

export function readOfficialTables(): OfficialTableFile[] {
  return OFFICIAL_TABLE_FILES.map((f) => JSON.parse(readFileSync(join(__dirname, '..', 'data', f), 'utf8')) as OfficialTableFile);
}

const fallbackCache = new Map<number, readonly string[]>();

/**
 * Public holidays for a year without an official table, from `date-holidays`. It has no cuti
 * bersama and is known to be off by a day for some Islamic holidays, so it is only a fallback,
 * and every deadline counted on it is marked provisional.
 */
export function fallbackHolidays(year: number): readonly string[] {
  let dates = fallbackCache.get(year);
  if (!dates) {
    // The library lists two holidays that share a date twice (25 December 2027).
    dates = [...new Set(new Holidays('ID').getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)))];
    fallbackCache.set(year, dates);
  }
  return dates;
}
