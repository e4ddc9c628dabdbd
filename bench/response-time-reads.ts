import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { benchAdminUsername } from './scenarios';
import { readModelBehind, rebuildReadModel } from './seed-response-times';
import { seedScale } from './seed-scale';
import { percentile, progress, ratio, round } from './stats';

/** The target of issue 22: every figure over a year of the biggest tenant, p99 under this. */
const P99_TARGET_MS = 300;
const CONNECTIONS = 2;

/** Closed loop: `connections` callers run `once()` back to back for `seconds` (at least `min` calls in all); p50/p99 by nearest rank. */
async function timed(seconds: number, connections: number, min: number, once: () => Promise<void>): Promise<{ n: number; p50_ms: number | null; p99_ms: number | null; max_ms: number | null }> {
  const samples: number[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until || samples.length < min) {
        const started = performance.now();
        await once();
        samples.push(performance.now() - started);
      }
    }),
  );
  return { n: samples.length, p50_ms: round(percentile(samples, 50), 1), p99_ms: round(percentile(samples, 99), 1), max_ms: round(Math.max(...samples), 1) };
}

async function post(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`POST ${url}: ${res.status}`);
  return json;
}

/**
 * Issue 22's figures on the scale seed (1,000,000 complaints with their histories, the read model
 * counted by `response-times-rebuild`): each response-time and breach read over the last year of
 * the biggest tenant, as its inspector, beside two baselines measured in the same run — a bare
 * indexed SELECT of 50 rows (node-postgres) and the same endpoint over one minute (the HTTP, auth
 * and query path without the data).
 */
export async function responseTimeReads(pool: Pool, databaseUrl: string, baseUrl: string, adminPassword: string, seconds: number): Promise<Record<string, unknown>> {
  const target = Number(process.env.BENCH_SCALE_COMPLAINTS ?? 1_000_000);
  progress(`response times: scale seed of ${target} complaints with histories (bulk SQL, not measured)`);
  const seeded = await seedScale(pool, databaseUrl, target, 20_000);
  let rebuild: Record<string, unknown> = { skipped: 'the read model already held every complaint' };
  if (process.env.BENCH_RESPONSE_TIMES_REBUILD === '0') {
    // For a database whose model was counted (or partly counted) by hand: measure what it holds.
    const { rows: [held] } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM response_time_complaint`);
    rebuild = { skipped: 'BENCH_RESPONSE_TIMES_REBUILD=0', read_model_complaints: held.n };
  } else if (await readModelBehind(pool)) {
    progress('response times: response-times-rebuild (measured)');
    const rebuilt = await rebuildReadModel(databaseUrl);
    rebuild = {
      seal_seconds: round(seeded.seal.seconds, 1), sealed: seeded.seal.summary,
      rebuild_seconds: round(rebuilt.rebuild_seconds, 1), complaints_per_s: round(seeded.complaints / rebuilt.rebuild_seconds, 0), summary: rebuilt.summary,
    };
    await pool.query('VACUUM ANALYZE response_time_assignment');
    await pool.query('VACUUM ANALYZE response_time_complaint');
    await pool.query('VACUUM ANALYZE response_time_rollup');
  }
  const { rows: [held] } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM response_time_complaint`);
  const { rows: [biggest] } = await pool.query<{ tenant_code: string; n: number; year: number; stays: number; breaches: number }>(
    `SELECT c.tenant_code, count(*)::int AS n, count(*) FILTER (WHERE c.submitted_at > now() - interval '365 days')::int AS year,
            (SELECT count(*)::int FROM response_time_assignment a WHERE a.tenant_code = c.tenant_code AND a.assigned_at > now() - interval '365 days') AS stays,
            (SELECT count(*)::int FROM sla_breach b WHERE b.tenant_code = c.tenant_code AND b.breached_at > now() - interval '365 days') AS breaches
       FROM response_time_complaint c GROUP BY c.tenant_code ORDER BY n DESC LIMIT 1`,
  );
  progress(`  biggest tenant ${biggest.tenant_code}: ${biggest.year} complaints, ${biggest.stays} stays, ${biggest.breaches} breaches in the last year`);
  const admin = await post(`${baseUrl}/api/v1/auth/login`, { username: benchAdminUsername(), password: adminPassword });
  const username = `bench.inspektur.${Date.now().toString(36)}`;
  const password = 'kata sandi pengukuran yang panjang';
  await post(`${baseUrl}/api/v1/admin/officials`, { username, name: 'Inspektur Bench', password, unit: `INSP.${biggest.tenant_code}`, roles: ['inspector'] }, String(admin.access_token));
  const token = String((await post(`${baseUrl}/api/v1/auth/login`, { username, password })).access_token);
  const { rows: [unit] } = await pool.query<{ code: string }>(
    `SELECT u.code FROM response_time_assignment a JOIN unit u ON u.id = a.unit_id WHERE a.tenant_code = $1 GROUP BY u.code ORDER BY count(*) DESC LIMIT 1`,
    [biggest.tenant_code],
  );

  const to = new Date();
  const year = `from=${encodeURIComponent(new Date(to.getTime() - 365 * 86_400_000).toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const minute = `from=${encodeURIComponent(new Date(to.getTime() - 60_000).toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const figures: Record<string, string> = {
    by_unit: `/api/v1/oversight/response-times?${year}&group_by=unit&limit=1000`,
    by_category: `/api/v1/oversight/response-times?${year}&group_by=category`,
    by_kecamatan: `/api/v1/oversight/response-times?${year}&group_by=kecamatan`,
    by_kelurahan: `/api/v1/oversight/response-times?${year}&group_by=kelurahan&limit=1000`,
    tenant: `/api/v1/oversight/response-times?${year}&group_by=tenant`,
    units_missing_most: `/api/v1/oversight/response-times?${year}&group_by=unit&sort=missed_first_response&limit=10`,
    unit_detail: `/api/v1/oversight/response-times/units/${unit.code}?${year}`,
    breaches_first_page: `/api/v1/oversight/breaches?${year}&limit=100`,
  };
  const get = async (path: string, accept = 'application/json') => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 200)}`);
    return body;
  };
  const per = Math.max(3, Math.round(seconds / 2));

  progress(`response times: baseline, bare indexed SELECT of 50 rows (node-postgres) for ${per} s`);
  const barePool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS, application_name: 'aduan-bench-bare-select' });
  const bare = await timed(per, CONNECTIONS, 20, async () => {
    await barePool.query(`SELECT id, tracking_number, status, due_at, submitted_at FROM complaint WHERE tenant_code = $1 AND submitted_at > $2 ORDER BY submitted_at LIMIT 50`, [
      biggest.tenant_code, new Date(Date.now() - Math.random() * 300 * 86_400_000),
    ]);
  }).finally(() => barePool.end());
  progress(`  p50 ${String(bare.p50_ms)} ms p99 ${String(bare.p99_ms)} ms`);
  progress(`response times: baseline, the same endpoint over one minute for ${per} s`);
  const empty = await timed(per, CONNECTIONS, 20, async () => void (await get(`/api/v1/oversight/response-times?${minute}&group_by=unit`)));
  progress(`  p50 ${String(empty.p50_ms)} ms p99 ${String(empty.p99_ms)} ms`);

  const loadBefore = loadavg().map((l) => round(l, 2));
  progress(`  load average ${loadBefore.join(' ')}`);
  const results: Record<string, unknown> = {};
  const under: Record<string, boolean> = {};
  for (const [name, path] of Object.entries(figures)) {
    await get(path);
    const r = await timed(per, CONNECTIONS, 10, async () => void (await get(path)));
    results[name] = { ...r, p99_vs_bare_select: ratio(Number(r.p99_ms), Number(bare.p99_ms)), p99_vs_one_minute: ratio(Number(r.p99_ms), Number(empty.p99_ms)) };
    under[name] = Number(r.p99_ms) < P99_TARGET_MS;
    progress(`  ${name}: p50 ${String(r.p50_ms)} ms p99 ${String(r.p99_ms)} ms (${r.n} calls, load ${loadavg()[0].toFixed(2)})`);
  }
  progress('response times: a year of breaches as CSV (streamed, every row)');
  const started = performance.now();
  const csv = await get(`/api/v1/oversight/breaches?${year}&format=csv`);
  const csvMs = performance.now() - started;
  const csvRows = csv.split('\r\n').length - 2;
  progress(`  ${csvRows} rows in ${csvMs.toFixed(0)} ms`);
  return {
    database_complaints: seeded.complaints,
    read_model_complaints: held.n,
    tenant: biggest.tenant_code,
    tenant_complaints: biggest.n,
    year: { complaints: biggest.year, stays: biggest.stays, breaches: biggest.breaches },
    rebuild,
    percentiles: 'percentile_cont over histograms from the rollup (whole UTC days) and the rows (the rest): exact in hari kerja; in hours each value stands for the middle of its bucket, at most 1/64 of the value (30 s below 64 minutes) from it',
    load_average: { before: loadBefore, after: loadavg().map((l) => round(l, 2)) },
    baselines: { bare_indexed_select_50_rows: bare, same_endpoint_one_minute: empty },
    figures: results,
    breaches_csv_year: { rows: csvRows, ms: round(csvMs, 0), rows_per_s: round(csvRows / (csvMs / 1000), 0) },
    p99_under_300ms: under,
    connections: CONNECTIONS,
    note: 'latencies are per HTTP call through the api (Fastify, auth, JSON), as the inspector of the biggest tenant',
  };
}
