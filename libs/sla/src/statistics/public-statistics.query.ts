import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SumCell, suppressCells, SUPPRESSION_THRESHOLD } from './suppression';

export const PUBLIC_PERIOD_DAYS = 90;
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The three tables of the public page; the Inspektorat is listed with the OPD. */
export const PUBLIC_GROUPS = ['kelurahan', 'kecamatan', 'opd'] as const;
export type PublicGroup = (typeof PUBLIC_GROUPS)[number];

/** The counts whose small values are hidden, each with its own complementary cells. */
export type PublicMeasure = 'received' | 'finished' | 'ratings';

/** One row of figures: a unit, a table's total or the tenant's; `null` where hidden or not countable. */
export interface PublicFigures {
  /** stays begun in the period: complaints placed, forwarded, returned or escalated to the unit */
  received: number | null;
  first_response_median_working_days: number | null;
  first_response_within_share: number | null;
  finished: number | null;
  ratings: number | null;
  rating_mean: number | null;
  /** the counts hidden here (with the figures drawn from them) */
  hidden: PublicMeasure[];
}
export interface PublicUnitRow extends PublicFigures {
  code: string;
  name: string;
  /** the kecamatan office a kelurahan/desa office reports to */
  kecamatan: string | null;
}
export interface PublicStatistics {
  tenant: { code: string; name: string };
  from: string;
  to: string;
  period_days: number;
  threshold: number;
  total: PublicFigures;
  groups: { group: PublicGroup; total: PublicFigures; units: PublicUnitRow[] }[];
}

interface Raw {
  received: number;
  met: number;
  missed: number;
  median: number | null;
  finished: number;
  ratings: number;
  rating_sum: number;
}
const EMPTY: Raw = { received: 0, met: 0, missed: 0, median: null, finished: 0, ratings: 0, rating_sum: 0 };

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/**
 * The public figures of one kota/kabupaten (docs/statistics.md): per unit, per table and in all,
 * over the 90 days to the end of the current hour, from the response-time read model. Counts
 * are by the unit that held the complaint (never an accused one); no complaint is named.
 */
@Injectable()
export class PublicStatisticsQuery {
  constructor(private readonly dataSource: DataSource) {}

  async forTenant(code: string, now = new Date()): Promise<PublicStatistics> {
    const [tenant]: { code: string; name: string }[] = await this.dataSource.query(`SELECT code, name FROM tenant WHERE code = $1`, [code]);
    if (!tenant) throw new DomainError('invalid', 'No such kota/kabupaten.', [{ field: 'tenant', message: 'unknown tenant' }]);
    // To the end of the current hour: the answer (and its ETag) stays the same within the hour unless a figure changes.
    const to = new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR);
    const from = new Date(to.getTime() - PUBLIC_PERIOD_DAYS * DAY);
    const units: { id: string; code: string; name: string; grp: PublicGroup; kecamatan: string | null }[] = await this.dataSource.query(
      `SELECT u.id::text AS id, u.code, u.name, CASE WHEN u.type = 'inspektorat' THEN 'opd' ELSE u.type END AS grp,
              CASE WHEN u.type = 'kelurahan' THEN p.name END AS kecamatan
         FROM unit u LEFT JOIN unit p ON p.id = u.parent_id
        WHERE u.tenant_code = $1 AND u.active ORDER BY u.code`,
      [code],
    );
    // One row per unit, per table and for the tenant (GROUPING SETS); `level` says which.
    const grp = `CASE WHEN u.type = 'inspektorat' THEN 'opd' ELSE u.type END`;
    const stays: { level: number; unit: string | null; grp: string | null; received: string; met: string; missed: string; median: number | null }[] =
      await this.dataSource.query(
        `SELECT GROUPING(a.unit_id, ${grp}) AS level, a.unit_id::text AS unit, ${grp} AS grp, count(*) AS received,
                count(*) FILTER (WHERE a.met) AS met,
                count(*) FILTER (WHERE a.met = false OR (a.met IS NULL AND a.responded_at IS NULL AND a.ended_at IS NULL AND a.due_at < $3)) AS missed,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_working_days) AS median
           FROM response_time_assignment a JOIN unit u ON u.id = a.unit_id
          WHERE a.tenant_code = $1 AND a.assigned_at >= $2 AND a.assigned_at < $3
          GROUP BY GROUPING SETS ((a.unit_id, ${grp}), (${grp}), ())`,
        [code, from, to],
      );
    const resolved: { level: number; unit: string | null; grp: string | null; finished: string; ratings: string; rating_sum: string }[] =
      await this.dataSource.query(
        `SELECT GROUPING(c.resolved_by_unit_id, ${grp}) AS level, c.resolved_by_unit_id::text AS unit, ${grp} AS grp, count(*) AS finished,
                coalesce(sum(c.rating_count), 0) AS ratings, coalesce(sum(c.rating_sum), 0) AS rating_sum
           FROM response_time_complaint c JOIN unit u ON u.id = c.resolved_by_unit_id
          WHERE c.tenant_code = $1 AND c.resolved_at >= $2 AND c.resolved_at < $3
          GROUP BY GROUPING SETS ((c.resolved_by_unit_id, ${grp}), (${grp}), ())`,
        [code, from, to],
      );
    const raw = new Map<string, Raw>();
    const key = (r: { level: number; unit: string | null; grp: string | null }) => (Number(r.level) === 0 ? `u:${r.unit}` : Number(r.level) === 2 ? `g:${r.grp}` : 'total');
    const at = (k: string) => raw.get(k) ?? (raw.set(k, { ...EMPTY }), raw.get(k)!);
    for (const r of stays) Object.assign(at(key(r)), { received: Number(r.received), met: Number(r.met), missed: Number(r.missed), median: r.median === null ? null : Number(r.median) });
    for (const r of resolved) Object.assign(at(key(r)), { finished: Number(r.finished), ratings: Number(r.ratings), rating_sum: Number(r.rating_sum) });

    // A unit no longer active that counted in the period stays in its table's total, as one more unshown cell.
    const cellsOf = (measure: PublicMeasure): SumCell[] => {
      const cells: SumCell[] = [{ id: 'total', value: (raw.get('total') ?? EMPTY)[measure], parent: null }];
      for (const g of PUBLIC_GROUPS) {
        const groupValue = (raw.get(`g:${g}`) ?? EMPTY)[measure];
        cells.push({ id: `g:${g}`, value: groupValue, parent: 'total' });
        const rows = units.filter((u) => u.grp === g).map((u) => ({ id: `u:${u.id}`, value: (raw.get(`u:${u.id}`) ?? EMPTY)[measure], parent: `g:${g}` }));
        const rest = groupValue - rows.reduce((s, r) => s + r.value, 0);
        if (rest !== 0) rows.push({ id: `other:${g}`, value: rest, parent: `g:${g}` });
        cells.push(...rows);
      }
      return cells;
    };
    const hidden: Record<PublicMeasure, Set<string>> = {
      received: suppressCells(cellsOf('received')),
      finished: suppressCells(cellsOf('finished')),
      ratings: suppressCells(cellsOf('ratings')),
    };
    const figures = (id: string): PublicFigures => {
      const r = raw.get(id) ?? EMPTY;
      const off = (m: PublicMeasure) => hidden[m].has(id);
      const answered = r.met + r.missed;
      return {
        received: off('received') ? null : r.received,
        first_response_median_working_days: off('received') || r.median === null ? null : round(r.median, 1),
        first_response_within_share: off('received') || answered === 0 ? null : round(r.met / answered, 3),
        finished: off('finished') ? null : r.finished,
        ratings: off('ratings') ? null : r.ratings,
        rating_mean: off('ratings') || r.ratings === 0 ? null : round(r.rating_sum / r.ratings, 1),
        hidden: (['received', 'finished', 'ratings'] as const).filter(off),
      };
    };
    const byName = (a: { name: string; kecamatan: string | null }, b: { name: string; kecamatan: string | null }) =>
      (a.kecamatan ?? '').localeCompare(b.kecamatan ?? '', 'id') || a.name.localeCompare(b.name, 'id');
    return {
      tenant,
      from: from.toISOString(),
      to: to.toISOString(),
      period_days: PUBLIC_PERIOD_DAYS,
      threshold: SUPPRESSION_THRESHOLD,
      total: figures('total'),
      groups: PUBLIC_GROUPS.map((g) => ({
        group: g,
        total: figures(`g:${g}`),
        units: units.filter((u) => u.grp === g).sort(byName).map((u) => ({ code: u.code, name: u.name, kecamatan: u.kecamatan, ...figures(`u:${u.id}`) })),
      })),
    };
  }
}
