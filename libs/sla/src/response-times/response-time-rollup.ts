import { EntityManager } from 'typeorm';

/** The groupings the rollup keeps; `unit_category` is keyed `<unit id> <category code>`. */
export type Grain = 'unit' | 'category' | 'kelurahan' | 'kecamatan' | 'tenant' | 'unit_category';
export const GRAINS: readonly Grain[] = ['unit', 'category', 'kelurahan', 'kecamatan', 'tenant', 'unit_category'];
export type RollupPart = 'stay' | 'filed' | 'resolved';

/** `measure:bucket` → value. Counters use bucket 0; histograms count per bucket. */
export type Figures = Record<string, number>;

/** As stored (`response_time_rollup.figures`): measure → [bucket, value, bucket, value, …], which JSON.parse reads fastest. */
export type StoredFigures = Record<string, number[]>;

export function encodeFigures(figures: Figures): string {
  const out: StoredFigures = {};
  for (const [k, v] of Object.entries(figures)) {
    const colon = k.indexOf(':');
    (out[k.slice(0, colon)] ??= []).push(Number(k.slice(colon + 1)), v);
  }
  return JSON.stringify(out);
}

export function decodeFigures(text: string): Figures {
  const out: Figures = {};
  for (const [measure, pairs] of Object.entries(JSON.parse(text) as StoredFigures)) {
    for (let i = 0; i < pairs.length; i += 2) out[`${measure}:${pairs[i]}`] = pairs[i + 1];
  }
  return out;
}

const hourBucket = (ms: string) => `response_time_hour_bucket(coalesce(${ms}, 0))`;
const flag = (sql: string) => `(${sql})::int`;

interface PartSql {
  from: string;
  at: string;
  where: string;
  unit: string;
  /** [measure, bucket, value]: rows with value 0 are left out */
  measures: readonly [string, string, string][];
}

/** What each part of the figures counts (docs/response-times.md): stays by start, complaints by submission and by resolution. */
export const PARTS: Record<RollupPart, PartSql> = {
  stay: {
    from: 'response_time_assignment a', at: 'a.assigned_at', where: 'true', unit: 'a.unit_id',
    measures: [
      ['n', '0', '1'], ['a', '0', flag('a.responded_at IS NOT NULL')], ['met', '0', flag('a.met IS TRUE')], ['miss', '0', flag('a.met IS FALSE')],
      ['h', hourBucket('a.response_ms'), flag('a.response_ms IS NOT NULL')],
      ['d', 'coalesce(a.response_working_days, 0)', flag('a.response_working_days IS NOT NULL')],
      // the deadlines the stays were given: the range is the first and last bucket counted
      ['dl', 'coalesce(a.deadline_working_days, 0)', flag('a.deadline_working_days IS NOT NULL')],
    ],
  },
  filed: {
    from: 'response_time_complaint c', at: 'c.submitted_at', where: 'true', unit: 'c.first_unit_id',
    measures: [
      ['f', '0', '1'], ['pms', '0', 'c.paused_ms'], ['fw', '0', 'c.forwards + c.returns'], ['esc', '0', 'c.escalations'],
      ['eh', hourBucket('c.first_response_ms'), flag('c.first_response_ms IS NOT NULL')],
      ['ed', 'coalesce(c.first_response_working_days, 0)', flag('c.first_response_working_days IS NOT NULL')],
    ],
  },
  resolved: {
    from: 'response_time_complaint c', at: 'c.resolved_at', where: 'c.resolved_at IS NOT NULL', unit: 'c.resolved_by_unit_id',
    measures: [
      ['r', '0', '1'], ['rmet', '0', flag('c.resolution_met IS TRUE')], ['rlate', '0', flag('c.resolution_met IS FALSE')], ['reo', '0', flag('c.reopens > 0')],
      ['sat', '0', 'c.satisfied_verdicts'], ['unsat', '0', 'c.unsatisfied_verdicts'], ['rsum', '0', 'c.rating_sum'], ['rcnt', '0', 'c.rating_count'],
      ['rh', hourBucket('c.resolution_ms'), flag('c.resolution_ms IS NOT NULL')],
      ['rd', 'coalesce(c.resolution_working_days, 0)', flag('c.resolution_working_days IS NOT NULL')],
    ],
  },
};

/** GROUPING(u, c, l, k) of each grouping set. */
const SETS: Record<Grain, { set: string; mask: number; key: string }> = {
  unit: { set: '(u)', mask: 0b0111, key: 'u' },
  category: { set: '(c)', mask: 0b1011, key: 'c' },
  kelurahan: { set: '(l)', mask: 0b1101, key: 'l' },
  kecamatan: { set: '(k)', mask: 0b1110, key: 'k' },
  tenant: { set: '()', mask: 0b1111, key: 'tenant_code' },
  unit_category: { set: '(u, c)', mask: 0b0011, key: `u || ' ' || c` },
};

/**
 * The contributions of a part's rows, per tenant, UTC day, grain, key, measure and bucket:
 * `(tenant_code, day, grain, key, measure, bucket, v)`. `where` filters the part's rows (its alias
 * is `a` for stays, `c` for complaints); without `byDay`, over the whole selection (day NULL).
 */
export function contributionSql(part: RollupPart, where: string, grains: readonly Grain[], byDay = true): string {
  const p = PARTS[part];
  const alias = part === 'stay' ? 'a' : 'c';
  const grouping = `GROUPING(u, c, l, k)`;
  const single = grains.length === 1 ? grains[0] : null;
  const grain = single ? `'${single}'` : `CASE ${grains.map((g) => `WHEN ${grouping} = ${SETS[g].mask} THEN '${g}'`).join(' ')} END`;
  const key = single ? SETS[single].key : `CASE ${grains.map((g) => `WHEN ${grouping} = ${SETS[g].mask} THEN ${SETS[g].key}`).join(' ')} END`;
  const sets = single ? `${SETS[single].set.slice(1, -1) || 'tenant_code'}` : `GROUPING SETS (${grains.map((g) => SETS[g].set).join(', ')})`;
  const having = single
    ? (single === 'unit' || single === 'unit_category' ? 'u IS NOT NULL' : 'true')
    : grains.map((g) => `(${grouping} = ${SETS[g].mask}${g === 'unit' || g === 'unit_category' ? ' AND u IS NOT NULL' : ''})`).join(' OR ');
  return `SELECT tenant_code, day, ${grain} AS grain, ${key} AS key, measure, bucket, sum(v) AS v
            FROM (SELECT ${alias}.tenant_code, ${byDay ? `(${p.at} AT TIME ZONE 'UTC')::date` : 'NULL::date'} AS day, ${p.unit}::text AS u,
                         ${alias}.category_code AS c, ${alias}.kelurahan_code AS l, ${alias}.kecamatan_code AS k, m.measure, m.bucket, m.v
                    FROM ${p.from}
                   CROSS JOIN LATERAL (VALUES ${p.measures.map(([name, bucket, value]) => `('${name}', (${bucket})::int, (${value})::bigint)`).join(', ')}) m(measure, bucket, v)
                   WHERE ${p.where} AND (${where}) AND m.v <> 0) x
           GROUP BY tenant_code, day, measure, bucket, ${sets}
          HAVING ${having}`;
}

/** Adds `b` into `a` (times `sign`), dropping what sums to zero. */
export function addFigures(a: Figures, b: Figures, sign = 1): Figures {
  for (const [k, v] of Object.entries(b)) {
    const sum = (a[k] ?? 0) + sign * v;
    if (sum === 0) delete a[k];
    else a[k] = sum;
  }
  return a;
}

export interface Contribution {
  tenant_code: string;
  day: string;
  grain: Grain;
  key: string;
  measure: string;
  bucket: number;
  v: string;
}

/** The contributions of some complaints' rows, every part and grain. */
export async function contributionsOf(m: EntityManager, ids: readonly string[]): Promise<Contribution[]> {
  const parts = (['stay', 'filed', 'resolved'] as const).map((p) => contributionSql(p, `${p === 'stay' ? 'a' : 'c'}.complaint_id = ANY($1::uuid[])`, GRAINS));
  return m.query(`SELECT tenant_code, to_char(day, 'YYYY-MM-DD') AS day, grain, key, measure, bucket, v FROM (${parts.join(' UNION ALL ')}) x`, [ids]);
}

const monthOf = (day: string) => `${day.slice(0, 8)}01`;
const quarterOf = (day: string) => `${day.slice(0, 5)}${String(Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;

/** The rollup's levels: the cell a UTC day's contributions are added to at each (day, month, quarter, year). */
export function cellsOf(day: string): [level: 'd' | 'm' | 'q' | 'y', slice: string][] {
  return [['d', day], ['m', monthOf(day)], ['q', quarterOf(day)], ['y', `${day.slice(0, 5)}01-01`]];
}

/**
 * Moves the rollup by the difference between some complaints' rows before and after a recount:
 * the rollup stays the sum of the rows, whatever they held before.
 */
export async function applyRollupDelta(m: EntityManager, before: readonly Contribution[], after: readonly Contribution[]): Promise<void> {
  const deltas = new Map<string, { tenant: string; grain: string; level: string; slice: string; key: string; figures: Figures }>();
  const add = (rows: readonly Contribution[], sign: number) => {
    for (const r of rows) {
      for (const [level, slice] of cellsOf(r.day)) {
        const id = `${r.tenant_code}\u0000${r.grain}\u0000${level}\u0000${slice}\u0000${r.key}`;
        let d = deltas.get(id);
        if (!d) deltas.set(id, (d = { tenant: r.tenant_code, grain: r.grain, level, slice, key: r.key, figures: {} }));
        addFigures(d.figures, { [`${r.measure}:${r.bucket}`]: Number(r.v) }, sign);
      }
    }
  };
  add(before, -1);
  add(after, 1);
  const changed = [...deltas.values()].filter((d) => Object.keys(d.figures).length > 0);
  if (changed.length === 0) return;
  const cols = [changed.map((d) => d.tenant), changed.map((d) => d.grain), changed.map((d) => d.level), changed.map((d) => d.slice), changed.map((d) => d.key)];
  const held: { tenant_code: string; grain: string; level: string; slice: string; key: string; figures: string }[] = await m.query(
    `SELECT r.tenant_code, r.grain, r.level, to_char(r.slice, 'YYYY-MM-DD') AS slice, r.key, r.figures
       FROM response_time_rollup r
       JOIN unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[]) k(tenant_code, grain, level, slice, key)
         ON (r.tenant_code, r.grain, r.level, r.slice, r.key) = (k.tenant_code, k.grain, k.level, k.slice, k.key)
        FOR UPDATE OF r`,
    cols,
  );
  const current = new Map(held.map((h) => [`${h.tenant_code}\u0000${h.grain}\u0000${h.level}\u0000${h.slice}\u0000${h.key}`, decodeFigures(h.figures)]));
  const upsert: (typeof changed)[number][] = [];
  const gone: (typeof changed)[number][] = [];
  for (const [id, d] of deltas) {
    if (Object.keys(d.figures).length === 0) continue;
    const figures = addFigures(current.get(id) ?? {}, d.figures);
    (Object.keys(figures).length === 0 ? gone : upsert).push({ ...d, figures });
  }
  const keyCols = (rows: typeof changed) => [rows.map((d) => d.tenant), rows.map((d) => d.grain), rows.map((d) => d.level), rows.map((d) => d.slice), rows.map((d) => d.key)];
  if (upsert.length > 0) {
    await m.query(
      `INSERT INTO response_time_rollup (tenant_code, grain, level, slice, key, figures)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[])
       ON CONFLICT (tenant_code, grain, level, slice, key) DO UPDATE SET figures = EXCLUDED.figures`,
      [...keyCols(upsert), upsert.map((d) => encodeFigures(d.figures))],
    );
  }
  if (gone.length > 0) {
    await m.query(
      `DELETE FROM response_time_rollup r USING unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[]) k(tenant_code, grain, level, slice, key)
        WHERE (r.tenant_code, r.grain, r.level, r.slice, r.key) = (k.tenant_code, k.grain, k.level, k.slice, k.key)`,
      keyCols(gone),
    );
  }
}

/**
 * Empties the rollup and adds up every row again, per day, month, quarter and year, in one statement; in key
 * order, so that a period's cells of one grouping lie on few pages.
 */
export async function fillRollup(m: EntityManager): Promise<number> {
  await m.query(`DELETE FROM response_time_rollup`);
  await m.query(`SET LOCAL work_mem = '256MB'`);
  const parts = (['stay', 'filed', 'resolved'] as const).map((p) => contributionSql(p, 'true', GRAINS));
  const [{ n }]: { n: number }[] = await m.query(
    `WITH d AS MATERIALIZED (${parts.join(' UNION ALL ')}),
          lv AS (SELECT tenant_code, 'd' AS level, day AS slice, grain, key, measure, bucket, v FROM d
                 UNION ALL
                 SELECT tenant_code, 'm', date_trunc('month', day)::date, grain, key, measure, bucket, sum(v) FROM d GROUP BY 1, 3, 4, 5, 6, 7
                 UNION ALL
                 SELECT tenant_code, 'q', date_trunc('quarter', day)::date, grain, key, measure, bucket, sum(v) FROM d GROUP BY 1, 3, 4, 5, 6, 7
                 UNION ALL
                 SELECT tenant_code, 'y', date_trunc('year', day)::date, grain, key, measure, bucket, sum(v) FROM d GROUP BY 1, 3, 4, 5, 6, 7),
          ms AS (SELECT tenant_code, grain, level, slice, key, measure, string_agg(bucket || ',' || v, ',') AS pairs FROM lv GROUP BY 1, 2, 3, 4, 5, 6),
          ins AS (INSERT INTO response_time_rollup (tenant_code, grain, level, slice, key, figures)
                  SELECT tenant_code, grain, level, slice, key, '{' || string_agg('"' || measure || '":[' || pairs || ']', ',') || '}'
                    FROM ms GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
  );
  return n;
}

/** The middle of an hours bucket (`response_time_hour_bucket`), in ms: a minute wide below 64 minutes, 32 to an octave above. */
export function hourBucketMiddleMs(bucket: number): number {
  if (bucket < 64) return (bucket + 0.5) * 60_000;
  const octave = 6 + Math.floor((bucket - 64) / 32);
  const width = 2 ** (octave - 5);
  return (2 ** octave + ((bucket - 64) % 32) * width + width / 2) * 60_000;
}

/**
 * percentile_cont at each of `ps` over a histogram (`counts[bucket]`): each value stands for its
 * bucket — whole hari kerja exactly, hours as the middle of their bucket (`middle`). One pass.
 */
export function histogramPercentiles(counts: readonly (number | undefined)[] | undefined, middle: ((bucket: number) => number) | null, ps: readonly number[]): (number | null)[] {
  let total = 0;
  for (const n of counts ?? []) total += n ?? 0;
  if (!counts || total <= 0) return ps.map(() => null);
  // Ranks wanted, ascending, with where each answer goes: the two values each interpolates between.
  const wanted = ps.flatMap((p, i) => {
    const pos = p * (total - 1);
    return [{ rank: Math.floor(pos), i, lo: true, pos }, { rank: Math.ceil(pos), i, lo: false, pos }];
  }).sort((x, y) => x.rank - y.rank);
  const low: number[] = [];
  const high: number[] = [];
  let seen = 0;
  let w = 0;
  for (let b = 0; b < counts.length && w < wanted.length; b++) {
    const n = counts[b];
    if (!n) continue;
    seen += n;
    while (w < wanted.length && wanted[w].rank < seen) {
      (wanted[w].lo ? low : high)[wanted[w].i] = middle ? middle(b) : b;
      w++;
    }
  }
  return ps.map((p, i) => {
    const pos = p * (total - 1);
    return low[i] + (pos - Math.floor(pos)) * (high[i] - low[i]);
  });
}
