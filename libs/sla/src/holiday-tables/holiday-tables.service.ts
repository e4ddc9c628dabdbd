import { AccessPolicy, Principal } from '@aduan/directory';
import { APP_CONFIG, AppConfig, DomainError, OutboxTransactions, OutboxWrites } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NATIONAL } from '../calendar/calendar-book';
import { CalendarStatus } from '../calendar/calendar-status';
import { CalendarWarning } from '../calendar/calendar-warnings';
import { readOfficialTables } from '../calendar/holiday-table';
import { SlaDeadlinePolicy } from '../calendar/sla-deadline-policy';
import { localDate } from '../domain/working-calendar';
import { HolidayEntry, parseHolidayTable } from './holiday-table.schema';
import { replaceHolidayTable, TableAuthor } from './replace-holiday-table';

/** The re-arm a table's last change started: every running deadline of its scope counted again. */
export interface RearmProgress {
  status: 'pending' | 'done';
  /** running deadlines counted again so far, and how many of them moved */
  checked: number;
  moved: number;
  finished_at: string | null;
}

export interface TableChangeView {
  action: 'replaced' | 'withdrawn';
  revision: number;
  at: string;
  rearm: RearmProgress;
}

export interface HolidayYearView {
  year: number;
  /** official: the national (SKB) table is loaded; fallback: deadlines counting this year's days are provisional */
  status: 'official' | 'fallback';
  national: { days: number; libur_nasional: number; cuti_bersama: number; source: string | null; revision: number; updated_at: string; last_change: TableChangeView | null } | null;
  /** the last change of the national table, also when it was withdrawn */
  national_last_change: TableChangeView | null;
  local: { tenant: string; days: number; revision: number; updated_at: string; last_change: TableChangeView | null }[];
}

export interface HolidayOverview {
  years: HolidayYearView[];
  warnings: CalendarWarning[];
}

interface TableRow {
  scope: string;
  year: number;
  source: string | null;
  revision: number;
  updated_at: Date;
  days: number;
  libur_nasional: number;
  cuti_bersama: number;
}

interface ChangeRow {
  scope: string;
  year: number;
  action: 'replaced' | 'withdrawn';
  revision: number;
  created_at: Date;
  rearm_status: 'pending' | 'done';
  rearm_checked: number;
  rearm_moved: number;
  rearm_finished_at: Date | null;
}

/**
 * The holiday tables as administrators keep them: the national table of each year (the SKB's libur
 * nasional and cuti bersama; the system administrator only) and each tenant's local holidays (its
 * admins). Every change is audited on the table's stream and re-arms the deadlines it moves.
 */
@Injectable()
export class HolidayTablesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: SlaDeadlinePolicy,
    private readonly status: CalendarStatus,
    private readonly transactions: OutboxTransactions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Years with their status, the tables the caller may keep, and what is missing. Administrators only. */
  async overview(actor: Principal): Promise<HolidayOverview> {
    if (!actor.roles.includes('admin')) throw new DomainError('forbidden', 'Only an administrator may see the holiday tables’ status.');
    const visible = (scope: string) => scope === NATIONAL || actor.tenantCode === null || actor.tenantCode === scope;
    const tables = ((await this.dataSource.query(
      `SELECT t.scope, t.year, t.source, t.revision, t.updated_at, count(h.date)::int AS days,
              (count(*) FILTER (WHERE h.kind = 'libur_nasional'))::int AS libur_nasional, (count(*) FILTER (WHERE h.kind = 'cuti_bersama'))::int AS cuti_bersama
         FROM holiday_table t LEFT JOIN holiday h ON h.scope = t.scope AND h.year = t.year
        GROUP BY t.scope, t.year ORDER BY t.year, t.scope`,
    )) as TableRow[]).filter((t) => visible(t.scope));
    const changes = ((await this.dataSource.query(
      `SELECT DISTINCT ON (scope, year) scope, year, action, revision, created_at, rearm_status, rearm_checked, rearm_moved, rearm_finished_at
         FROM holiday_revision ORDER BY scope, year, created_at DESC, seq DESC`,
    )) as ChangeRow[]).filter((c) => visible(c.scope));
    const change = (scope: string, year: number): TableChangeView | null => {
      const c = changes.find((x) => x.scope === scope && x.year === year);
      return c
        ? {
            action: c.action,
            revision: c.revision,
            at: c.created_at.toISOString(),
            rearm: { status: c.rearm_status, checked: c.rearm_checked, moved: c.rearm_moved, finished_at: c.rearm_finished_at?.toISOString() ?? null },
          }
        : null;
    };
    const thisYear = Number(localDate(new Date(), 'Asia/Jakarta').slice(0, 4));
    const years = new Set([thisYear - 1, thisYear, thisYear + 1, ...tables.map((t) => t.year), ...changes.map((c) => c.year)]);
    return {
      years: [...years].sort((a, b) => a - b).map((year) => {
        const national = tables.find((t) => t.scope === NATIONAL && t.year === year);
        return {
          year,
          status: national ? 'official' : 'fallback',
          national: national
            ? {
                days: national.days,
                libur_nasional: national.libur_nasional,
                cuti_bersama: national.cuti_bersama,
                source: national.source,
                revision: national.revision,
                updated_at: national.updated_at.toISOString(),
                last_change: change(NATIONAL, year),
              }
            : null,
          national_last_change: change(NATIONAL, year),
          local: tables
            .filter((t) => t.scope !== NATIONAL && t.year === year)
            .map((t) => ({ tenant: t.scope, days: t.days, revision: t.revision, updated_at: t.updated_at.toISOString(), last_change: change(t.scope, year) })),
        };
      }),
      warnings: await this.status.warnings(),
    };
  }

  /** A year's table: the national one, or with `tenant` that tenant's local holidays. Empty when there is none. */
  async table(year: number, tenant: string | null): Promise<HolidayEntry[]> {
    if (tenant !== null) await this.knownTenant(tenant);
    return this.dataSource.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM holiday WHERE scope = $1 AND year = $2 ORDER BY date`,
      [tenant ?? NATIONAL, year],
    );
  }

  /** Loads or revises a year's table (`body`: a list of days, or the file format), re-arming what it moves. */
  async put(actor: Principal, year: number, tenant: string | null, body: unknown, requestId: string | null): Promise<HolidayEntry[]> {
    await this.authorise(actor, tenant);
    const input = parseHolidayTable(body, year, tenant !== null);
    await this.write(tenant ?? NATIONAL, year, input, actor, requestId);
    return this.table(year, tenant);
  }

  /** Withdraws a year's table: the national year falls back to the library (provisional), a local one to none. */
  async withdraw(actor: Principal, year: number, tenant: string | null, requestId: string | null): Promise<void> {
    await this.authorise(actor, tenant);
    if (!(await this.write(tenant ?? NATIONAL, year, null, actor, requestId))) throw new DomainError('not_found', `There is no ${year} table to withdraw.`);
  }

  private async write(scope: string, year: number, input: Parameters<typeof replaceHolidayTable>[3], actor: Principal, requestId: string | null): Promise<boolean> {
    const author: TableAuthor = { actor: { type: 'official', id: actor.officialId }, channel: 'api', requestId };
    const change = await this.transactions.run((outbox) => replaceHolidayTable(outbox, scope, year, input, author, this.config.SLA_REARM_DELAY_SECONDS * 1000));
    this.policy.invalidate();
    return change.revisionId !== null;
  }

  private async authorise(actor: Principal, tenant: string | null): Promise<void> {
    if (tenant === null) {
      if (!actor.roles.includes('admin') || actor.tenantCode !== null) throw new DomainError('forbidden', 'The national holiday table is kept by the system administrator.');
      return;
    }
    if (!AccessPolicy.canAdminister(actor, tenant)) throw new DomainError('forbidden', 'Only an administrator of this tenant may change its local holidays.');
    await this.knownTenant(tenant);
  }

  private async knownTenant(tenant: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM tenant WHERE code = $1`, [tenant]);
    if (!rows.length) throw new DomainError('not_found', 'Unknown tenant.');
  }
}

/**
 * Loads the official tables shipped with Aduan (`libs/sla/src/data/`) into a database that has
 * never had them: a year an administrator has loaded, revised or withdrawn is left as it is.
 * Answers how many tables it loaded.
 */
export async function seedHolidays(dataSource: DataSource): Promise<number> {
  let loaded = 0;
  for (const file of readOfficialTables()) {
    const input = parseHolidayTable(file, file.year, false);
    const change = await dataSource.transaction(async (m) => {
      const [touched]: unknown[] = await m.query(`SELECT 1 FROM holiday_revision WHERE scope = $1 AND year = $2 LIMIT 1`, [NATIONAL, file.year]);
      if (touched) return null;
      // A database with running deadlines (older than the shipped table) has them counted again.
      const [running]: unknown[] = await m.query(`SELECT 1 FROM complaint WHERE status IN ('routed', 'in_progress', 'awaiting_info', 'resolved') LIMIT 1`);
      return replaceHolidayTable(OutboxWrites.forRelay(m), NATIONAL, file.year, input, { actor: { type: 'system', id: 'seed' }, channel: 'cli', requestId: null }, running ? 0 : null);
    });
    if (change?.revisionId) loaded++;
  }
  return loaded;
}
