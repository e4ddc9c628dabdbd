import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { cpuBetween, cpuSnapshot } from './cpu';
import { seedScale, HOT_UNIT } from './seed-scale';
import { rebuildReadModelIfBehind } from './seed-response-times';
import { RawHttpClient } from './raw-http';
import { percentile, progress, ratio, round, sleep } from './stats';

/** The kelurahan of HOT_UNIT, the unit whose inbox the console reads measure. */
const HOT_KELURAHAN = '36.73.01.1001';

/** The bootstrap admin the bench signs in as (a fresh one when it reuses a database: see main.ts). */
export function benchAdminUsername(): string {
  return process.env.ADMIN_USERNAME ?? 'admin';
}

async function notifyRelay(pool: Pool): Promise<void> {
  await pool.query(`SELECT pg_notify('outbox_message', '')`);
}

/** Waits until `count()` reaches `target`; returns the seconds it took, or null on timeout. */
async function timeUntil(count: () => Promise<number>, target: number, timeoutMs: number): Promise<{ seconds: number | null; reached: number }> {
  const started = Date.now();
  let reached = 0;
  while (Date.now() - started < timeoutMs) {
    reached = await count();
    if (reached >= target) return { seconds: (Date.now() - started) / 1000, reached };
    await sleep(100);
  }
  return { seconds: null, reached };
}

/**
 * Routing decisions per second: `n` complaints are written straight into PostgreSQL as submitted,
 * each with its `routing.route-complaint` outbox row (what intake writes), then the clock runs
 * until every one has its routing decision in the audit trail. Dispatch to the tier queues runs
 * at the same time, as it does in production.
 */
export async function routingThroughput(pool: Pool, n: number, timeoutMs: number): Promise<Record<string, unknown>> {
  // Tracking numbers must match the real pattern (ADN-dddddd-XXXXXX) or every read of them is a 404.
  const tag = String(Date.now()).slice(-6);
  await pool.query(
    `WITH ids AS (SELECT gen_random_uuid() AS id, i FROM generate_series(1, $1) i),
     c AS (INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code,
             description, anonymous, confidential, status, channel, submitted_at, updated_at)
           SELECT id, 'ADN-' || $2 || '-' || lpad(upper(to_hex(i)), 6, '0'), 'x', '36.73', 'SAMPAH', $3, '36.73.01',
             'Bench: sampah menumpuk di pinggir jalan.', true, true, 'submitted', 'web', now(), now() FROM ids)
     INSERT INTO outbox_message (id, job_name, payload) SELECT gen_random_uuid(), 'routing.route-complaint', json_build_object('complaintId', id) FROM ids`,
    [n, tag, HOT_KELURAHAN],
  );
  await notifyRelay(pool);
  const routed = await timeUntil(
    async () =>
      (await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id
          WHERE c.tracking_number LIKE $1 AND a.event = 'complaint.routed'`,
        [`ADN-${tag}-%`],
      )).rows[0].n,
    n,
    timeoutMs,
  );
  return { complaints: n, routed: routed.reached, seconds: round(routed.seconds ?? Number.NaN, 2), decisions_per_s: routed.seconds ? round(n / routed.seconds) : null };
}

/**
 * Escalation throughput: `n` complaints sit in a lurah's inbox with their first-response deadline
 * just passed and their timer due now (as the relay would publish it); the clock runs until every
 * one is escalated to the camat with its breach recorded.
 */
export async function escalationThroughput(pool: Pool, n: number, timeoutMs: number): Promise<Record<string, unknown>> {
  const tag = String(Date.now() + 1).slice(-6);
  await pool.query(
    `WITH unit AS (SELECT id FROM unit WHERE code = $3),
     ids AS (SELECT gen_random_uuid() AS id, gen_random_uuid() AS assignment_id, i FROM generate_series(1, $1) i),
     c AS (INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code,
             description, anonymous, confidential, status, channel, current_unit_id, current_tier, assigned_at, submitted_at, due_at, updated_at)
           SELECT ids.id, 'ADN-' || $2 || '-' || lpad(upper(to_hex(i)), 6, '0'), 'x', '36.73', 'SAMPAH', $4, '36.73.01',
             'Bench: tidak ditanggapi tepat waktu.', true, true, 'routed', 'web', unit.id, 'lurah', now() - interval '4 days', now() - interval '4 days', now() - interval '1 second', now()
             FROM ids, unit),
     a AS (INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, via)
           SELECT assignment_id, ids.id, unit.id, 'lurah', gen_random_uuid(), now() - interval '4 days', now() - interval '1 second', 'routed' FROM ids, unit)
     INSERT INTO outbox_message (id, job_name, payload, job_id, deliver_at)
       SELECT gen_random_uuid(), 'sla.first-response-due', json_build_object('assignmentId', assignment_id), 'frd-' || assignment_id, now() FROM ids`,
    [n, tag, HOT_UNIT, HOT_KELURAHAN],
  );
  await notifyRelay(pool);
  const escalated = await timeUntil(
    async () =>
      (await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sla_breach b JOIN complaint c ON c.id = b.complaint_id WHERE c.tracking_number LIKE $1 AND b.escalated_to_unit_id IS NOT NULL`,
        [`ADN-${tag}-%`],
      )).rows[0].n,
    n,
    timeoutMs,
  );
  return { timers: n, escalated: escalated.reached, seconds: round(escalated.seconds ?? Number.NaN, 2), escalations_per_s: escalated.seconds ? round(n / escalated.seconds) : null };
}

async function json(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/** A lurah of the hot unit, created through the admin API and signed in. */
export async function hotUnitToken(baseUrl: string, adminPassword: string): Promise<string> {
  const headers = { 'content-type': 'application/json' };
  const admin = await json(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username: benchAdminUsername(), password: adminPassword }) });
  if (admin.status !== 200) throw new Error(`bench admin login failed: ${admin.status}`);
  const username = `bench.lurah.${Date.now().toString(36)}`;
  const password = 'kata sandi pengukuran yang panjang';
  const created = await json(`${baseUrl}/api/v1/admin/officials`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${String(admin.body.access_token)}` },
    body: JSON.stringify({ username, name: 'Lurah Bench', password, unit: HOT_UNIT, roles: ['handler'] }),
  });
  if (created.status !== 201) throw new Error(`bench official creation failed: ${created.status}`);
  const login = await json(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username, password }) });
  if (login.status !== 200) throw new Error(`bench lurah login failed: ${login.status}`);
  return String(login.body.access_token);
}

/** The server processes of this database's connections (the machine's PostgreSQL serves others too). */
async function backendPids(pool: Pool): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  return rows.map((r) => r.pid);
}

/**
 * A read load with the CPU time spent per answered request (ms) by the api, by PostgreSQL's
 * backends of this database and by the load generator: what a request costs, which latency on a
 * shared machine does not say.
 */
async function withCpu(children: Record<string, number | undefined>, pool: Pool, load: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const pgBefore = await backendPids(pool);
  const before = cpuSnapshot(children);
  const result = await load();
  const after = cpuSnapshot(children);
  const pids = new Set([...pgBefore, ...(await backendPids(pool))]);
  const shares = cpuBetween(before, after);
  const perS = Number(result.requests_per_s);
  if (!before || !after || !shares || !(perS > 0)) return result;
  const seconds = (after.atMs - before.atMs) / 1000;
  let pgMs = 0;
  for (const pid of pids) pgMs += (after.processes.get(pid)?.ms ?? 0) - (before.processes.get(pid)?.ms ?? 0);
  // A share of one core over the phase is ms of CPU per second; divided by requests per second, ms per request.
  const perRequest = (group: string) => round(((shares[group] ?? 0) * 1000) / perS, 2);
  return {
    ...result,
    cpu_ms_per_request: { api: perRequest('api'), postgresql_this_database: round(pgMs / seconds / perS, 2), load_generator: perRequest('bench (load generator)') },
    machine_cores_busy: shares['machine (all cores)'],
  };
}

/** Closed-loop GETs over a list of paths for `seconds`; p50/p99 and rate. */
export function readLoad(baseUrl: string, paths: readonly string[], headers: Record<string, string>, seconds: number, connections: number, perConnectionRate?: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: baseUrl, connections, duration: seconds, timeout: 10, headers, requests: paths.map((path) => ({ method: 'GET', path })), ...(perConnectionRate ? { connectionRate: perConnectionRate } : {}) },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({
          requests_per_s: round(result.requests.average),
          p50_ms: round(result.latency.p50),
          p99_ms: round(result.latency.p99),
          non_2xx: result.non2xx,
          errors: result.errors,
        });
      },
    );
  });
}

/**
 * Bare node-postgres: `connections` clients each run `next()`'s statement for `seconds`, back to
 * back, or at most `perConnectionRate` a second each (the pacing of readLoad's paced phases).
 */
async function bareLoad(pool: Pool, seconds: number, connections: number, next: () => [string, unknown[]], perConnectionRate?: number): Promise<Record<string, unknown>> {
  const samples: number[] = [];
  const until = Date.now() + seconds * 1000;
  const gapMs = perConnectionRate ? 1000 / perConnectionRate : 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < until) {
          const [sql, params] = next();
          const started = performance.now();
          await client.query(sql, params);
          const took = performance.now() - started;
          samples.push(took);
          if (gapMs > took) await new Promise((r) => setTimeout(r, gapMs - took));
        }
      } finally {
        client.release();
      }
    }),
  );
  return { requests_per_s: round(samples.length / seconds), p50_ms: round(percentile(samples, 50), 2), p99_ms: round(percentile(samples, 99), 2) };
}

/**
 * `officials` people paging on their own: each has its own keep-alive connection and asks a page
 * every 1/`perOfficialRate` s, starting at its own random moment within that period, so their
 * requests meet only by chance (autocannon's `connectionRate` starts all of them on the same
 * tick: every tick a burst). A page that could not start on time because the official's previous
 * one was still running counts from when it was due (no coordinated omission); otherwise from
 * when it was sent, so the load generator's timer lateness is not counted against the api.
 */
async function staggeredLoad(baseUrl: string, paths: readonly string[], headers: Record<string, string>, seconds: number, officials: number, perOfficialRate: number): Promise<Record<string, unknown>> {
  const url = new URL(baseUrl);
  const requests = paths.map((path) => RawHttpClient.get(url.host, path, headers));
  const periodMs = 1000 / perOfficialRate;
  const samples: number[] = [];
  let failed = 0;
  const clients = Array.from({ length: officials }, () => new RawHttpClient(url.hostname, Number(url.port), { maxConnections: 1, timeoutMs: 10_000 }));
  try {
    // Each connection opened and used once before the clock starts, as autocannon's are.
    await Promise.all(clients.map((client) => client.send(requests[0])));
    const offsets = clients.map(() => Math.random() * periodMs);
    const start = performance.now() + 20;
    const end = start + seconds * 1000;
    await Promise.all(
      clients.map(async (client, i) => {
        for (let k = 0; start + offsets[i] + k * periodMs < end; k += 1) {
          const due = start + offsets[i] + k * periodMs;
          const late = performance.now() >= due;
          if (!late) await sleep(due - performance.now());
          const sent = late ? due : performance.now();
          const res = await client.send(requests[(i + k) % requests.length]);
          if (res.ok && res.status === 200) samples.push(performance.now() - sent);
          else failed += 1;
        }
      }),
    );
    return {
      requests_per_s: round(samples.length / seconds),
      p50_ms: round(percentile(samples, 50), 2),
      p99_ms: round(percentile(samples, 99), 2),
      max_ms: round(Math.max(...samples), 2),
      failed,
      start_offsets_ms: offsets.map((o) => Math.round(o)).sort((a, b) => a - b),
    };
  } finally {
    for (const client of clients) client.close();
  }
}

/** GETs `path` as the lurah and answers the JSON body. */
async function inboxBody(baseUrl: string, path: string, headers: Record<string, string>): Promise<{ next_cursor: string | null; items: unknown[] }> {
  const res = await fetch(`${baseUrl}${path}`, { headers });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as { next_cursor: string | null; items: unknown[] };
}

/** Inbox page (a few kinds) p99 under this is issue 25's target; the bench reports it, never asserts it. */
const INBOX_P99_TARGET_MS = 20;
/** Paced phases: each of 10 officials asks a page this often (a brisk person; ten times that). */
const OFFICIAL_PAGES_PER_S = [2, 20];

/** The baseline: a bare indexed SELECT of 50 rows, from a random point of the last 300 days. */
function bareSelect(): [string, unknown[]] {
  return [
    `SELECT id, tracking_number, status, due_at, submitted_at FROM complaint WHERE tenant_code = '36.73' AND submitted_at > $1 ORDER BY submitted_at LIMIT 50`,
    [new Date(Date.now() - Math.random() * 300 * 86_400_000)],
  ];
}

/**
 * The console's hot reads on the scale seed (bench/seed-scale.ts: 1,000,000 complaints, 20,000+
 * open in one lurah's inbox), each beside a bare indexed SELECT of 50 rows measured in the same
 * run from this process (node-postgres, the same 10 connections): inbox pages of 50 (first,
 * second and 201st by cursor, page 50 by number, and filtered by status, category, overdue and
 * all three), the badge's summary, and a complaint page. 10 concurrent officials throughout.
 */
export async function consoleReads(
  pool: Pool,
  databaseUrl: string,
  baseUrl: string,
  adminPassword: string,
  seconds: number,
  children: Record<string, number | undefined>,
): Promise<Record<string, unknown>> {
  const target = Number(process.env.BENCH_SCALE_COMPLAINTS ?? 1_000_000);
  progress(`seed:scale for the console reads: ${target} complaints, 20,000 open in ${HOT_UNIT} (bulk SQL, not measured)`);
  const seeded = await seedScale(pool, databaseUrl, target, 20_000);
  await rebuildReadModelIfBehind(pool, databaseUrl);
  progress(`  ${seeded.complaints} complaints, ${seeded.hotOpen} open in ${HOT_UNIT}`);
  const token = await hotUnitToken(baseUrl, adminPassword);
  const headers = { authorization: `Bearer ${token}` };

  const first = await inboxBody(baseUrl, '/api/v1/inbox?page_size=50', headers);
  let deep: string | null = null;
  for (let page = 0; page < 50; page += 1) deep = (await inboxBody(baseUrl, `/api/v1/inbox?page_size=200${deep ? `&cursor=${deep}` : ''}`, headers)).next_cursor;
  if (!first.next_cursor || !deep) throw new Error('the hot inbox has fewer than 10,050 complaints');
  // The page after row 10,000 by cursor: a cursor carries its page number, of the size it was made with.
  const deepPage = await inboxBody(baseUrl, `/api/v1/inbox?page_size=50&cursor=${deep}`, headers);
  const inboxPaths = [
    '/api/v1/inbox?page_size=50',
    `/api/v1/inbox?page_size=50&cursor=${first.next_cursor}`,
    `/api/v1/inbox?page_size=50&cursor=${deepPage.next_cursor ?? deep}`,
    '/api/v1/inbox?page_size=50&page=50',
    '/api/v1/inbox?page_size=50&status=routed',
    '/api/v1/inbox?page_size=50&category=PUNGLI',
    '/api/v1/inbox?page_size=50&overdue=true',
    '/api/v1/inbox?page_size=50&overdue=false&category=SAMPAH&status=in_progress',
  ];

  progress(`console: bare indexed SELECT of 50 rows (node-postgres, 10 connections) for ${seconds} s`);
  const barePool = new Pool({ connectionString: databaseUrl, max: 10, application_name: 'aduan-bench-bare-select' });
  const bare = await bareLoad(barePool, seconds, 10, bareSelect).finally(() => barePool.end());
  progress(`  p50 ${String(bare.p50_ms)} ms p99 ${String(bare.p99_ms)} ms, ${String(bare.requests_per_s)}/s`);
  progress(`console: inbox pages of 50 (${inboxPaths.length} kinds) for ${seconds} s, 10 connections`);
  const inbox = await withCpu(children, pool, () => readLoad(baseUrl, inboxPaths, headers, seconds, 10));
  progress(`  p50 ${String(inbox.p50_ms)} ms p99 ${String(inbox.p99_ms)} ms, ${String(inbox.requests_per_s)}/s; CPU ms per request ${JSON.stringify(inbox.cpu_ms_per_request)}`);
  // The closed loop above is 10 clients that never pause: it saturates two cores, so its p99 is queueing.
  // Officials page at a person's pace; these phases pace each of the 10 and measure service time.
  const paced: Record<string, unknown>[] = [];
  for (const rate of OFFICIAL_PAGES_PER_S) {
    progress(`console: inbox pages and bare SELECTs, 10 officials at ${rate} pages/s each, ${seconds} s each`);
    const pagedInbox = await readLoad(baseUrl, inboxPaths, headers, seconds, 10, rate);
    const pacedPool = new Pool({ connectionString: databaseUrl, max: 10, application_name: 'aduan-bench-bare-select' });
    const pagedBare = await bareLoad(pacedPool, seconds, 10, bareSelect, rate).finally(() => pacedPool.end());
    progress(`  inbox p50 ${String(pagedInbox.p50_ms)} ms p99 ${String(pagedInbox.p99_ms)} ms (${String(pagedInbox.requests_per_s)}/s); bare p50 ${String(pagedBare.p50_ms)} ms p99 ${String(pagedBare.p99_ms)} ms`);
    // The same officials each starting at their own moment, as independent people would.
    const staggered = await staggeredLoad(baseUrl, inboxPaths, headers, seconds, 10, rate);
    progress(`  not synchronised: inbox p50 ${String(staggered.p50_ms)} ms p99 ${String(staggered.p99_ms)} ms (${String(staggered.requests_per_s)}/s)`);
    paced.push({
      pages_per_s_per_official: rate,
      inbox_page_of_50: pagedInbox,
      inbox_page_of_50_not_synchronised: staggered,
      inbox_not_synchronised_p99_under_20ms: Number(staggered.p99_ms) < INBOX_P99_TARGET_MS,
      bare_indexed_select_50_rows: pagedBare,
      inbox_p99_under_20ms: Number(pagedInbox.p99_ms) < INBOX_P99_TARGET_MS,
      ratio_p99_to_bare: ratio(Number(pagedInbox.p99_ms), Number(pagedBare.p99_ms)),
    });
  }
  // Each kind alone, briefly: which of them sets the p99 above.
  const byKind: Record<string, unknown> = {};
  for (const path of inboxPaths) {
    const kind = path.replace('/api/v1/inbox?page_size=50', '').replace(/cursor=[^&]+/, path === inboxPaths[1] ? 'cursor=(page 2)' : 'cursor=(page 202)') || 'page 1';
    const one = await readLoad(baseUrl, [path], headers, Math.max(2, Math.round(seconds / 4)), 10);
    byKind[kind] = { p50_ms: one.p50_ms, p99_ms: one.p99_ms, requests_per_s: one.requests_per_s };
    progress(`  ${kind}: p50 ${String(one.p50_ms)} ms p99 ${String(one.p99_ms)} ms`);
  }
  progress(`console: inbox summary (the badge) for ${seconds} s`);
  const summary = await withCpu(children, pool, () => readLoad(baseUrl, ['/api/v1/inbox/summary'], headers, seconds, 10));
  progress(`  p50 ${String(summary.p50_ms)} ms p99 ${String(summary.p99_ms)} ms; CPU ms per request ${JSON.stringify(summary.cpu_ms_per_request)}`);
  const { rows } = await pool.query<{ tracking_number: string }>(
    `SELECT c.tracking_number FROM complaint c JOIN unit u ON u.id = c.current_unit_id WHERE u.code = $1 AND c.status IN ('routed','in_progress','awaiting_info') ORDER BY random() LIMIT 200`,
    [HOT_UNIT],
  );
  progress(`console: complaint pages for ${seconds} s`);
  const page = await readLoad(baseUrl, rows.map((r) => `/api/v1/complaints/${r.tracking_number}`), headers, seconds, 10);
  progress(`  complaint page p50 ${String(page.p50_ms)} ms p99 ${String(page.p99_ms)} ms`);
  const vsBare = (x: Record<string, unknown>, key: 'p50_ms' | 'p99_ms') => ratio(Number(x[key]), Number(bare[key]));
  return {
    database_complaints: seeded.complaints,
    unit_open_complaints: seeded.hotOpen,
    bare_indexed_select_50_rows: bare,
    inbox_page_of_50: { ...inbox, kinds: inboxPaths.map((p) => p.replace(/cursor=[^&]+/, 'cursor=…')) },
    inbox_page_of_50_by_kind: byKind,
    inbox_summary: summary,
    complaint_page: page,
    ratios_to_bare_select: {
      inbox_p50: vsBare(inbox, 'p50_ms'),
      inbox_p99: vsBare(inbox, 'p99_ms'),
      summary_p50: vsBare(summary, 'p50_ms'),
      summary_p99: vsBare(summary, 'p99_ms'),
    },
    inbox_p99_under_20ms: Number(inbox.p99_ms) < INBOX_P99_TARGET_MS,
    inbox_at_officials_pace: paced,
    note: 'HTTP reads go through the api (Fastify, auth, JSON); the bare SELECT is node-postgres from the bench process, without HTTP',
  };
}

/** An admin's bearer token (the bootstrap admin of the bench system). */
async function adminToken(baseUrl: string, adminPassword: string): Promise<string> {
  const res = await json(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: benchAdminUsername(), password: adminPassword }) });
  if (res.status !== 200) throw new Error(`bench admin login failed: ${res.status}`);
  return String(res.body.access_token);
}

/** Closed-loop POSTs of one body for `seconds`; how many got `okStatus` per second, with latency. */
function postLoad(baseUrl: string, path: string, body: string, contentType: string, okStatus: number, seconds: number, connections: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    autocannon({ url: `${baseUrl}${path}`, method: 'POST', connections, duration: seconds, timeout: 10, headers: { 'content-type': contentType }, body }, (error, result) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      const ok = result.statusCodeStats?.[String(okStatus) as keyof typeof result.statusCodeStats]?.count ?? 0;
      resolve({ accepted_per_s: round(ok / seconds), p50_ms: round(result.latency.p50), p99_ms: round(result.latency.p99), non_2xx: result.non2xx, errors: result.errors });
    });
  });
}

/**
 * Issue 3's figures: complaints per second through Open311 `POST requests.json` (form-encoded,
 * with an API key), and the resident's tracking read (`GET` with `X-Access-Code`).
 */
export async function residentChannels(baseUrl: string, adminPassword: string, seconds: number): Promise<Record<string, unknown>> {
  const token = await adminToken(baseUrl, adminPassword);
  const key = await json(`${baseUrl}/api/v1/admin/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'bench open311 client' }),
  });
  if (key.status !== 201) throw new Error(`bench api key failed: ${key.status}`);
  const form = new URLSearchParams({
    jurisdiction_id: 'serangkota.go.id',
    api_key: String(key.body.api_key),
    service_code: 'SAMPAH',
    description: 'Sampah menumpuk di depan pasar sejak seminggu lalu, mohon diangkut.',
    'attribute[kelurahan]': HOT_KELURAHAN,
  }).toString();
  progress(`open311: POST requests.json for ${seconds} s`);
  const open311 = await postLoad(baseUrl, '/open311/v2/requests.json', form, 'application/x-www-form-urlencoded', 200, seconds, 20);
  const tracked: { path: string; code: string }[] = [];
  for (let i = 0; i < 50; i += 1) {
    const res = await json(`${baseUrl}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'SAMPAH', kelurahan: HOT_KELURAHAN, description: `Bench tracking read ${i}: lampu jalan mati.` }),
    });
    if (res.status === 201) tracked.push({ path: `/api/v1/complaints/${String(res.body.tracking_number)}`, code: String(res.body.access_code) });
  }
  progress(`tracking: GET with X-Access-Code for ${seconds} s`);
  const tracking = await new Promise<Record<string, unknown>>((resolve, reject) => {
    autocannon(
      { url: baseUrl, connections: 10, duration: seconds, timeout: 10, requests: tracked.map((t) => ({ method: 'GET', path: t.path, headers: { 'x-access-code': t.code } })) },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({ requests_per_s: round(result.requests.average), p50_ms: round(result.latency.p50), p99_ms: round(result.latency.p99), non_2xx: result.non2xx, errors: result.errors });
      },
    );
  });
  // What FixMyStreet's fetch-comments asks every few minutes: the last two hours of the key's updates
  // (here the routing of every complaint just filed, up to the cap of 1000).
  const now = Date.now();
  const window = new URLSearchParams({
    jurisdiction_id: 'serangkota.go.id',
    api_key: String(key.body.api_key),
    start_date: new Date(now - 2 * 3600_000).toISOString(),
    end_date: new Date(now + 3600_000).toISOString(),
  });
  progress(`open311: GET servicerequestupdates.xml (the key's last two hours) for ${seconds} s`);
  const updates = await readLoad(baseUrl, [`/open311/v2/servicerequestupdates.xml?${window}`], {}, seconds, 4);
  progress(`  open311 ${String(open311.accepted_per_s)}/s p99 ${String(open311.p99_ms)} ms; tracking p50 ${String(tracking.p50_ms)} ms p99 ${String(tracking.p99_ms)} ms; updates p50 ${String(updates.p50_ms)} ms`);
  return { open311_post_requests: open311, tracking_read: tracking, open311_updates_read: updates };
}

/** A Saturday about two weeks ahead, 'YYYY-MM-DD': a day off that moves no deadline when listed. */
function saturdayAhead(): string {
  const day = new Date(Date.now() + 14 * 86_400_000);
  day.setUTCDate(day.getUTCDate() + ((6 - day.getUTCDay() + 7) % 7));
  return day.toISOString().slice(0, 10);
}

/** Puts a national table and waits until the re-arm it starts is done; the sweep's own seconds and counts. */
async function reviseAndWait(pool: Pool, baseUrl: string, token: string, year: number, body: unknown, timeoutMs: number) {
  const { rows: [{ seq }] } = await pool.query<{ seq: string }>(`SELECT COALESCE(max(seq), 0)::text AS seq FROM holiday_revision`);
  const method = body === null ? 'DELETE' : 'PUT';
  const res = await fetch(`${baseUrl}/api/v1/admin/holidays/${year}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === null ? {} : { 'content-type': 'application/json' }) }, body: body === null ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} holidays/${year}: ${res.status} ${await res.text()}`);
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const { rows: [row] } = await pool.query<{ status: string; checked: number; moved: number; seconds: number | null }>(
      `SELECT rearm_status AS status, rearm_checked AS checked, rearm_moved AS moved,
              EXTRACT(epoch FROM rearm_finished_at - (SELECT min(o.deliver_at) FROM outbox_message o WHERE o.job_id = 'rearm-' || r.id))::float8 AS seconds
         FROM holiday_revision r WHERE seq > $1 ORDER BY seq LIMIT 1`,
      [seq],
    );
    if (row?.status === 'done') {
      return { checked: row.checked, moved: row.moved, seconds: round(row.seconds ?? Number.NaN, 2), deadlines_per_s: row.seconds ? round(row.checked / row.seconds) : null };
    }
    await sleep(200);
  }
  throw new Error(`the re-arm of holidays/${year} did not finish within ${timeoutMs} ms`);
}

/**
 * The re-arm after a holiday table changes, at scale: `n` complaints wait for a first response
 * (3 hari kerja, written with a deadline ten minutes off, as if counted on an older table). A
 * revision that adds a Saturday makes the sweep count every running deadline again and move all
 * `n` (a new time, an audit entry and two timers each); the revision that removes it counts them
 * again and moves none. Seconds are from the time the job is due (SLA_REARM_DELAY_SECONDS after
 * the change) to the sweep's end.
 */
export async function calendarRearm(pool: Pool, baseUrl: string, adminPassword: string, n: number, timeoutMs: number): Promise<Record<string, unknown>> {
  const tag = String(Date.now() + 2).slice(-6);
  await pool.query(
    `WITH unit AS (SELECT id FROM unit WHERE code = 'KEL.36.73.03.1001'),
     ids AS (SELECT gen_random_uuid() AS id, i FROM generate_series(1, $1) i),
     c AS (INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code,
             description, anonymous, confidential, status, channel, current_unit_id, current_tier, assigned_at, submitted_at, due_at, updated_at)
           SELECT ids.id, 'ADN-' || $2 || '-' || lpad(upper(to_hex(i)), 6, '0'), 'x', '36.73', 'SAMPAH', '36.73.03.1001', '36.73.03',
             'Bench: tenggat dihitung ulang.', true, true, 'routed', 'web', unit.id, 'lurah', now(), now(), now() + interval '10 minutes', now()
             FROM ids, unit)
     INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, first_response_working_days, via)
       SELECT gen_random_uuid(), ids.id, unit.id, 'lurah', gen_random_uuid(), now(), now() + interval '10 minutes', 3, 'routed' FROM ids, unit`,
    [n, tag],
  );
  await pool.query('ANALYZE complaint; ANALYZE assignment');
  const token = await adminToken(baseUrl, adminPassword);
  const day = saturdayAhead();
  const year = Number(day.slice(0, 4));
  const current = (await json(`${baseUrl}/api/v1/admin/holidays/${year}`, { headers: { authorization: `Bearer ${token}` } })).body as unknown as { date: string }[];
  progress(`calendar re-arm: ${n} waiting first responses, a revision of ${year} that moves them all, then one that moves none`);
  const movingAll = await reviseAndWait(pool, baseUrl, token, year, [...current, { date: day, kind: current.length ? 'cuti_bersama' : 'libur_nasional', name: 'Bench: hari Sabtu' }], timeoutMs);
  progress(`  ${String(movingAll.deadlines_per_s)} deadlines/s counted and moved`);
  const movingNone = await reviseAndWait(pool, baseUrl, token, year, current.length ? current : null, timeoutMs);
  progress(`  ${String(movingNone.deadlines_per_s)} deadlines/s counted, none moved`);
  return { waiting_first_responses: n, moving_all: movingAll, moving_none: movingNone };
}
