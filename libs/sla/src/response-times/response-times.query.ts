import { notAccusedSql } from '@aduan/complaints';
import { hasRole, Principal } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { DeadlineRange, firstResponseDeadlines, withDeadlines } from './first-response-deadlines';

const when = z.iso.datetime({ offset: true });
const code = z.string().regex(/^[A-Z0-9_.]{2,40}$/, 'must be a code');
const wilayah = z.string().regex(/^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$/, 'must be a wilayah code');

const common = {
  tenant: wilayah.optional(),
  from: when.optional(),
  to: when.optional(),
  format: z.enum(['json', 'csv']).optional(),
};
export const responseTimesFilterSchema = z.strictObject({
  ...common,
  group_by: z.enum(['unit', 'category', 'kelurahan', 'kecamatan', 'tenant']).default('unit'),
  unit: code.optional(),
  category: code.optional(),
  kecamatan: wilayah.optional(),
  kelurahan: wilayah.optional(),
  sort: z.enum(['key', 'missed_first_response']).default('key'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ResponseTimesFilter = z.infer<typeof responseTimesFilterSchema>;

export const breachesFilterSchema = z.strictObject({
  ...common,
  unit: code.optional(),
  kind: z.enum(['first_response', 'resolution']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** the `next_before` of the page before */
  before: z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|[0-9a-f-]{36}$/, 'must be a next_before value').optional(),
});
export type BreachesFilter = z.infer<typeof breachesFilterSchema>;

/** The fields of a row of figures, in CSV order (docs/response-times.md defines each). */
export const RESPONSE_TIME_COLUMNS = [
  'key', 'name', 'filed', 'stays', 'acknowledged', 'resolved',
  'first_response_median_hours', 'first_response_p90_hours', 'first_response_median_working_days', 'first_response_p90_working_days',
  'first_response_within_share', 'breached_first_response',
  'end_to_end_median_hours', 'end_to_end_p90_hours', 'end_to_end_median_working_days', 'end_to_end_p90_working_days',
  'resolution_median_hours', 'resolution_p90_hours', 'resolution_median_working_days', 'resolution_p90_working_days',
  'resolution_within_share', 'breached_resolution',
  'paused_hours', 'forwards', 'escalations', 'reopen_rate', 'satisfaction', 'rating_mean',
  'open_now', 'overdue_now', 'oldest_open_submitted_at',
  'first_response_deadline_min_working_days', 'first_response_deadline_max_working_days',
] as const;
export type ResponseTimeRow = Record<Exclude<(typeof RESPONSE_TIME_COLUMNS)[number], keyof DeadlineRange>, string | number | null>;

export const BREACH_COLUMNS = [
  'breached_at', 'kind', 'due_at', 'tracking_number', 'category', 'kecamatan', 'kelurahan', 'held_by', 'held_by_name',
  'next', 'next_at', 'next_unit', 'status_now', 'held_by_now', 'breach_id',
] as const;
export type BreachRow = Record<(typeof BREACH_COLUMNS)[number], string | Date | null>;

/** Who asks, and what they may see (docs/api.md, response times). */
interface Scope {
  tenantCode: string;
  /** a unit's official: only their unit's figures */
  unitId: string | null;
  /** an administrator: figures, never which complaint */
  contentHidden: boolean;
  /** an inspector: never a complaint that may accuse their own unit */
  inspectorUnitId: string | null;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const GROUP = {
  unit: { stay: 'a.unit_id::text', filed: 'c.first_unit_id::text', resolved: 'c.resolved_by_unit_id::text', open: 'c.current_unit_id::text' },
  category: { stay: 'a.category_code', filed: 'c.category_code', resolved: 'c.category_code', open: 'c.category_code' },
  kelurahan: { stay: 'a.kelurahan_code', filed: 'c.kelurahan_code', resolved: 'c.kelurahan_code', open: 'c.kelurahan_code' },
  kecamatan: { stay: 'a.kecamatan_code', filed: 'c.kecamatan_code', resolved: 'c.kecamatan_code', open: 'c.kecamatan_code' },
  tenant: { stay: 'a.tenant_code', filed: 'c.tenant_code', resolved: 'c.tenant_code', open: 'c.tenant_code' },
} as const;

type Part = keyof (typeof GROUP)['unit'];

const round = (n: number | string | null, digits = 2): number | null => (n === null ? null : Number(Number(n).toFixed(digits)));
const share = (part: number, whole: number): number | null => (whole > 0 ? round(part / whole, 4) : null);

/**
 * The Inspektorat's response-time figures and missed deadlines, from the read model
 * (response_time_assignment, response_time_complaint) and `sla_breach`. Percentiles are exact
 * (`percentile_cont`) over the period's rows.
 */
@Injectable()
export class ResponseTimesQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** The figures per group, sorted and paged; `all` ignores the page (the CSV streams every group). */
  async figures(principal: Principal, f: ResponseTimesFilter, all = false): Promise<{ tenant: string; from: Date; to: Date; group_by: string; items: (ResponseTimeRow & DeadlineRange)[]; next_offset: number | null }> {
    const scope = await this.scope(principal, f.tenant, f.unit);
    const [from, to] = period(f);
    const rows = withDeadlines(...(await Promise.all([this.grouped(scope, f, from, to), firstResponseDeadlines(this.dataSource, scope, f, from, to)])));
    rows.sort(f.sort === 'key' ? (x, y) => String(x.key).localeCompare(String(y.key)) : (x, y) => Number(y.breached_first_response) - Number(x.breached_first_response) || String(x.key).localeCompare(String(y.key)));
    const items = all ? rows : rows.slice(f.offset, f.offset + f.limit);
    const next = !all && f.offset + f.limit < rows.length ? f.offset + f.limit : null;
    return { tenant: scope.tenantCode, from, to, group_by: f.group_by, items, next_offset: next };
  }

  /** One unit's figures, and the same by category. */
  async unit(principal: Principal, unitCode: string, f: Omit<ResponseTimesFilter, 'unit' | 'group_by'>) {
    const scope = await this.scope(principal, f.tenant, unitCode);
    const [from, to] = period(f);
    const [figures] = withDeadlines(...(await Promise.all([this.grouped(scope, { ...f, group_by: 'unit', unit: unitCode }, from, to), firstResponseDeadlines(this.dataSource, scope, { ...f, group_by: 'unit' }, from, to)])));
    const byCategory = withDeadlines(...(await Promise.all([this.grouped(scope, { ...f, group_by: 'category', unit: unitCode }, from, to), firstResponseDeadlines(this.dataSource, scope, { ...f, group_by: 'category' }, from, to)])));
    return { tenant: scope.tenantCode, unit: unitCode, from, to, figures: figures ?? null, by_category: byCategory.sort((x, y) => String(x.key).localeCompare(String(y.key))) };
  }

  /** Missed deadlines, newest first: who held the complaint when it passed, and what happened next. */
  async breaches(principal: Principal, f: BreachesFilter): Promise<{ tenant: string; items: BreachRow[]; next_before: string | null }> {
    const scope = await this.scope(principal, f.tenant, f.unit);
    const rows = await this.breachPage(scope, f, f.limit + 1, f.before ?? null);
    const items = rows.slice(0, f.limit);
    const last = items[items.length - 1];
    return { tenant: scope.tenantCode, items, next_before: rows.length > f.limit && last ? cursorOf(last) : null };
  }

  /** Every missed deadline of the filter, page by page as the consumer pulls them: for the CSV. */
  async *allBreaches(principal: Principal, f: BreachesFilter): AsyncGenerator<BreachRow> {
    const scope = await this.scope(principal, f.tenant, f.unit);
    let before = f.before ?? null;
    for (;;) {
      const page = await this.breachPage(scope, f, 1000, before);
      yield* page;
      if (page.length < 1000) return;
      before = cursorOf(page[page.length - 1]);
    }
  }

  private async breachPage(scope: Scope, f: BreachesFilter, limit: number, before: string | null): Promise<BreachRow[]> {
    const [from, to] = period(f);
    const params: unknown[] = [scope.tenantCode, from, to];
    const where = [`b.tenant_code = $1`, `b.breached_at >= $2`, `b.breached_at < $3`];
    if (scope.unitId) where.push(`b.unit_id = $${params.push(scope.unitId)}`);
    if (f.kind) where.push(`b.kind = $${params.push(f.kind)}`);
    if (scope.inspectorUnitId) where.push(notAccusedSql(`$${params.push(scope.inspectorUnitId)}::uuid`));
    if (before) {
      const [at, id] = before.split('|');
      where.push(`(b.breached_at, b.id) < ($${params.push(new Date(at))}, $${params.push(id)}::uuid)`);
    }
    const rows: (BreachRow & { next_unit_id: string | null })[] = await this.dataSource.query(
      `SELECT b.breached_at, b.kind, b.due_at, ${scope.contentHidden ? 'NULL' : 'c.tracking_number'} AS tracking_number, c.category_code AS category,
              c.kecamatan_code AS kecamatan, c.kelurahan_code AS kelurahan, u.code AS held_by, u.name AS held_by_name,
              CASE WHEN b.kind = 'first_response' THEN
                     CASE WHEN b.escalated_to_unit_id IS NOT NULL THEN 'escalated'
                          WHEN a.responded_at IS NOT NULL THEN 'answered_late'
                          WHEN a.ended_at IS NOT NULL THEN a.end_reason
                          ELSE 'still_waiting' END
                   ELSE
                     CASE WHEN c.resolved_at >= b.due_at THEN 'resolved_late'
                          WHEN c.status = 'rejected' THEN 'rejected'
                          ELSE 'still_open' END END AS next,
              CASE WHEN b.kind = 'first_response' THEN
                     CASE WHEN b.escalated_to_unit_id IS NOT NULL THEN b.breached_at ELSE coalesce(a.responded_at, a.ended_at) END
                   ELSE CASE WHEN c.resolved_at >= b.due_at THEN c.resolved_at WHEN c.status = 'rejected' THEN c.closed_at END END AS next_at,
              eu.code AS next_unit, c.status AS status_now, cu.code AS held_by_now, b.id AS breach_id
         FROM sla_breach b
         JOIN complaint c ON c.id = b.complaint_id
         JOIN unit u ON u.id = b.unit_id
         LEFT JOIN assignment a ON a.id = b.assignment_id
         LEFT JOIN unit eu ON eu.id = b.escalated_to_unit_id
         LEFT JOIN unit cu ON cu.id = c.current_unit_id
        WHERE ${where.join(' AND ')}
        ORDER BY b.breached_at DESC, b.id DESC
        LIMIT ${limit}`,
      params,
    );
    return rows;
  }

  private async grouped(scope: Scope, f: Pick<ResponseTimesFilter, 'group_by' | 'category' | 'kecamatan' | 'kelurahan' | 'unit'>, from: Date, to: Date): Promise<ResponseTimeRow[]> {
    const g = GROUP[f.group_by];
    const unitId = scope.unitId;
    const filter = (part: Part, alias: 'a' | 'c', params: unknown[]): string => {
      const where: string[] = [];
      if (f.category) where.push(`${alias}.category_code = $${params.push(f.category)}`);
      if (f.kecamatan) where.push(`${alias}.kecamatan_code = $${params.push(f.kecamatan)}`);
      if (f.kelurahan) where.push(`${alias}.kelurahan_code = $${params.push(f.kelurahan)}`);
      if (unitId) where.push(`${GROUP.unit[part].replace('::text', '')} = $${params.push(unitId)}::uuid`);
      return where.map((w) => ` AND ${w}`).join('');
    };
    const run = <T>(part: Part, sql: (where: string) => string, base: unknown[]): Promise<(T & { key: string | null })[]> => {
      const params = [...base];
      const alias = part === 'stay' ? 'a' : 'c';
      return this.dataSource.query(sql(filter(part, alias, params)), params);
    };
    const inPeriod = [scope.tenantCode, from, to];
    type Pct = { p50_ms: string | null; p90_ms: string | null; p50_days: string | null; p90_days: string | null };
    const pct = (ms: string, days: string) =>
      `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${ms}) AS p50_ms, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${ms}) AS p90_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ${days}) AS p50_days, percentile_cont(0.9) WITHIN GROUP (ORDER BY ${days}) AS p90_days`;
    const [stays, filed, resolved, open] = await Promise.all([
      run<Pct & { stays: string; answered: string; met: string; missed: string }>('stay', (w) =>
        `SELECT ${g.stay} AS key, count(*) AS stays, count(a.responded_at) AS answered, count(*) FILTER (WHERE a.met) AS met,
                count(*) FILTER (WHERE a.met = false OR (a.met IS NULL AND a.responded_at IS NULL AND a.ended_at IS NULL AND a.due_at < now())) AS missed,
                ${pct('a.response_ms', 'a.response_working_days')}
           FROM response_time_assignment a WHERE a.tenant_code = $1 AND a.assigned_at >= $2 AND a.assigned_at < $3${w} GROUP BY 1`, inPeriod),
      run<Pct & { filed: string; paused_ms: string; forwards: string; escalations: string }>('filed', (w) =>
        `SELECT ${g.filed} AS key, count(*) AS filed,
                sum(c.paused_ms + CASE WHEN c.paused_since IS NOT NULL THEN (extract(epoch FROM now() - c.paused_since) * 1000)::bigint ELSE 0 END) AS paused_ms,
                sum(c.forwards + c.returns) AS forwards, sum(c.escalations) AS escalations,
                ${pct('c.first_response_ms', 'c.first_response_working_days')}
           FROM response_time_complaint c WHERE c.tenant_code = $1 AND c.submitted_at >= $2 AND c.submitted_at < $3${w} GROUP BY 1`, inPeriod),
      run<Pct & { resolved: string; met: string; late: string; reopened: string; satisfied: string; unsatisfied: string; rating_sum: string; rating_count: string }>('resolved', (w) =>
        `SELECT ${g.resolved} AS key, count(*) AS resolved, count(*) FILTER (WHERE c.resolution_met) AS met,
                count(*) FILTER (WHERE c.resolution_met = false) AS late, count(*) FILTER (WHERE c.reopens > 0) AS reopened,
                sum(c.satisfied_verdicts) AS satisfied, sum(c.unsatisfied_verdicts) AS unsatisfied, sum(c.rating_sum) AS rating_sum,
                sum(c.rating_count) AS rating_count, ${pct('c.resolution_ms', 'c.resolution_working_days')}
           FROM response_time_complaint c WHERE c.tenant_code = $1 AND c.resolved_at >= $2 AND c.resolved_at < $3${w} GROUP BY 1`, inPeriod),
      run<{ open: string; overdue: string; oldest: Date }>('open', (w) =>
        `SELECT ${g.open} AS key, count(*) AS open,
                count(*) FILTER (WHERE c.paused_since IS NULL AND c.status <> 'awaiting_info' AND c.due_at < now()) AS overdue, min(c.submitted_at) AS oldest
           FROM response_time_complaint c WHERE c.tenant_code = $1 AND c.open${w} GROUP BY 1`, [scope.tenantCode]),
    ]);
    const keys = new Set([...stays, ...filed, ...resolved, ...open].map((r) => r.key).filter((k): k is string => k !== null));
    const names = await this.names(f.group_by, [...keys]);
    const by = <T extends { key: string | null }>(rows: T[]) => new Map(rows.map((r) => [r.key, r]));
    const [s, fl, r, o] = [by(stays), by(filed), by(resolved), by(open)];
    const hours = (ms: string | null | undefined) => round(ms === null || ms === undefined ? null : Number(ms) / HOUR);
    const days = (d: string | null | undefined) => round(d ?? null);
    return [...keys].map((key): ResponseTimeRow => {
      const st = s.get(key);
      const fi = fl.get(key);
      const re = r.get(key);
      const op = o.get(key);
      const met = Number(st?.met ?? 0);
      const verdicts = Number(re?.satisfied ?? 0) + Number(re?.unsatisfied ?? 0);
      return {
        key: names.get(key)?.code ?? key,
        name: names.get(key)?.name ?? null,
        filed: Number(fi?.filed ?? 0),
        stays: Number(st?.stays ?? 0),
        acknowledged: Number(st?.answered ?? 0),
        resolved: Number(re?.resolved ?? 0),
        first_response_median_hours: hours(st?.p50_ms),
        first_response_p90_hours: hours(st?.p90_ms),
        first_response_median_working_days: days(st?.p50_days),
        first_response_p90_working_days: days(st?.p90_days),
        first_response_within_share: share(met, met + Number(st?.missed ?? 0)),
        breached_first_response: Number(st?.missed ?? 0),
        end_to_end_median_hours: hours(fi?.p50_ms),
        end_to_end_p90_hours: hours(fi?.p90_ms),
        end_to_end_median_working_days: days(fi?.p50_days),
        end_to_end_p90_working_days: days(fi?.p90_days),
        resolution_median_hours: hours(re?.p50_ms),
        resolution_p90_hours: hours(re?.p90_ms),
        resolution_median_working_days: days(re?.p50_days),
        resolution_p90_working_days: days(re?.p90_days),
        resolution_within_share: share(Number(re?.met ?? 0), Number(re?.met ?? 0) + Number(re?.late ?? 0)),
        breached_resolution: Number(re?.late ?? 0),
        paused_hours: hours(fi?.paused_ms ?? '0'),
        forwards: Number(fi?.forwards ?? 0),
        escalations: Number(fi?.escalations ?? 0),
        reopen_rate: share(Number(re?.reopened ?? 0), Number(re?.resolved ?? 0)),
        satisfaction: share(Number(re?.satisfied ?? 0), verdicts),
        rating_mean: Number(re?.rating_count ?? 0) > 0 ? round(Number(re!.rating_sum) / Number(re!.rating_count)) : null,
        open_now: Number(op?.open ?? 0),
        overdue_now: Number(op?.overdue ?? 0),
        oldest_open_submitted_at: op?.oldest ? new Date(op.oldest).toISOString() : null,
      };
    });
  }

  /** Codes and names of the groups' keys (a unit's key is its id until here). */
  private async names(groupBy: ResponseTimesFilter['group_by'], keys: string[]): Promise<Map<string, { code: string; name: string }>> {
    if (keys.length === 0) return new Map();
    const sql = {
      unit: `SELECT id::text AS key, code, name FROM unit WHERE id = ANY($1::uuid[])`,
      category: `SELECT code AS key, code, name FROM category WHERE code = ANY($1)`,
      kelurahan: `SELECT code AS key, code, name FROM area WHERE code = ANY($1)`,
      kecamatan: `SELECT code AS key, code, name FROM area WHERE code = ANY($1)`,
      tenant: `SELECT code AS key, code, name FROM tenant WHERE code = ANY($1)`,
    }[groupBy];
    const rows: { key: string; code: string; name: string }[] = await this.dataSource.query(sql, [keys]);
    return new Map(rows.map((r) => [r.key, { code: r.code, name: r.name }]));
  }

  /**
   * Inspectors: their tenant, everything. Administrators: a tenant's figures (a tenant admin their
   * own, the platform admin any named one), never which complaint. Anyone else with a unit: only
   * that unit's figures, and asking for another unit is a 403.
   */
  private async scope(principal: Principal, tenant: string | undefined, unitCode: string | undefined): Promise<Scope> {
    const inspector = hasRole(principal, 'inspector');
    const admin = !inspector && hasRole(principal, 'admin');
    const tenantCode = principal.tenantCode ?? (admin ? tenant : undefined);
    if (!tenantCode) throw new DomainError('invalid', 'Name the kota/kabupaten with `tenant`.', [{ field: 'tenant', message: 'required' }]);
    if (tenant && tenant !== tenantCode) throw new DomainError('forbidden', 'These figures are of another kota/kabupaten.');
    const [known]: { code: string }[] = await this.dataSource.query(`SELECT code FROM tenant WHERE code = $1`, [tenantCode]);
    if (!known) throw new DomainError('invalid', 'No such kota/kabupaten.', [{ field: 'tenant', message: 'unknown tenant' }]);
    let unitId: string | null = null;
    if (unitCode) {
      const [unit]: { id: string }[] = await this.dataSource.query(`SELECT id FROM unit WHERE code = $1 AND tenant_code = $2`, [unitCode, tenantCode]);
      if (!unit) throw new DomainError('invalid', 'No such unit in this kota/kabupaten.', [{ field: 'unit', message: 'unknown unit' }]);
      unitId = unit.id;
    }
    if (!inspector && !admin) {
      if (!principal.unitId) throw new DomainError('forbidden', 'Only the Inspektorat, administrators and a unit\'s own officials may read response times.');
      if (unitId && unitId !== principal.unitId) throw new DomainError('forbidden', 'A unit\'s officials may read only their own unit\'s figures.');
      unitId = principal.unitId;
    }
    return { tenantCode, unitId, contentHidden: admin, inspectorUnitId: inspector ? principal.unitId : null };
  }
}

/** `from`..`to`; by default the 90 days up to now. */
function period(f: { from?: string; to?: string }): [Date, Date] {
  const to = f.to ? new Date(f.to) : new Date();
  const from = f.from ? new Date(f.from) : new Date(to.getTime() - 90 * DAY);
  if (from.getTime() >= to.getTime()) throw new DomainError('invalid', '`from` must come before `to`.', [{ field: 'from', message: 'after to' }]);
  return [from, to];
}

function cursorOf(row: BreachRow): string {
  return `${new Date(row.breached_at as Date).toISOString()}|${String(row.breach_id)}`;
}
