import { DeadlinePolicy } from '@aduan/complaints';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addWorkingDays, TenantTimeZone, WorkingCalendar } from '../domain/working-calendar';
import { fallbackHolidays } from './holiday-table';

/** LAPOR! (SP4N): three working days to verify and forward. */
export const DEFAULT_FIRST_RESPONSE_DAYS = 3;
const CACHE_MS = 60_000;

/**
 * Deadlines in hari kerja in the tenant's time zone. The holiday table is read from PostgreSQL and
 * cached for a minute; years absent from the table fall back to `date-holidays`.
 */
@Injectable()
export class SlaDeadlinePolicy extends DeadlinePolicy {
  private cache: { at: number; holidays: Set<string>; years: Set<number>; zones: Map<string, TenantTimeZone> } | null = null;

  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async firstResponseDueAt(tenantCode: string, _categoryCode: string, from: Date): Promise<Date> {
    return addWorkingDays(from, DEFAULT_FIRST_RESPONSE_DAYS, await this.calendar(tenantCode));
  }

  async calendar(tenantCode: string): Promise<WorkingCalendar> {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) {
      const [holidays, tenants]: [{ date: string }[], { code: string; timezone: TenantTimeZone }[]] = await Promise.all([
        this.dataSource.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date FROM holiday`),
        this.dataSource.query(`SELECT code, timezone FROM tenant`),
      ]);
      const set = new Set(holidays.map((h) => h.date));
      const years = new Set([...set].map((d) => Number(d.slice(0, 4))));
      const thisYear = new Date().getUTCFullYear();
      for (const year of [thisYear - 1, thisYear, thisYear + 1, thisYear + 2]) {
        if (!years.has(year)) for (const d of fallbackHolidays(year)) set.add(d);
      }
      this.cache = { at: Date.now(), holidays: set, years, zones: new Map(tenants.map((t) => [t.code, t.timezone])) };
    }
    return { timeZone: this.cache.zones.get(tenantCode) ?? 'Asia/Jakarta', nonWorkingDates: this.cache.holidays };
  }
}
