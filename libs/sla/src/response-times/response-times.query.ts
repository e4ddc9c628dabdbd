import { notAccusedSql } from '@aduan/complaints';
import { hasRole, Principal } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { contributionSql, Grain, hourBucketMiddleMs, histogramPercentiles, PARTS, StoredFigures } from './response-time-rollup';

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
export type ResponseTimeRow = Record<(typeof RESPONSE_TIME_COLUMNS)[number], string | number | null>;

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
 * (response_time_assignment, response_time_complaint, and their rollup) and `sla_breach`.
 * Percentiles are `percentile_cont` over histograms: exact in hari kerja, within 1/64 in hours.
 */
@Injectable()
export class ResponseTimesQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** The figures per group, sorted and paged; `all` ignores the page (the CSV streams every group). */
  async figures(principal: Principal, f: ResponseTimesFilter, all = false): Promise<{ tenant: string; from: Date; to: Date; group_by: string; items: ResponseTimeRow[]; next_offset: number | null }> {
    const scope = await this.scope(principal, f.tenant, f.unit);
    const [from, to] = period(f);
    const rows = await this.grouped(scope, f, from, to);
    rows.sort(f.sort === 'key' ? (x, y) => String(x.key).localeCompare(String(y.key)) : (x, y) => Number(y.breached_first_response) - Number(x.breached_first_response) || String(x.key).localeCompare(String(y.key)));
    const items = all ? rows : rows.slice(f.offset, f.offset + f.limit);
    const next = !all && f.offset + f.limit < rows.length ? f.offset + f.limit : null;
    return { tenant: scope.tenantCode, from, to, group_by: f.group_by, items, next_offset: next };
  }

  /** One unit's figures, and the same by category. */
  async unit(principal: Principal, unitCode: string, f: Omit<ResponseTimesFilter, 'unit' | 'group_by'>) {
    const scope = await this.scope(principal, f.tenant, unitCode);
    const [from, to] = period(f);
    const [[figures], byCategory] = await Promise.all([
      this.grouped(scope, { ...f, group_by: 'unit', unit: unitCode }, from, to),
      this.grouped(scope, { ...f, group_by: 'category', unit: unitCode }, from, to),
    ]);
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
    const plan = rollupPlan(f, unitId);
    const span = plan ? wholeDays(from, to) : null;
    // The whole UTC days of the period come from the rollup; the rest, and what depends on now, from
    // the rows. One statement, so one snapshot: a cell less rows outside the period stays exact while
    // the projector moves both.
    const read = async (): Promise<{ key: string | null; figures: string | null; sign: number | null; measure: string | null; bucket: number | null; v: string | null }[]> => {
      const params: unknown[] = [scope.tenantCode, from, to];
      // One range per part, not an OR of two: each is then an index-only range scan of its covering index.
      const ranges = span ? span.rows : [{ from, to, sign: 1 }];
      const parts = (['stay', 'filed', 'resolved'] as const).flatMap((part) => ranges.map((r) => {
        const at = PARTS[part].at;
        const alias = part === 'stay' ? 'a' : 'c';
        const range = `${at} >= $${params.push(r.from)} AND ${at} < $${params.push(r.to)}`;
        return `SELECT key, NULL, NULL, measure, bucket, ${r.sign < 0 ? '-v' : 'v'} FROM (${contributionSql(part, `${alias}.tenant_code = $1 AND ${range}${filter(part, alias, params)}`, [f.group_by], false)}) x`;
      }));
      if (plan && span) {
        const grain = `$${params.push(plan.grain)}`;
        const where = plan.where(params);
        for (const c of span.cells) {
          parts.push(`SELECT key, figures, ${c.sign}, NULL, NULL, NULL FROM response_time_rollup
            WHERE tenant_code = $1 AND grain = ${grain} AND level = '${c.level}' AND slice >= $${params.push(c.from)} AND slice < $${params.push(c.to)}${where}`);
        }
      }
      return this.dataSource.query(
        `SELECT NULL::text AS key, NULL::text AS figures, NULL::int AS sign, NULL::text AS measure, NULL::int AS bucket, NULL::numeric AS v WHERE false
         UNION ALL
         ${parts.join(' UNION ALL ')}
         UNION ALL
         SELECT ${g.stay}, NULL, NULL, 'wait', 0, count(*) FROM response_time_assignment a
          WHERE a.tenant_code = $1 AND a.responded_at IS NULL AND a.ended_at IS NULL AND a.assigned_at >= $2 AND a.assigned_at < $3 AND a.due_at < now()${filter('stay', 'a', params)}
          GROUP BY 1
         UNION ALL
         SELECT ${g.filed}, NULL, NULL, 'pms', 0, sum((extract(epoch FROM now() - c.paused_since) * 1000)::bigint) FROM response_time_complaint c
          WHERE c.tenant_code = $1 AND c.paused_since IS NOT NULL AND c.submitted_at >= $2 AND c.submitted_at < $3${filter('filed', 'c', params)}
          GROUP BY 1`,
        params,
      );
    };
    const [cellsAndRows, open] = await Promise.all([
      read(),
      run<{ open: string; overdue: string; oldest: Date }>('open', (w) =>
        `SELECT ${g.open} AS key, count(*) AS open,
                count(*) FILTER (WHERE c.paused_since IS NULL AND c.status <> 'awaiting_info' AND c.due_at < now()) AS overdue, min(c.submitted_at) AS oldest
           FROM response_time_complaint c WHERE c.tenant_code = $1 AND c.open${w} GROUP BY 1`, [scope.tenantCode]),
    ]);
    const figures = new Map<string, Histograms>();
    const into = (key: string) => figures.get(key) ?? figures.set(key, new Map()).get(key)!;
    for (const r of cellsAndRows) {
      if (r.key === null) continue;
      if (r.figures !== null) {
        const group = into(plan!.keyOf(r.key));
        const stored = JSON.parse(r.figures) as StoredFigures;
        const sign = Number(r.sign);
        for (const measure in stored) addPairs(group, measure, stored[measure], sign);
      } else {
        add(into(r.key), r.measure!, Number(r.bucket), Number(r.v));
      }
    }
    // A month less its days outside the period can leave a group with nothing counted: it has no row.
    for (const [key, fig] of figures) if (![...fig.values()].some((buckets) => buckets.some((n) => n !== 0))) figures.delete(key);
    const keys = new Set([...figures.keys(), ...open.map((r) => r.key).filter((k): k is string => k !== null)]);
    const names = await this.names(f.group_by, [...keys]);
    const by = <T extends { key: string | null }>(rows: T[]) => new Map(rows.map((r) => [r.key, r]));
    const o = by(open);
    const hours = (ms: number | null) => round(ms === null ? null : ms / HOUR);
    return [...keys].map((key): ResponseTimeRow => {
      const fig: Histograms = figures.get(key) ?? new Map();
      const n = (measure: string) => fig.get(measure)?.[0] ?? 0;
      const [h, d, eh, ed, rh, rd] = (['h', 'd', 'eh', 'ed', 'rh', 'rd'] as const).map((m) =>
        histogramPercentiles(fig.get(m), m.endsWith('d') ? null : hourBucketMiddleMs, [0.5, 0.9]));
      const deadlines = fig.get('dl') ?? [];
      const op = o.get(key);
      const met = n('met');
      const missed = n('miss') + n('wait');
      const verdicts = n('sat') + n('unsat');
      return {
        key: names.get(key)?.code ?? key,
        name: names.get(key)?.name ?? null,
        filed: n('f'),
        stays: n('n'),
        acknowledged: n('a'),
        resolved: n('r'),
        first_response_median_hours: hours(h[0]),
        first_response_p90_hours: hours(h[1]),
        first_response_median_working_days: round(d[0]),
        first_response_p90_working_days: round(d[1]),
        first_response_within_share: share(met, met + missed),
        breached_first_response: missed,
        end_to_end_median_hours: hours(eh[0]),
        end_to_end_p90_hours: hours(eh[1]),
        end_to_end_median_working_days: round(ed[0]),
        end_to_end_p90_working_days: round(ed[1]),
        resolution_median_hours: hours(rh[0]),
        resolution_p90_hours: hours(rh[1]),
        resolution_median_working_days: round(rd[0]),
        resolution_p90_working_days: round(rd[1]),
        resolution_within_share: share(n('rmet'), n('rmet') + n('rlate')),
        breached_resolution: n('rlate'),
        paused_hours: hours(n('pms')),
        forwards: n('fw'),
        escalations: n('esc'),
        reopen_rate: share(n('reo'), n('r')),
        satisfaction: share(n('sat'), verdicts),
        rating_mean: n('rcnt') > 0 ? round(n('rsum') / n('rcnt')) : null,
        open_now: Number(op?.open ?? 0),
        overdue_now: Number(op?.overdue ?? 0),
        oldest_open_submitted_at: op?.oldest ? new Date(op.oldest).toISOString() : null,
        first_response_deadline_min_working_days: firstCounted(deadlines),
        first_response_deadline_max_working_days: lastCounted(deadlines),
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

/** A group's figures: measure → values by bucket (buckets are small whole numbers). */
type Histograms = Map<string, number[]>;

function add(group: Histograms, measure: string, bucket: number, v: number): void {
  let buckets = group.get(measure);
  if (!buckets) group.set(measure, (buckets = []));
  // Grown densely: an array written at a far index first turns sparse, and slow.
  while (buckets.length <= bucket) buckets.push(0);
  buckets[bucket] += v;
}

/** Adds a stored cell's `[bucket, value, …]` of one measure (times `sign`): the hot loop of a figure. */
function addPairs(group: Histograms, measure: string, pairs: readonly number[], sign: number): void {
  let buckets = group.get(measure);
  if (!buckets) group.set(measure, (buckets = []));
  for (let i = 0; i < pairs.length; i += 2) {
    const bucket = pairs[i];
    while (buckets.length <= bucket) buckets.push(0);
    buckets[bucket] += sign * pairs[i + 1];
  }
}

/** The smallest and largest bucket a histogram counts anything in; null when it counts nothing. */
function firstCounted(buckets: readonly number[]): number | null {
  const i = buckets.findIndex((n) => n > 0);
  return i < 0 ? null : i;
}
function lastCounted(buckets: readonly number[]): number | null {
  const i = buckets.findLastIndex((n) => n > 0);
  return i < 0 ? null : i;
}

interface RollupPlan {
  grain: Grain;
  /** the rollup rows' key condition, pushing its parameters */
  where: (params: unknown[]) => string;
  /** the group's key from the rollup's */
  keyOf: (key: string) => string;
}

/** Which rollup grouping answers a grouping and its filters; null: only the rows can. */
function rollupPlan(f: Pick<ResponseTimesFilter, 'group_by' | 'category' | 'kecamatan' | 'kelurahan'>, unitId: string | null): RollupPlan | null {
  const same = (key: string) => key;
  const eq = (expr: string, value: string | undefined | null) => (params: unknown[]) => (value ? ` AND ${expr} = $${params.push(value)}` : '');
  const both = (...parts: ((params: unknown[]) => string)[]) => (params: unknown[]) => parts.map((p) => p(params)).join('');
  switch (f.group_by) {
    case 'unit':
      if (f.kecamatan || f.kelurahan) return null;
      if (f.category) return { grain: 'unit_category', where: both(eq(`split_part(key, ' ', 2)`, f.category), eq(`split_part(key, ' ', 1)`, unitId)), keyOf: (k) => k.split(' ')[0] };
      return { grain: 'unit', where: eq('key', unitId), keyOf: same };
    case 'category':
      if (f.kecamatan || f.kelurahan) return null;
      if (unitId) return { grain: 'unit_category', where: both(eq(`split_part(key, ' ', 1)`, unitId), eq(`split_part(key, ' ', 2)`, f.category)), keyOf: (k) => k.split(' ')[1] };
      return { grain: 'category', where: eq('key', f.category), keyOf: same };
    case 'kelurahan':
      if (unitId || f.category || f.kecamatan) return null;
      return { grain: 'kelurahan', where: eq('key', f.kelurahan), keyOf: same };
    case 'kecamatan':
      if (unitId || f.category || f.kelurahan) return null;
      return { grain: 'kecamatan', where: eq('key', f.kecamatan), keyOf: same };
    case 'tenant':
      if (unitId || f.category || f.kecamatan || f.kelurahan) return null;
      return { grain: 'tenant', where: () => '', keyOf: same };
  }
}

/** Rollup cells to add up (`sign` 1) or take away (-1): one level, slices `from` (inclusive) to `to`. */
export interface CellRange {
  level: 'd' | 'm' | 'q' | 'y';
  from: string;
  to: string;
  sign: 1 | -1;
}

/** The first instant of the month, quarter or year (`months` 1, 3, 12) holding `t`, or (`next`) of the one after it unless `t` starts one. */
function boundary(t: number, months: 1 | 3 | 12, next: boolean): number {
  const d = new Date(t);
  const month = d.getUTCMonth() - (d.getUTCMonth() % months);
  const first = Date.UTC(d.getUTCFullYear(), month, 1);
  return next && first < t ? Date.UTC(d.getUTCFullYear(), month + months, 1) : first;
}

const LEVELS = [{ level: 'y', months: 12 }, { level: 'q', months: 3 }, { level: 'm', months: 1 }] as const;

/**
 * The cheapest cells counting each day of `a`..`b` (UTC midnights, `a` < `b`) `sign` times, with
 * the levels from `LEVELS[top]` down: days, or whole years (quarters, months) with the part at
 * either end added — or taken away, where the year reaches past the span — in the levels below.
 * A cell costs 1, or 0 when it starts after `today`: nothing has happened there, so reading it
 * finds nothing (it is still read, so the figures stay exact whatever the rows hold).
 */
function cover(a: number, b: number, sign: 1 | -1, top: number, today: number): { cost: number; cells: CellRange[] } {
  const date = (t: number) => new Date(t).toISOString().slice(0, 10);
  const part = (x: number, y: number, s: 1 | -1, next: number) =>
    x === y ? { cost: 0, cells: [] } : x < y ? cover(x, y, s, next, today) : cover(y, x, s === 1 ? -1 : 1, next, today);
  let best: { cost: number; cells: CellRange[] } = { cost: Math.max(0, Math.min(b, today + DAY) - a) / DAY, cells: [{ level: 'd', from: date(a), to: date(b), sign }] };
  for (let i = top; i < LEVELS.length; i++) {
    const { level, months } = LEVELS[i];
    for (const m0 of [boundary(a, months, false), boundary(a, months, true)]) {
      for (const m1 of [boundary(b, months, false), boundary(b, months, true)]) {
        if (m0 >= m1) continue;
        let cost = 0;
        for (let t = m0; t < m1 && t <= today; t = boundary(t + DAY, months, true)) cost++;
        // The ends lie within one cell of this level: the levels below cover them.
        const head = part(a, m0, sign, i + 1);
        const tail = part(m1, b, sign, i + 1);
        cost += head.cost + tail.cost;
        if (cost < best.cost) best = { cost, cells: [{ level, from: date(m0), to: date(m1), sign }, ...head.cells, ...tail.cells] };
      }
    }
  }
  return best;
}

/** Rows to count (`sign` 1) or take away (-1): `from` (inclusive) to `to`. */
export interface RowRange {
  from: Date;
  to: Date;
  sign: 1 | -1;
}

/**
 * A period as rollup cells and rows. Its whole UTC days are the cheapest cells: whole years,
 * quarters, months and days, each end read either as the cells inside the period or as the larger
 * cell holding it less its cells outside the period (a histogram's counts can be taken away):
 * 1–27 December is December less 28–31 December. `now` tells which cells cannot hold anything yet.
 * The hours at either end are rows: those inside the period, or its day's cell less those outside,
 * whichever spans less time; the rows after now cost nothing (a period up to now reads today's cell
 * less nothing). Null when the period holds no whole day: all rows.
 */
export function wholeDays(from: Date, to: Date, now: Date = new Date()): { cells: CellRange[]; rows: RowRange[] } | null {
  let start = Math.ceil(from.getTime() / DAY) * DAY;
  let end = Math.floor(to.getTime() / DAY) * DAY;
  if (start >= end) return null;
  // Rows cost by the time they span; after now there are none.
  const span = (a: number, b: number) => Math.max(0, Math.min(b, now.getTime()) - a);
  const rows: RowRange[] = [];
  if (from.getTime() < start && span(start - DAY, from.getTime()) < span(from.getTime(), start)) {
    rows.push({ from: new Date(start - DAY), to: from, sign: -1 });
    start -= DAY;
  } else if (from.getTime() < start) {
    rows.push({ from, to: new Date(start), sign: 1 });
  }
  if (to.getTime() > end && span(to.getTime(), end + DAY) < span(end, to.getTime())) {
    rows.push({ from: to, to: new Date(end + DAY), sign: -1 });
    end += DAY;
  } else if (to.getTime() > end) {
    rows.push({ from: new Date(end), to, sign: 1 });
  }
  return { cells: cover(start, end, 1, 0, Math.floor(now.getTime() / DAY) * DAY).cells, rows };
}
