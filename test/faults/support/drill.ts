import { hashEntry } from '@aduan/audit';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { Client } from 'pg';
import { OwnPostgres } from '../../support/postgres-cluster';
import { freePort, OwnRedis } from '../../support/redis-server';
import { LOG_DIR, REPORT_FILE } from './report';
import { assertTestDatabase, TEST_AUDIT_SIGNING_KEY, TEST_DATABASE_URL, testRoleUrls } from '../../support/test-env';

const ROOT = join(__dirname, '..', '..', '..');
export { LOG_DIR, REPORT_FILE };
/** the full set of drills runs only with FAULTS=all (npm run test:faults); npm test runs one per kind of fault */
export const FULL = process.env.FAULTS === 'all';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A database for one drill file: on the shared server (named after TEST_DATABASE_URL, plus a
 * suffix) or on a cluster of the drill's own. Created the way the test setup and `npm start` do:
 * setup-db (the <db>_owner and <db>_app roles), migrate, seed, with the built CLI.
 */
export function prepareDatabase(suffix: string, cluster?: OwnPostgres): { admin: string; app: string; owner: string } {
  const base = new URL(cluster ? cluster.url : TEST_DATABASE_URL);
  base.pathname = `/${assertTestDatabase(TEST_DATABASE_URL)}_${suffix}`;
  const admin = base.toString();
  const { app, owner } = testRoleUrls(admin);
  const postgres = new URL(admin);
  postgres.pathname = '/postgres';
  const name = assertTestDatabase(admin);
  execFileSync('psql', [postgres.toString(), '-qXc', `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`, '-c', `DROP DATABASE IF EXISTS "${name}"`], { stdio: 'pipe' });
  for (const command of ['setup-db', 'migrate', 'seed']) {
    execFileSync(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), command], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_ADMIN_URL: admin, DATABASE_URL: app, DATABASE_OWNER_URL: owner, AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY },
      stdio: 'pipe',
    });
  }
  return { admin, app, owner };
}

/** The api or a worker as a real process, from the built dist, its output in LOG_DIR. */
export class AppProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    script: 'api' | 'worker',
    env: Record<string, string>,
  ) {
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, `${name}.log`), '');
    const log = createWriteStream(join(LOG_DIR, `${name}.log`), { flags: 'a' });
    this.child = spawn(process.execPath, [join(ROOT, `dist/apps/${script}/src/main.js`)], { cwd: ROOT, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** A webhook gateway on localhost: every notice the workers deliver, by its id. */
export class Gateway {
  readonly received: string[] = [];
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = createServer((req, res) => {
      const id = req.headers['x-aduan-notification'];
      req.resume();
      req.on('end', () => {
        if (typeof id === 'string') this.received.push(id);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
  }

  /** ids received more than once */
  repeats(): number {
    const seen = new Map<string, number>();
    for (const id of this.received) seen.set(id, (seen.get(id) ?? 0) + 1);
    return [...seen.values()].filter((n) => n > 1).length;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export const WEBHOOK_SECRET = 'faults-drill-webhook-secret-0123456789abcdef';

export interface SystemOptions {
  name: string;
  db: { app: string; owner: string; admin: string };
  redis: OwnRedis;
  gateway: Gateway;
  env?: Record<string, string>;
}

/** The env of the api and the workers: the drill's database (as <db>_app), Redis, a webhook gateway. */
export function appEnv(o: SystemOptions, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    // a free port per worker: a drill runs several, and the machine's own Aduan may hold the default
    WORKER_METRICS_PORT: '0',
    DATABASE_URL: o.db.app,
    REDIS_URL: o.redis.url,
    QUEUE_PREFIX: `faults-${o.name}`,
    AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
    AUTH_TOKEN_SECRET: 'faults-auth-token-secret-0123456789abcdef',
    ACCESS_CODE_SECRET: 'faults-access-code-secret-0123456789abcdef',
    PRIVACY_KEY: Buffer.alloc(32, 9).toString('base64'),
    PRIVACY_KEY_ID: 'faults',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: 'admin-faults-passphrase',
    RATE_LIMIT_ENABLED: 'false',
    WEBHOOK_URL: `http://127.0.0.1:${o.gateway.port}/notices`,
    WEBHOOK_SECRET,
    // The reconciler hands back jobs Redis lost after this long (default 60 s): shortened so drills end sooner.
    OUTBOX_STALE_SECONDS: '10',
    OUTBOX_RECONCILE_MS: '2000',
    DB_POOL_SIZE: '5',
    ...o.env,
  };
}

/** The api and its workers for one drill. */
export class DrillSystem {
  api!: AppProcess;
  workers: AppProcess[] = [];
  port = 0;
  private workerCount = 0;

  constructor(readonly o: SystemOptions) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async startApi(): Promise<void> {
    this.port ||= await freePort();
    this.api = new AppProcess(`${this.o.name}-api`, 'api', appEnv(this.o, this.port));
    await this.waitHealthy();
  }

  async startWorker(env: Record<string, string> = {}): Promise<AppProcess> {
    this.workerCount += 1;
    const name = `${this.o.name}-worker${this.workerCount}`;
    const worker = new AppProcess(name, 'worker', { ...appEnv(this.o, this.port || 3000), ...env });
    this.workers.push(worker);
    // Started: its log says the relay runs.
    const deadline = Date.now() + 60_000;
    while (!readFileSync(join(LOG_DIR, `${name}.log`), 'utf8').includes('outbox relay running')) {
      if (!worker.alive) throw new Error(`worker ${name} exited at start; see ${LOG_DIR}/${name}.log`);
      if (Date.now() > deadline) throw new Error(`worker ${name} did not start`);
      await sleep(100);
    }
    return worker;
  }

  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ok = await fetch(`${this.baseUrl}/health`).then((r) => r.ok, () => false);
      if (ok) return;
      if (!this.api.alive) throw new Error(`the api exited (${this.api.child.exitCode}); see ${LOG_DIR}`);
      if (Date.now() > deadline) throw new Error('the api did not become healthy');
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.api?.stop(), ...this.workers.map((w) => w.stop())]);
  }
}

export interface Submission {
  seq: number;
  status: number;
  trackingNumber?: string;
}

/**
 * Submits complaints at a steady rate (each with its own description: `<marker> #<seq>`), whatever
 * answers come back; a refused connection (the api down) counts as status 0.
 */
export class SteadyLoad {
  readonly submissions: Submission[] = [];
  private running = true;
  private loop: Promise<void> | null = null;
  private inFlight = new Set<Promise<void>>();
  lastAnswerAt = 0;

  constructor(
    private readonly system: DrillSystem,
    readonly marker: string,
    private readonly perSecond = 20,
    private readonly headers: () => Record<string, string> = () => ({}),
  ) {}

  start(): this {
    let seq = 0;
    this.loop = (async () => {
      const started = Date.now();
      while (this.running) {
        seq += 1;
        const mine = seq;
        const p = this.submitOne(mine).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
        const next = started + (seq * 1000) / this.perSecond;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();
    return this;
  }

  private async submitOne(seq: number): Promise<void> {
    const body = { category: 'SAMPAH', kelurahan: '36.73.01.1001', description: `${this.marker} #${seq}: sampah menumpuk di pinggir jalan depan pasar.` };
    let status: number;
    let trackingNumber: string | undefined;
    try {
      const res = await fetch(`${this.system.baseUrl}/api/v1/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.headers() },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      status = res.status;
      const json = (await res.json().catch(() => ({}))) as { tracking_number?: string };
      trackingNumber = json.tracking_number;
    } catch {
      // no answer: the api was down or the connection was cut
      status = 0;
    }
    this.lastAnswerAt = Date.now();
    this.submissions.push({ seq, status, trackingNumber });
  }

  /** Stops submitting and waits for the answers still due. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all([...this.inFlight]);
  }

  accepted(): string[] {
    return this.submissions.filter((s) => s.status === 201).map((s) => s.trackingNumber!);
  }
}

export interface Verdict {
  drill: string;
  submitted: number;
  accepted: number;
  stored: number;
  duplicated: number;
  lost: number;
  notRouted: number;
  assignmentsNotOne: number;
  brokenChains: number;
  duplicatedEvents: number;
  deadlinesNotArmed: number;
  duplicatedNotices: number;
  noticesSent: number;
  noticeRepeatsAtGateway: number;
  outboxLeft: number;
  quietSeconds: number;
  statuses: Record<string, number>;
}

async function withClient<T>(url: string, run: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url, application_name: 'aduan-faults-check' });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

/**
 * Quiet, seen from PostgreSQL: every complaint of the drill is out of `submitted` with an
 * assignment, every notice is sent, failed or settled as `rendered` with its reason (a notice
 * being delivered is `rendered` without one), and no outbox row that is due is unpublished.
 * Returns the seconds it took from `since`.
 */
export async function waitForQuiet(url: string, marker: string, since: number, timeoutMs = 200_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await withClient(url, async (c) => {
      const { rows } = await c.query(
        `SELECT (SELECT count(*) FROM complaint k WHERE k.description LIKE $1 AND (k.status = 'submitted' OR NOT EXISTS (SELECT 1 FROM assignment a WHERE a.complaint_id = k.id)))
              + (SELECT count(*) FROM notification WHERE status NOT IN ('sent', 'failed') AND (status <> 'rendered' OR detail IS NULL))
              + (SELECT count(*) FROM outbox_message WHERE published_at IS NULL AND (deliver_at IS NULL OR deliver_at <= now())) AS n`,
        [`${marker} #%`],
      );
      return Number(rows[0].n);
    }).catch(() => -1);
    if (pending === 0) return (Date.now() - since) / 1000;
    if (Date.now() > deadline) throw new Error(`not quiet after ${timeoutMs / 1000} s (${pending} pending)`);
    await sleep(250);
  }
}

/** The checks every drill ends with, in PostgreSQL only (and the gateway's count of repeated ids, reported). */
export async function verdict(drill: string, url: string, load: SteadyLoad, gateway: Gateway, quietSeconds: number): Promise<Verdict> {
  const accepted = load.accepted();
  return withClient(url, async (c) => {
    const like = `${load.marker} #%`;
    const stored = await c.query<{ id: string; tracking_number: string; description: string; status: string }>(
      `SELECT id, tracking_number, description, status FROM complaint WHERE description LIKE $1`,
      [like],
    );
    const bySeq = new Map<string, number>();
    for (const r of stored.rows) {
      const seq = /#(\d+):/.exec(r.description)?.[1] ?? r.description;
      bySeq.set(seq, (bySeq.get(seq) ?? 0) + 1);
    }
    const numbers = new Set(stored.rows.map((r) => r.tracking_number));
    const ids = stored.rows.map((r) => r.id);
    const assignments = await c.query<{ n: string }>(`SELECT count(*) AS n FROM complaint k WHERE k.id = ANY($1::uuid[]) AND (SELECT count(*) FROM assignment a WHERE a.complaint_id = k.id) <> 1`, [ids]);
    const entries = await c.query(
      `SELECT stream, seq, at, actor_type, actor_id, event, data, channel, request_id, outcome, prev_hash, hash FROM audit_entry WHERE stream = ANY($1::text[]) ORDER BY stream, seq`,
      [ids.map((id) => `complaint:${id}`)],
    );
    let brokenChains = 0;
    let duplicatedEvents = 0;
    const streams = new Map<string, typeof entries.rows>();
    for (const e of entries.rows) streams.set(e.stream, [...(streams.get(e.stream) ?? []), e]);
    for (const [, chain] of streams) {
      let prev: string | null = null;
      let broken = false;
      const events = new Set<string>();
      chain.forEach((e, i) => {
        const hash = hashEntry({ stream: e.stream, seq: e.seq, at: new Date(e.at), actorType: e.actor_type, actorId: e.actor_id, event: e.event, data: e.data, channel: e.channel, requestId: e.request_id, outcome: e.outcome, prevHash: e.prev_hash });
        if (e.seq !== i + 1 || e.prev_hash !== prev || hash !== e.hash) broken = true;
        if (events.has(e.event)) duplicatedEvents += 1;
        events.add(e.event);
        prev = e.hash;
      });
      if (broken) brokenChains += 1;
    }
    brokenChains += ids.length - streams.size;
    const unarmed = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM assignment a WHERE a.complaint_id = ANY($1::uuid[]) AND a.ended_at IS NULL AND a.responded_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM outbox_message o WHERE o.job_name = 'sla.first-response-due' AND o.payload->>'assignmentId' = a.id::text)`,
      [ids],
    );
    const notices = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT complaint_id, template, unit_id FROM notification WHERE complaint_id = ANY($1::uuid[]) GROUP BY 1, 2, 3 HAVING count(*) > 1) d`,
      [ids],
    );
    const sent = await c.query<{ n: string }>(`SELECT count(*) AS n FROM notification WHERE complaint_id = ANY($1::uuid[]) AND status = 'sent'`, [ids]);
    const outbox = await c.query<{ n: string }>(`SELECT count(*) AS n FROM outbox_message WHERE published_at IS NULL AND (deliver_at IS NULL OR deliver_at <= now())`);
    const statuses: Record<string, number> = {};
    for (const s of load.submissions) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    return {
      drill,
      submitted: load.submissions.length,
      accepted: accepted.length,
      stored: stored.rows.length,
      duplicated: [...bySeq.values()].filter((n) => n > 1).length,
      lost: accepted.filter((tn) => !numbers.has(tn)).length,
      notRouted: stored.rows.filter((r) => r.status === 'submitted').length,
      assignmentsNotOne: Number(assignments.rows[0].n),
      brokenChains,
      duplicatedEvents,
      deadlinesNotArmed: Number(unarmed.rows[0].n),
      duplicatedNotices: Number(notices.rows[0].n),
      noticesSent: Number(sent.rows[0].n),
      noticeRepeatsAtGateway: gateway.repeats(),
      outboxLeft: Number(outbox.rows[0].n),
      quietSeconds: Math.round(quietSeconds * 10) / 10,
      statuses,
    };
  });
}

/** What every drill must show; `allowNoticeRepeats` for the documented at-least-once case. */
export function expectSound(v: Verdict, options: { allowNoticeRepeats?: boolean } = {}): void {
  appendFileSync(REPORT_FILE, `${JSON.stringify(v)}\n`);
  expect(v.accepted).toBeGreaterThan(0);
  expect({
    lost: v.lost,
    duplicated: v.duplicated,
    notRouted: v.notRouted,
    assignmentsNotOne: v.assignmentsNotOne,
    brokenChains: v.brokenChains,
    duplicatedEvents: v.duplicatedEvents,
    deadlinesNotArmed: v.deadlinesNotArmed,
    duplicatedNotices: v.duplicatedNotices,
    outboxLeft: v.outboxLeft,
  }).toEqual({ lost: 0, duplicated: 0, notRouted: 0, assignmentsNotOne: 0, brokenChains: 0, duplicatedEvents: 0, deadlinesNotArmed: 0, duplicatedNotices: 0, outboxLeft: 0 });
  if (!options.allowNoticeRepeats) expect(v.noticeRepeatsAtGateway).toBe(0);
  // Every answer is 201, a 503 to retry, or no answer (status 0: the api was down); never a 500.
  expect(Object.keys(v.statuses).filter((s) => !['201', '503', '0'].includes(s))).toEqual([]);
}

/**
 * One drill: a steady load for `seconds`, the fault injected `faultAfter` seconds in (the fault
 * function also heals it, if it heals), then the wait for quiet (timed from the last answer)
 * and the verdict.
 */
export async function runDrill(d: {
  name: string;
  system: DrillSystem;
  url: string;
  gateway: Gateway;
  seconds?: number;
  faultAfter?: number;
  perSecond?: number;
  headers?: () => Record<string, string>;
  fault: () => Promise<void>;
}): Promise<Verdict> {
  const marker = `drill-${d.name.replace(/\W+/g, '-')}-${Date.now().toString(36)}`;
  d.gateway.received.length = 0;
  const load = new SteadyLoad(d.system, marker, d.perSecond ?? 20, d.headers).start();
  const started = Date.now();
  await sleep((d.faultAfter ?? 2) * 1000);
  await d.fault();
  await sleep(Math.max(0, started + (d.seconds ?? 6) * 1000 - Date.now()));
  await load.stop();
  const quiet = await waitForQuiet(d.url, marker, load.lastAnswerAt);
  return verdict(d.name, d.url, load, d.gateway, quiet);
}

/** Terminates the backends of the apps on the drill's database, by application_name (all of them when none is named). */
export async function terminateBackends(adminUrl: string, applicationNames?: string[]): Promise<number> {
  const database = new URL(adminUrl).pathname.slice(1);
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name LIKE 'aduan-%' AND application_name <> 'aduan-faults-check'
          AND ($2::text[] IS NULL OR application_name = ANY($2::text[]))`,
      [database, applicationNames ?? null],
    );
    return Number(rows[0].n);
  });
}
