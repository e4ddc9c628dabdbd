import { startOwnRedis, OwnRedis } from '../support/redis-server';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DrillSystem, expectSound, FULL, Gateway, LOG_DIR, prepareDatabase, REPORT_FILE, runDrill, SteadyLoad, terminateBackends, verdict } from './support/drill';

/**
 * Fault drills against the api and a worker as real processes (the built dist), on a Redis server
 * of this file's own and a database of its own on the shared PostgreSQL (the restart of
 * PostgreSQL itself is in postgres-restart.fault-spec.ts, on a cluster of its own). Each drill
 * submits at a steady rate, injects its fault mid-stream, waits for quiet and checks PostgreSQL.
 * `npm test` runs one drill per kind of fault; FAULTS=all (`npm run test:faults`) runs them all.
 */
jest.setTimeout(300_000);
const full = FULL ? it : it.skip;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault drills (own Redis, own database)', () => {
  let redis: OwnRedis;
  let db: ReturnType<typeof prepareDatabase>;
  const gateway = new Gateway();
  let system: DrillSystem;

  beforeAll(async () => {
    db = prepareDatabase('faults');
    redis = await startOwnRedis(['--maxmemory-policy', 'noeviction']);
    await gateway.start();
    system = new DrillSystem({ name: 'drills', db, redis, gateway });
    await system.startApi();
    await system.startWorker();
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
    await gateway.stop();
  }, 60_000);

  /** Back to one api and one running worker before the next drill. */
  afterEach(async () => {
    if (!system.api.alive) await system.startApi();
    for (const w of system.workers) w.signal('SIGCONT');
    system.workers = system.workers.filter((w) => w.alive);
    while (system.workers.length > 1) await system.workers.pop()!.stop();
    if (system.workers.length === 0) await system.startWorker();
  }, 60_000);

  it('kill -9 of the worker mid-stream; a new worker takes over', async () => {
    const v = await runDrill({
      name: 'kill -9 worker',
      system,
      url: db.admin,
      gateway,
      fault: async () => {
        system.workers[0].signal('SIGKILL');
        await system.workers[0].exited;
        await sleep(1000);
        await system.startWorker();
      },
    });
    // A send cut off between the gateway's answer and its record comes again (documented).
    expectSound(v, { allowNoticeRepeats: true });
  });

  it('Redis restart (stopped 3 s, empty when it comes back) mid-stream', async () => {
    const v = await runDrill({
      name: 'Redis restart',
      system,
      url: db.admin,
      gateway,
      seconds: 8,
      fault: async () => {
        await redis.stop();
        await sleep(3000);
        await redis.start();
      },
    });
    expectSound(v, { allowNoticeRepeats: true });
  });

  it('every PostgreSQL connection of the api and the worker terminated mid-stream', async () => {
    let terminated = 0;
    const v = await runDrill({
      name: 'terminate all PostgreSQL connections',
      system,
      url: db.admin,
      gateway,
      fault: async () => {
        terminated = await terminateBackends(db.admin);
      },
    });
    expect(terminated).toBeGreaterThanOrEqual(4);
    expect(system.api.alive && system.workers[0].alive).toBe(true);
    expectSound(v, { allowNoticeRepeats: true });
  });

  full.each(['aduan-api', 'aduan-worker', 'aduan-outbox-relay', 'aduan-outbox-listener', 'aduan-sla-policy-listener'])('the %s connections alone terminated mid-stream (full set only: npm run test:faults)', async (kind) => {
    let terminated = 0;
    const v = await runDrill({
      name: `terminate ${kind}`,
      system,
      url: db.admin,
      gateway,
      fault: async () => {
        terminated = await terminateBackends(db.admin, [kind]);
      },
    });
    expect(terminated).toBeGreaterThan(0);
    expect(system.api.alive && system.workers[0].alive).toBe(true);
    expectSound(v, { allowNoticeRepeats: true });
  });

  full('kill -9 of the api mid-stream; a 201 is stored, an unanswered request may or may not be (full set only: npm run test:faults)', async () => {
    const v = await runDrill({
      name: 'kill -9 api',
      system,
      url: db.admin,
      gateway,
      seconds: 8,
      fault: async () => {
        system.api.signal('SIGKILL');
        await system.api.exited;
        await sleep(1000);
        await system.startApi();
      },
    });
    expectSound(v, { allowNoticeRepeats: true });
  });

  full('Redis FLUSHALL mid-stream: the reconciler hands back what Redis lost (full set only: npm run test:faults)', async () => {
    const v = await runDrill({
      name: 'Redis FLUSHALL',
      system,
      url: db.admin,
      gateway,
      fault: async () => {
        const { Redis } = await import('ioredis');
        const c = new Redis(redis.url);
        await c.flushall();
        await c.quit();
      },
    });
    expectSound(v, { allowNoticeRepeats: true });
  });

  full('worker SIGSTOP for a minute, then SIGCONT (full set only: npm run test:faults)', async () => {
    const v = await runDrill({
      name: 'worker SIGSTOP 60 s',
      system,
      url: db.admin,
      gateway,
      seconds: 64,
      fault: async () => {
        system.workers[0].signal('SIGSTOP');
        await sleep(60_000);
        system.workers[0].signal('SIGCONT');
      },
    });
    expectSound(v, { allowNoticeRepeats: true });
  }, 360_000);

  full.each([2, 3])('%i workers at once, one killed mid-stream (full set only: npm run test:faults)', async (n) => {
    while (system.workers.length < n) await system.startWorker();
    const v = await runDrill({
      name: `${n} workers, one killed`,
      system,
      url: db.admin,
      gateway,
      fault: async () => {
        system.workers[0].signal('SIGKILL');
        await system.workers[0].exited;
      },
    });
    expectSound(v, { allowNoticeRepeats: true });
  });

  full('20 identical submissions with one Idempotency-Key: one complaint (full set only: npm run test:faults)', async () => {
    const key = `faults-idempotency-${Date.now()}-0123456789`;
    const body = JSON.stringify({ category: 'SAMPAH', kelurahan: '36.73.01.1001', description: `drill-idem-${key} #1: sampah menumpuk di pinggir jalan depan pasar.` });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${system.baseUrl}/api/v1/complaints`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body }).then(async (r) => ({
          status: r.status,
          tn: ((await r.json()) as { tracking_number?: string }).tracking_number,
        })),
      ),
    );
    const ok = answers.filter((a) => a.status === 201 || a.status === 200);
    expect(new Set(ok.map((a) => a.tn)).size).toBe(1);
    expect(answers.filter((a) => ![200, 201, 409].includes(a.status))).toEqual([]);
    const { Client } = await import('pg');
    const c = new Client({ connectionString: db.admin });
    await c.connect();
    try {
      expect((await c.query(`SELECT count(*)::int AS n FROM complaint WHERE description LIKE $1`, [`drill-idem-${key}%`])).rows[0].n).toBe(1);
    } finally {
      await c.end();
    }
  });

  full('20 officials acting on one complaint at once: one acknowledgement, one resolution, one chain (full set only: npm run test:faults)', async () => {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${system.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const admin = ((await (await post('/api/v1/auth/login', { username: 'admin', password: 'admin-faults-passphrase' })).json()) as { access_token: string }).access_token;
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) {
      const username = `drill-lurah-${Date.now().toString(36)}-${i}`;
      const password = 'kata sandi yang cukup panjang';
      expect((await post('/api/v1/admin/officials', { username, name: `Petugas ${i}`, password, unit: 'KEL.36.73.01.1001', roles: ['handler'] }, admin)).status).toBe(201);
      tokens.push(((await (await post('/api/v1/auth/login', { username, password })).json()) as { access_token: string }).access_token);
    }
    const filed = (await (await post('/api/v1/complaints', { category: 'SAMPAH', kelurahan: '36.73.01.1001', description: 'drill-officials: sampah menumpuk di pinggir jalan depan pasar.' })).json()) as { tracking_number: string };
    const tn = filed.tracking_number;
    const { Client } = await import('pg');
    const c = new Client({ connectionString: db.admin });
    await c.connect();
    try {
      const routed = async () => (await c.query(`SELECT status FROM complaint WHERE tracking_number = $1`, [tn])).rows[0]?.status === 'routed';
      for (let i = 0; i < 200 && !(await routed()); i++) await sleep(100);
      const statuses = async (action: string, body: unknown) =>
        (await Promise.all(tokens.map((t) => post(`/api/v1/complaints/${tn}/${action}`, body, t)))).map((r) => r.status).sort();
      const ack = await statuses('acknowledge', { note: 'Akan dicek.' });
      const resolve = await statuses('resolve', { resolution: 'Sampah sudah diangkut petugas kebersihan.' });
      expect(ack.filter((s) => s === 200)).toHaveLength(1);
      expect(ack.filter((s) => s !== 200 && s !== 409)).toEqual([]);
      expect(resolve.filter((s) => s === 200)).toHaveLength(1);
      expect(resolve.filter((s) => s !== 200 && s !== 409)).toEqual([]);
      const { rows } = await c.query(`SELECT a.event, count(*)::int AS n FROM audit_entry a JOIN complaint k ON a.stream = 'complaint:' || k.id WHERE k.tracking_number = $1 GROUP BY 1`, [tn]);
      const events = Object.fromEntries(rows.map((r) => [r.event, r.n]));
      expect(events).toMatchObject({ 'complaint.acknowledged': 1, 'complaint.resolved': 1 });
      expect(Object.values(events).every((n) => n === 1)).toBe(true);
    } finally {
      await c.end();
    }
  });

  // Last in this file (with the clock drill): it shortens SAMPAH's first-response deadline for the drill's database.
  full('first-response timers that fall due while no worker runs fire once each after a new worker starts (full set only: npm run test:faults)', async () => {
    const put = (path: string, body: unknown, token: string) =>
      fetch(`${system.baseUrl}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const login = await fetch(`${system.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-faults-passphrase' }) });
    const admin = ((await login.json()) as { access_token: string }).access_token;
    expect((await put('/api/v1/admin/sla/SAMPAH?tenant=36.73', { first_response: { duration: 'PT4S' }, resolution: { duration: 'PT1H' } }, admin)).status).toBe(200);
    // The change is announced as it commits: the worker's cache is dropped before the load below is routed.
    const marker = `drill-timers-${Date.now().toString(36)}`;
    const load = new SteadyLoad(system, marker, 10).start();
    await sleep(2000);
    await load.stop();
    const ids = async (c: InstanceType<typeof import('pg').Client>) => (await c.query(`SELECT id FROM complaint WHERE description LIKE $1`, [`${marker} #%`])).rows.map((r) => r.id as string);
    const { Client } = await import('pg');
    const c = new Client({ connectionString: db.admin });
    await c.connect();
    try {
      // Routed and armed, then the worker dies; the deadlines (kelurahan, kecamatan, Setda: 4 s each) pass without one.
      for (let i = 0; i < 100; i++) {
        const { rows } = await c.query(`SELECT count(*)::int AS n FROM complaint WHERE description LIKE $1 AND status = 'submitted'`, [`${marker} #%`]);
        if (rows[0].n === 0) break;
        await sleep(100);
      }
      system.workers[0].signal('SIGKILL');
      await system.workers[0].exited;
      await sleep(6000);
      const restarted = Date.now();
      await system.startWorker();
      const mine = await ids(c);
      expect(mine).toHaveLength(load.accepted().length);
      let breaches: { complaint_id: string; n: number; units: number }[] = [];
      for (let i = 0; i < 600; i++) {
        breaches = (await c.query(`SELECT complaint_id, count(*)::int AS n, count(DISTINCT unit_id)::int AS units FROM sla_breach WHERE complaint_id = ANY($1::uuid[]) AND kind = 'first_response' GROUP BY 1`, [mine])).rows;
        if (breaches.length === mine.length && breaches.every((b) => b.n >= 3)) break;
        await sleep(250);
      }
      const quietSeconds = (Date.now() - restarted) / 1000;
      // Each deadline missed once per unit on the way up: kelurahan, kecamatan, Setda; never twice.
      expect(breaches.filter((b) => b.n !== 3 || b.units !== 3)).toEqual([]);
      expect(breaches).toHaveLength(mine.length);
      const escalated = (await c.query(`SELECT stream, count(*)::int AS n FROM audit_entry WHERE stream = ANY($1::text[]) AND event = 'complaint.escalated' GROUP BY 1`, [mine.map((id) => `complaint:${id}`)])).rows;
      expect(escalated.filter((e) => e.n !== 2)).toEqual([]);
      const v = await verdict('timers due across a worker restart', db.admin, load, gateway, quietSeconds);
      expect({ lost: v.lost, duplicated: v.duplicated, brokenChains: v.brokenChains, outboxLeft: v.outboxLeft }).toEqual({ lost: 0, duplicated: 0, brokenChains: 0, outboxLeft: 0 });
      appendFileSync(REPORT_FILE, `${JSON.stringify(v)}\n`);
    } finally {
      await c.end();
    }
  });
  // After the timers drill: SAMPAH's first response is due 4 s after routing (set again here).
  full('a worker whose clock runs 10 minutes ahead arms deadlines by PostgreSQL\'s clock and fires no timer early (full set only: npm run test:faults)', async () => {
    const AHEAD_MS = 10 * 60_000;
    const put = (path: string, body: unknown, token: string) =>
      fetch(`${system.baseUrl}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const login = await fetch(`${system.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-faults-passphrase' }) });
    const admin = ((await login.json()) as { access_token: string }).access_token;
    expect((await put('/api/v1/admin/sla/SAMPAH?tenant=36.73', { first_response: { duration: 'PT4S' }, resolution: { duration: 'PT1H' } }, admin)).status).toBe(200);
    // The only worker is one whose Date runs ahead (a --require preload used by this drill only).
    while (system.workers.length) await system.workers.pop()!.stop();
    const ahead = await system.startWorker({ NODE_OPTIONS: `--require ${join(__dirname, 'support', 'clock-ahead.cjs')}`, CLOCK_AHEAD_MS: String(AHEAD_MS) });
    await sleep(2500);
    const marker = `drill-clock-${Date.now().toString(36)}`;
    const { Client } = await import('pg');
    const c = new Client({ connectionString: db.admin });
    await c.connect();
    try {
      const load = new SteadyLoad(system, marker, 10).start();
      await sleep(3000);
      await load.stop();
      const like = `${marker} #%`;
      // Watched by PostgreSQL's clock: a breach seen while its deadline is still ahead fired early.
      let early = 0;
      let breaches: { complaint_id: string; n: number; units: number }[] = [];
      let quietSeconds = -1;
      for (let i = 0; i < 600; i++) {
        const { rows } = await c.query(`SELECT count(*)::int AS n FROM sla_breach b JOIN complaint k ON k.id = b.complaint_id WHERE k.description LIKE $1 AND b.due_at > clock_timestamp()`, [like]);
        early += rows[0].n;
        breaches = (await c.query(`SELECT b.complaint_id, count(*)::int AS n, count(DISTINCT b.unit_id)::int AS units FROM sla_breach b JOIN complaint k ON k.id = b.complaint_id WHERE k.description LIKE $1 AND b.kind = 'first_response' GROUP BY 1`, [like])).rows;
        if (breaches.length === load.accepted().length && breaches.every((b) => b.n >= 3)) {
          quietSeconds = (Date.now() - load.lastAnswerAt) / 1000;
          break;
        }
        await sleep(250);
      }
      // The worker saw its clock ahead of PostgreSQL's (its log says by how much).
      const said = /(\d+\.\d) s ahead of PostgreSQL's/.exec(readFileSync(join(LOG_DIR, `${ahead.name}.log`), 'utf8'));
      expect(Math.abs(Number(said?.[1]) - AHEAD_MS / 1000)).toBeLessThan(2);
      expect(early).toBe(0);
      expect(quietSeconds).toBeGreaterThan(0);
      // Armed by PostgreSQL's clock: every first-response deadline 4 s after its assignment, the
      // assignment made after its complaint came in and before now (by the database); a deadline
      // armed by the worker's own clock would lie 10 minutes out.
      const { rows: armed } = await c.query(
        `SELECT count(*)::int AS assignments,
                count(*) FILTER (WHERE a.first_response_due_at - a.assigned_at <> interval '4 seconds')::int AS not_four_seconds,
                count(*) FILTER (WHERE a.assigned_at < k.submitted_at - interval '1 second' OR a.assigned_at > clock_timestamp())::int AS off_clock,
                count(*) FILTER (WHERE a.first_response_due_at > clock_timestamp())::int AS still_ahead
           FROM assignment a JOIN complaint k ON k.id = a.complaint_id WHERE k.description LIKE $1`,
        [like],
      );
      expect(armed[0]).toEqual({ assignments: 3 * load.accepted().length, not_four_seconds: 0, off_clock: 0, still_ahead: 0 });
      // Each deadline missed once per unit on the way up, never twice.
      expect(breaches.filter((b) => b.n !== 3 || b.units !== 3)).toEqual([]);
      // Two escalations per complaint (an event twice in a chain by design, so not duplicatedEvents).
      const escalated = (await c.query(`SELECT a.stream, count(*)::int AS n FROM audit_entry a JOIN complaint k ON a.stream = 'complaint:' || k.id WHERE k.description LIKE $1 AND a.event = 'complaint.escalated' GROUP BY 1`, [like])).rows;
      expect(escalated).toHaveLength(load.accepted().length);
      expect(escalated.filter((e) => e.n !== 2)).toEqual([]);
      const v = await verdict('worker clock 10 min ahead', db.admin, load, gateway, quietSeconds);
      expect({ lost: v.lost, duplicated: v.duplicated, brokenChains: v.brokenChains, outboxLeft: v.outboxLeft }).toEqual({ lost: 0, duplicated: 0, brokenChains: 0, outboxLeft: 0 });
      appendFileSync(REPORT_FILE, `${JSON.stringify(v)}\n`);
    } finally {
      await c.end();
      await ahead.stop();
    }
  });
});
