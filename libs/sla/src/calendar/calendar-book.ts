import { OfficialCalendar, TenantTimeZone } from '../domain/working-calendar';
import { fallbackHolidays } from './holiday-table';

/** The national table's scope; a local table's scope is its tenant's code. */
export const NATIONAL = 'national';

/** The holiday tables as PostgreSQL holds them, as plain data: a copy with one table changed is cheap. */
export interface HolidayTables {
  /** the official national tables (libur nasional and cuti bersama): year → dates */
  national: ReadonlyMap<number, readonly string[]>;
  /** each tenant's local holidays: tenant → year → dates */
  local: ReadonlyMap<string, ReadonlyMap<number, readonly string[]>>;
  zones: ReadonlyMap<string, TenantTimeZone>;
}

/** Years around `now` that get the library's list when they have no official table. */
function fallbackYears(now: Date): number[] {
  const year = now.getUTCFullYear();
  return [year - 1, year, year + 1, year + 2, year + 3];
}

/**
 * Every tenant's working-day calendar: the official national table of each year that has one,
 * the `date-holidays` list (provisional) for the years around now that have none, and the
 * tenant's own local holidays.
 */
export class CalendarBook {
  private readonly nationalDates = new Set<string>();
  private readonly officialYears: ReadonlySet<number>;
  private readonly byTenant = new Map<string, OfficialCalendar>();

  constructor(readonly tables: HolidayTables, private readonly now: Date = new Date()) {
    this.officialYears = new Set(tables.national.keys());
    for (const dates of tables.national.values()) for (const d of dates) this.nationalDates.add(d);
    for (const year of fallbackYears(now)) {
      if (!this.officialYears.has(year)) for (const d of fallbackHolidays(year)) this.nationalDates.add(d);
    }
  }

  /** Whether a year's national table is official (else its dates are the library's fallback). */
  isOfficial(year: number): boolean {
    return this.officialYears.has(year);
  }

  forTenant(tenantCode: string): OfficialCalendar {
    let calendar = this.byTenant.get(tenantCode);
    if (!calendar) {
      const local = [...(this.tables.local.get(tenantCode)?.values() ?? [])].flat();
      calendar = {
        timeZone: this.tables.zones.get(tenantCode) ?? 'Asia/Jakarta',
        nonWorkingDates: local.length ? new Set([...this.nationalDates, ...local]) : this.nationalDates,
        officialYears: this.officialYears,
      };
      this.byTenant.set(tenantCode, calendar);
    }
    return calendar;
  }

  /** The same book with one table replaced by `dates`, or removed (null): how the calendar stood before a revision. */
  withTable(scope: string, year: number, dates: readonly string[] | null): CalendarBook {
    const national = new Map(this.tables.national);
    const local = new Map(this.tables.local);
    if (scope === NATIONAL) {
      if (dates) national.set(year, dates);
      else national.delete(year);
    } else {
      const years = new Map(local.get(scope) ?? []);
      if (dates) years.set(year, dates);
      else years.delete(year);
      local.set(scope, years);
    }
    return new CalendarBook({ national, local, zones: this.tables.zones }, this.now);
  }
}
