import Holidays from 'date-holidays';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { HolidayKind } from './holiday.entity';

interface OfficialTable {
  year: number;
  libur_nasional: { date: string; name: string }[];
  cuti_bersama: { date: string; name: string }[];
}

/** The official tables shipped with Aduan (SKB 3 Menteri), one file per year. */
export const OFFICIAL_TABLE_FILES = ['hari-libur-2026.json'];

export function readOfficialTables(): OfficialTable[] {
  return OFFICIAL_TABLE_FILES.map((f) => JSON.parse(readFileSync(join(__dirname, '..', 'data', f), 'utf8')) as OfficialTable);
}

/** Seeds the shipped official tables; idempotent, and an admin's later edits of names survive. */
export async function seedHolidays(dataSource: DataSource): Promise<number> {
  const rows = readOfficialTables().flatMap((t) => [
    ...t.libur_nasional.map((h) => ({ ...h, kind: 'libur_nasional' as HolidayKind })),
    ...t.cuti_bersama.map((h) => ({ ...h, kind: 'cuti_bersama' as HolidayKind })),
  ]);
  await dataSource.query(
    `INSERT INTO holiday (date, kind, name) SELECT * FROM unnest($1::date[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
    [rows.map((r) => r.date), rows.map((r) => r.kind), rows.map((r) => r.name)],
  );
  return rows.length;
}

/**
 * Public holidays for a year without an official table, from `date-holidays`. It has no cuti
 * bersama and is known to be off by a day for some Islamic holidays, so it is only a fallback.
 */
export function fallbackHolidays(year: number): string[] {
  return new Holidays('ID')
    .getHolidays(year)
    .filter((h) => h.type === 'public')
    .map((h) => h.date.slice(0, 10));
}
