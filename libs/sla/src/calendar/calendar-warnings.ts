import { localDate, TenantTimeZone } from '../domain/working-calendar';

/** The month (1–12) from which a missing table for next year is a warning: the SKB comes out in the autumn. */
export const NEXT_YEAR_WARNING_MONTH = 10;

/** A year without its official national table while deadlines already count its days. */
export interface CalendarWarning {
  code: 'holiday_table_missing';
  year: number;
  /** this year's table is missing (every deadline is provisional), or next year's (from 1 October) */
  when: 'this_year' | 'next_year';
  /** Bahasa Indonesia */
  message: string;
  message_en: string;
}

/**
 * What is missing at `now` in the tenants' zones: this year's national table at any time, next
 * year's from 1 October (local) on. A zone ahead of the others (WIT) warns first.
 */
export function calendarWarnings(now: Date, zones: Iterable<TenantTimeZone>, isOfficial: (year: number) => boolean): CalendarWarning[] {
  const found = new Map<number, CalendarWarning>();
  const list = [...zones];
  for (const zone of list.length ? list : (['Asia/Jakarta'] as TenantTimeZone[])) {
    const [year, month] = localDate(now, zone).split('-').map(Number);
    if (!isOfficial(year) && !found.has(year)) found.set(year, thisYear(year));
    if (month >= NEXT_YEAR_WARNING_MONTH && !isOfficial(year + 1) && !found.has(year + 1)) found.set(year + 1, nextYear(year + 1));
  }
  return [...found.values()].sort((a, b) => a.year - b.year);
}

function thisYear(year: number): CalendarWarning {
  return {
    code: 'holiday_table_missing',
    year,
    when: 'this_year',
    message:
      `Tabel resmi hari libur nasional dan cuti bersama ${year} belum dimuat. Semua tenggat tahun ini dihitung dengan daftar cadangan ` +
      `(tanpa cuti bersama) dan ditandai sementara. Administrator sistem memuatnya dengan PUT /api/v1/admin/holidays/${year}.`,
    message_en:
      `The official ${year} table of national holidays and cuti bersama has not been loaded. Every deadline this year is counted on a ` +
      `fallback list (without cuti bersama) and marked provisional. The system administrator loads it with PUT /api/v1/admin/holidays/${year}.`,
  };
}

function nextYear(year: number): CalendarWarning {
  return {
    code: 'holiday_table_missing',
    year,
    when: 'next_year',
    message:
      `Tabel resmi hari libur nasional dan cuti bersama ${year} (SKB) belum dimuat. Tenggat yang melewati 1 Januari ${year} dihitung ` +
      `dengan daftar cadangan (tanpa cuti bersama) dan ditandai sementara. Administrator sistem memuatnya dengan PUT /api/v1/admin/holidays/${year}.`,
    message_en:
      `The official ${year} table of national holidays and cuti bersama (the SKB) has not been loaded. Deadlines that run past 1 January ` +
      `${year} are counted on a fallback list (without cuti bersama) and marked provisional. The system administrator loads it with PUT /api/v1/admin/holidays/${year}.`,
  };
}
