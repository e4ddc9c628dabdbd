import { DeadlinePolicy } from '@aduan/complaints';
import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantTimeZone, WorkingCalendar } from '../domain/working-calendar';
import { deadline } from '../policy/clock';
import type { ClockSetting } from '../policy/sla-policy.entity';
import { fallbackHolidays } from './holiday-table';

/** LAPOR! (SP4N): three working days to verify and forward. */
export const DEFAULT_FIRST_RESPONSE: ClockSetting = { working_days: 3 };
/** Local SOPs: ringan / normatif / tanpa pemeriksaan / dengan pemeriksaan. */
export const DEFAULT_RESOLUTION_DAYS: Record<string, number> = { ringan: 2, normatif: 5, tanpa_pemeriksaan: 14, dengan_pemeriksaan: 60 };

/** Holidays change rarely; policies should take effect within seconds of an admin's change. */
const CALENDAR_CACHE_MS = 60_000;
const POLICY_CACHE_MS = 2_000;

interface Policies {
  at: number;
  byKey: Map<string, { firstResponse: ClockSetting; resolution: ClockSetting }>;
  classes: Map<string, string>;
}

/**
 * Deadlines in hari kerja in the tenant's time zone, per tenant and category (`sla_policy`, else the
 * defaults). Holidays come from the official table in PostgreSQL; years absent from it fall back
 * to `date-holidays`.
 */
@Injectable()
export class SlaDeadlinePolicy extends DeadlinePolicy {
  private calendars: { at: number; holidays: Set<string>; zones: Map<string, TenantTimeZone> } | null = null;
  private policies: Policies | null = null;
  private loadingPolicies: Promise<void> | null = null;
  private loadingCalendars: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async firstResponseDueAt(tenantCode: string, categoryCode: string, from: Date, db: EntityManager): Promise<Date> {
    return deadline(from, (await this.clocks(tenantCode, categoryCode, db)).firstResponse, await this.calendar(tenantCode, db));
  }

  async resolutionDueAt(tenantCode: string, categoryCode: string, from: Date, db: EntityManager): Promise<Date> {
    return deadline(from, (await this.clocks(tenantCode, categoryCode, db)).resolution, await this.calendar(tenantCode, db));
  }

  async autoCloseAt(tenantCode: string, from: Date, db: EntityManager): Promise<Date> {
    const clock: ClockSetting = this.config.SLA_AUTO_CLOSE_DURATION
      ? { duration: this.config.SLA_AUTO_CLOSE_DURATION }
      : { working_days: this.config.SLA_AUTO_CLOSE_WORKING_DAYS };
    return deadline(from, clock, await this.calendar(tenantCode, db));
  }

  /** The clocks in force for a category: its policy row, else 3 days and its class's default. */
  async clocks(tenantCode: string, categoryCode: string, db: EntityManager = this.dataSource.manager): Promise<{ firstResponse: ClockSetting; resolution: ClockSetting; configured: boolean }> {
    if (!this.policies || Date.now() - this.policies.at > POLICY_CACHE_MS) {
      // One reload at a time, through the caller's own connection (see DeadlinePolicy).
      this.loadingPolicies ??= this.loadPolicies(db).finally(() => (this.loadingPolicies = null));
      await this.loadingPolicies;
    }
    const policies = this.policies!;
    const configured = policies.byKey.get(`${tenantCode}/${categoryCode}`);
    if (configured) return { ...configured, configured: true };
    const days = DEFAULT_RESOLUTION_DAYS[policies.classes.get(categoryCode) ?? 'normatif'] ?? 5;
    return { firstResponse: DEFAULT_FIRST_RESPONSE, resolution: { working_days: days }, configured: false };
  }

  private async loadPolicies(db: EntityManager): Promise<void> {
    // Sequential: a transaction's connection runs one query at a time.
    const rows: { tenant_code: string; category_code: string; first_response: ClockSetting; resolution: ClockSetting }[] = await db.query(
      `SELECT tenant_code, category_code, first_response, resolution FROM sla_policy`,
    );
    const classes: { code: string; resolution_class: string }[] = await db.query(`SELECT code, resolution_class FROM category`);
    this.policies = {
      at: Date.now(),
      byKey: new Map(rows.map((r) => [`${r.tenant_code}/${r.category_code}`, { firstResponse: r.first_response, resolution: r.resolution }])),
      classes: new Map(classes.map((c) => [c.code, c.resolution_class])),
    };
  }

  private async loadCalendars(db: EntityManager): Promise<void> {
    const holidays: { date: string }[] = await db.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date FROM holiday`);
    const tenants: { code: string; timezone: TenantTimeZone }[] = await db.query(`SELECT code, timezone FROM tenant`);
    const set = new Set(holidays.map((h) => h.date));
    const years = new Set([...set].map((d) => Number(d.slice(0, 4))));
    const thisYear = new Date().getUTCFullYear();
    for (const year of [thisYear - 1, thisYear, thisYear + 1, thisYear + 2]) {
      if (!years.has(year)) for (const d of fallbackHolidays(year)) set.add(d);
    }
    this.calendars = { at: Date.now(), holidays: set, zones: new Map(tenants.map((t) => [t.code, t.timezone])) };
  }

  /** Forget cached policies (after an admin's change in this process). */
  invalidate(): void {
    this.policies = null;
    this.calendars = null;
  }

  async calendar(tenantCode: string, db: EntityManager = this.dataSource.manager): Promise<WorkingCalendar> {
    if (!this.calendars || Date.now() - this.calendars.at > CALENDAR_CACHE_MS) {
      this.loadingCalendars ??= this.loadCalendars(db).finally(() => (this.loadingCalendars = null));
      await this.loadingCalendars;
    }
    const calendars = this.calendars!;
    return { timeZone: calendars.zones.get(tenantCode) ?? 'Asia/Jakarta', nonWorkingDates: calendars.holidays };
  }
}
