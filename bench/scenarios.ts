import autocannon from 'autocannon';
import { Pool } from 'pg';
import { progress, round, sleep } from './stats';

/** Unit whose inbox the console reads measure, and the kelurahan its complaints are about. */
const HOT_UNIT = 'KEL.36.73.01.1001';
const HOT_KELURAHAN = '36.73.01.1001';

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
             description, anonymous, confidential, status, channel, current_unit_id, current_tier, submitted_at, due_at, updated_at)
           SELECT ids.id, 'ADN-' || $2 || '-' || lpad(upper(to_hex(i)), 6, '0'), 'x', '36.73', 'SAMPAH', $4, '36.73.01',
             'Bench: tidak ditanggapi tepat waktu.', true, true, 'routed', 'web', unit.id, 'lurah', now() - interval '4 days', now() - interval '1 second', now()
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

/**
 * Fills the database to at least `total` complaints, `hot` of them open in one lurah's inbox,
 * with their assignment and a short audit trail each (so a complaint page reads a real timeline).
 * Written by SQL in bulk: this is the data the reads run against, not something being measured.
 */
export async function fillForReads(pool: Pool, total: number, hot: number): Promise<{ complaints: number; hotOpen: number }> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaint`);
  const missing = Math.max(0, total - rows[0].n);
  const batch = 20_000;
  for (let done = 0; done < missing; done += batch) {
    const size = Math.min(batch, missing - done);
    const hotInBatch = Math.max(0, Math.min(size, hot - done));
    await pool.query(
      `WITH hot_unit AS (SELECT id FROM unit WHERE code = $4),
       other_unit AS (SELECT id FROM unit WHERE code = 'KEL.36.73.02.1001'),
       ids AS (SELECT gen_random_uuid() AS id, i, i <= $2 AS hot FROM generate_series(1, $1) i),
       c AS (INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code,
               description, anonymous, confidential, status, channel, current_unit_id, current_tier, submitted_at, due_at, updated_at)
             SELECT ids.id, 'ADN-' || $3 || '-' || lpad(upper(to_hex(i)), 6, '0'), 'x', '36.73', 'SAMPAH',
               CASE WHEN hot THEN $5 ELSE '36.73.02.1001' END, CASE WHEN hot THEN '36.73.01' ELSE '36.73.02' END,
               'Bench: data untuk pengukuran baca.', true, true,
               CASE WHEN hot THEN (ARRAY['routed','in_progress','awaiting_info'])[1 + i % 3] ELSE (ARRAY['closed','resolved','in_progress'])[1 + i % 3] END,
               'web', CASE WHEN hot THEN hot_unit.id ELSE other_unit.id END, 'lurah',
               now() - make_interval(mins => i % 20000), now() + make_interval(mins => (i * 7919) % 20000 - 2000), now()
               FROM ids, hot_unit, other_unit),
       a AS (INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, via)
             SELECT gen_random_uuid(), ids.id, CASE WHEN hot THEN hot_unit.id ELSE other_unit.id END, 'lurah', gen_random_uuid(),
               now() - make_interval(mins => i % 20000), now() + interval '3 days', 'routed' FROM ids, hot_unit, other_unit)
       INSERT INTO audit_entry (id, stream, seq, at, actor_type, event, data, channel, outcome, hash)
         SELECT gen_random_uuid(), 'complaint:' || ids.id, s, now(), 'system', (ARRAY['complaint.submitted','complaint.routed','complaint.assigned'])[s],
           json_build_object('unit_id', hot_unit.id), 'worker', 'success', md5(ids.id::text || s)
           FROM ids, hot_unit, generate_series(1, 3) s WHERE ids.hot`,
      [size, hotInBatch, `99${String(done / batch).padStart(4, '0')}`, HOT_UNIT, HOT_KELURAHAN],
    );
  }
  await pool.query('ANALYZE complaint; ANALYZE assignment; ANALYZE audit_entry');
  const counts = await pool.query<{ total: number; hot: number }>(
    `SELECT (SELECT count(*)::int FROM complaint) AS total,
            (SELECT count(*)::int FROM complaint c JOIN unit u ON u.id = c.current_unit_id
              WHERE u.code = $1 AND c.status IN ('submitted','routed','in_progress','awaiting_info')) AS hot`,
    [HOT_UNIT],
  );
  return { complaints: counts.rows[0].total, hotOpen: counts.rows[0].hot };
}

async function json(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/** A lurah of the hot unit, created through the admin API and signed in. */
export async function hotUnitToken(baseUrl: string, adminPassword: string): Promise<string> {
  const headers = { 'content-type': 'application/json' };
  const admin = await json(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers, body: JSON.stringify({ username: 'admin', password: adminPassword }) });
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

/** Closed-loop GETs over a list of paths for `seconds`; p50/p99 and rate. */
export function readLoad(baseUrl: string, paths: readonly string[], headers: Record<string, string>, seconds: number, connections: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: baseUrl, connections, duration: seconds, timeout: 10, headers, requests: paths.map((path) => ({ method: 'GET', path })) },
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

/** The console's hot reads, on a database of at least 100,000 complaints with 10,000 open in one inbox. */
export async function consoleReads(pool: Pool, baseUrl: string, adminPassword: string, seconds: number): Promise<Record<string, unknown>> {
  progress('filling the database for the console reads (bulk SQL, not measured)');
  const filled = await fillForReads(pool, 100_000, 10_000);
  progress(`  ${filled.complaints} complaints, ${filled.hotOpen} open in ${HOT_UNIT}`);
  const token = await hotUnitToken(baseUrl, adminPassword);
  const headers = { authorization: `Bearer ${token}` };
  const inboxPaths = [1, 2, 3, 10, 50].map((page) => `/api/v1/inbox?page_size=50&page=${page}`);
  progress(`console: inbox pages of 50 for ${seconds} s`);
  const inbox = await readLoad(baseUrl, inboxPaths, headers, seconds, 10);
  const { rows } = await pool.query<{ tracking_number: string }>(
    `SELECT c.tracking_number FROM complaint c JOIN unit u ON u.id = c.current_unit_id WHERE u.code = $1 AND c.status IN ('routed','in_progress','awaiting_info') ORDER BY random() LIMIT 200`,
    [HOT_UNIT],
  );
  progress(`console: complaint pages for ${seconds} s`);
  const page = await readLoad(baseUrl, rows.map((r) => `/api/v1/complaints/${r.tracking_number}`), headers, seconds, 10);
  progress(`  inbox p50 ${String(inbox.p50_ms)} ms p99 ${String(inbox.p99_ms)} ms; complaint page p50 ${String(page.p50_ms)} ms p99 ${String(page.p99_ms)} ms`);
  return { database_complaints: filled.complaints, unit_open_complaints: filled.hotOpen, inbox_page_of_50: inbox, complaint_page: page };
}

/** An admin's bearer token (the bootstrap admin of the bench system). */
async function adminToken(baseUrl: string, adminPassword: string): Promise<string> {
  const res = await json(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: adminPassword }) });
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
             description, anonymous, confidential, status, channel, current_unit_id, current_tier, submitted_at, due_at, updated_at)
           SELECT ids.id, 'ADN-' || $2 || '-' || lpad(upper(to_hex(i)), 6, '0'), 'x', '36.73', 'SAMPAH', '36.73.03.1001', '36.73.03',
             'Bench: tenggat dihitung ulang.', true, true, 'routed', 'web', unit.id, 'lurah', now(), now() + interval '10 minutes', now()
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
