import { Deadline, DeadlinePolicy, SLA_DEFAULTS } from '@aduan/complaints';
import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OfficialCalendar, TenantTimeZone } from '../domain/working-calendar';
import { countDeadline } from '../policy/clock';
import type { ClockSetting } from '../policy/sla-policy.entity';
import { CalendarBook, NATIONAL } from './calendar-book';

const DEFAULT_FIRST_RESPONSE: ClockSetting = { working_days: SLA_DEFAULTS.firstResponseWorkingDays };
const RESOLUTION_DAYS: Readonly<Record<string, number>> = SLA_DEFAULTS.resolutionWorkingDays;

/**
 * Policies and the calendar's version are read again after this long, the backstop for a missed
 * notification (policy/policy-change.ts: a change is announced and read again at once). The
 * holiday tables themselves are read again only when their version (the last `holiday_revision`)
 * has changed, or after CALENDAR_CACHE_MS.
 */
const POLICY_CACHE_MS = 2_000;
const CALENDAR_CACHE_MS = 3_600_000;

interface Policies {
  at: number;
  /** the invalidate() count when the load began */
  generation: number;
  byKey: Map<string, { firstResponse: ClockSetting; resolution: ClockSetting }>;
  classes: Map<string, string>;
  calendarVersion: string;
}

/**
 * Deadlines in hari kerja in the tenant's time zone, per tenant and category (`sla_policy`, else the
 * defaults). Holidays come from the official tables in PostgreSQL, national and the tenant's
 * local ones; a year without an official national table is counted on `date-holidays` and every
 * deadline that counts a day of it is provisional.
 */
@Injectable()
export class SlaDeadlinePolicy extends DeadlinePolicy {
  private book: { at: number; version: string; book: CalendarBook } | null = null;
  private policies: Policies | null = null;
  private loadingPolicies: Promise<void> | null = null;
  private loadingBook: Promise<void> | null = null;
  private generation = 0;

  constructor(private readonly dataSource: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async firstResponseDueAt(tenantCode: string, categoryCode: string, from: Date, db: EntityManager): Promise<Deadline> {
    return countDeadline(from, (await this.clocks(tenantCode, categoryCode, db)).firstResponse, await this.calendar(tenantCode, db));
  }

  async resolutionDueAt(tenantCode: string, categoryCode: string, from: Date, db: EntityManager): Promise<Deadline> {
    return countDeadline(from, (await this.clocks(tenantCode, categoryCode, db)).resolution, await this.calendar(tenantCode, db));
  }

  async autoCloseAt(tenantCode: string, from: Date, db: EntityManager): Promise<Deadline> {
    return countDeadline(from, this.autoCloseClock(), await this.calendar(tenantCode, db));
  }

  /** The automatic closing: SLA_AUTO_CLOSE_DURATION for drills, else SLA_AUTO_CLOSE_WORKING_DAYS, else the default. */
  autoCloseClock(): ClockSetting {
    if (this.config.SLA_AUTO_CLOSE_DURATION) return { duration: this.config.SLA_AUTO_CLOSE_DURATION };
    return { working_days: this.config.SLA_AUTO_CLOSE_WORKING_DAYS ?? SLA_DEFAULTS.autoCloseWorkingDays };
  }

  /** The clocks in force for a category: its policy row, else the defaults (SLA_DEFAULTS) for its class. */
  async clocks(tenantCode: string, categoryCode: string, db: EntityManager = this.dataSource.manager): Promise<{ firstResponse: ClockSetting; resolution: ClockSetting; configured: boolean }> {
    const policies = await this.currentPolicies(db);
    const configured = policies.byKey.get(`${tenantCode}/${categoryCode}`);
    if (configured) return { ...configured, configured: true };
    const days = RESOLUTION_DAYS[policies.classes.get(categoryCode) ?? SLA_DEFAULTS.unclassified] ?? RESOLUTION_DAYS[SLA_DEFAULTS.unclassified];
    return { firstResponse: DEFAULT_FIRST_RESPONSE, resolution: { working_days: days }, configured: false };
  }

  /** A tenant's calendar: the national tables, the fallback for years without one, its local holidays. */
  async calendar(tenantCode: string, db: EntityManager = this.dataSource.manager): Promise<OfficialCalendar> {
    return (await this.calendars(db)).forTenant(tenantCode);
  }

  /** Every tenant's calendar, from the cache while the tables have not changed. */
  async calendars(db: EntityManager = this.dataSource.manager): Promise<CalendarBook> {
    const { calendarVersion } = await this.currentPolicies(db);
    if (!this.book || this.book.version !== calendarVersion || Date.now() - this.book.at > CALENDAR_CACHE_MS) {
      // One reload at a time, through the caller's own connection (see DeadlinePolicy).
      this.loadingBook ??= this.loadBook(db, calendarVersion).finally(() => (this.loadingBook = null));
      await this.loadingBook;
    }
    return this.book!.book;
  }

  /** The tables as they are now, bypassing the cache (the re-arm counts on exactly what was committed). */
  async readCalendars(db: EntityManager): Promise<CalendarBook> {
    const tables: { scope: string; year: number; dates: string[] }[] = await db.query(
      `SELECT t.scope, t.year, COALESCE(array_agg(to_char(h.date, 'YYYY-MM-DD') ORDER BY h.date) FILTER (WHERE h.date IS NOT NULL), '{}') AS dates
         FROM holiday_table t LEFT JOIN holiday h ON h.scope = t.scope AND h.year = t.year
        GROUP BY t.scope, t.year`,
    );
    const tenants: { code: string; timezone: TenantTimeZone }[] = await db.query(`SELECT code, timezone FROM tenant`);
    const national = new Map<number, string[]>();
    const local = new Map<string, Map<number, string[]>>();
    for (const t of tables) {
      if (t.scope === NATIONAL) national.set(t.year, t.dates);
      else local.set(t.scope, (local.get(t.scope) ?? new Map<number, string[]>()).set(t.year, t.dates));
    }
    return new CalendarBook({ national, local, zones: new Map(tenants.map((t) => [t.code, t.timezone])) });
  }

  /** Forget cached policies and calendars (after a change, made here or announced by announcePolicyChange). */
  invalidate(): void {
    this.generation += 1;
    this.book = null;
  }

  private async currentPolicies(db: EntityManager): Promise<Policies> {
    // Twice at most: a load already running when a change was announced does not count as fresh.
    for (let round = 0; round < 2; round += 1) {
      const p = this.policies;
      if (p && p.generation === this.generation && Date.now() - p.at <= POLICY_CACHE_MS) break;
      this.loadingPolicies ??= this.loadPolicies(db).finally(() => (this.loadingPolicies = null));
      await this.loadingPolicies;
    }
    return this.policies!;
  }

  private async loadPolicies(db: EntityManager): Promise<void> {
    const generation = this.generation;
    // Sequential: a transaction's connection runs one query at a time.
    const rows: { tenant_code: string; category_code: string; first_response: ClockSetting; resolution: ClockSetting }[] = await db.query(
      `SELECT tenant_code, category_code, first_response, resolution FROM sla_policy`,
    );
    const classes: { code: string; resolution_class: string; calendar_version: string }[] = await db.query(
      `SELECT code, resolution_class, (SELECT COALESCE(max(seq), 0)::text FROM holiday_revision) AS calendar_version FROM category`,
    );
    this.policies = {
      at: Date.now(),
      generation,
      byKey: new Map(rows.map((r) => [`${r.tenant_code}/${r.category_code}`, { firstResponse: r.first_response, resolution: r.resolution }])),
      classes: new Map(classes.map((c) => [c.code, c.resolution_class])),
      calendarVersion: classes[0]?.calendar_version ?? '0',
    };
  }

  private async loadBook(db: EntityManager, version: string): Promise<void> {
    this.book = { at: Date.now(), version, book: await this.readCalendars(db) };
  }
}
