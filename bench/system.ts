import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { progress, sleep } from './stats';

/** dist/ (this file runs as dist/bench/system.js); the system under test is the built one next to it. */
const DIST = join(__dirname, '..');
/** The repository root: children run from there, as `npm run start:*` would run them. */
const ROOT = join(DIST, '..');

export const CLI_MAIN = join(DIST, 'apps/cli/src/main.js');
export const API_MAIN = join(DIST, 'apps/api/src/main.js');
export const WORKER_MAIN = join(DIST, 'apps/worker/src/main.js');

/** Everything the bench and the system under test share: one database, one Redis, one prefix. */
export interface BenchSettings {
  /** the superuser's URL: the bench's own observer pool and baselines, and setup-db */
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  /** a separate prefix for the bare BullMQ baseline, so it never touches the system's queues */
  baselinePrefix: string;
  port: number;
  baseUrl: string;
  /** environment for the api, worker and cli children */
  childEnv: NodeJS.ProcessEnv;
}

export async function benchSettings(): Promise<BenchSettings> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/aduan_bench';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queuePrefix = `bench-${randomBytes(6).toString('hex')}`;
  const port = await freePort();
  // The system under test logs in as it would in production: the app's role, migrations as the owner.
  const role = (name: string) => {
    const u = new URL(databaseUrl);
    u.username = `${decodeURIComponent(u.pathname.slice(1))}_${name}`;
    u.password = randomBytes(12).toString('hex');
    return u.toString();
  };
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_ADMIN_URL: databaseUrl,
    DATABASE_URL: role('app'),
    DATABASE_OWNER_URL: role('owner'),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    PORT: String(port),
    // Traffic stays on the loopback interface.
    HOST: '127.0.0.1',
    // any free port: a running `npm start` may hold the default
    WORKER_METRICS_PORT: '0',
    AUTH_TOKEN_SECRET: randomBytes(32).toString('hex'),
    ACCESS_CODE_SECRET: randomBytes(32).toString('hex'),
    PRIVACY_KEY: randomBytes(32).toString('base64'),
    ADMIN_PASSWORD: `Bench-${randomBytes(12).toString('hex')}`,
    NODE_ENV: 'production',
    OUTBOX_POLL_MS: '200',
    // The load comes from one address: the per-address limit on filing (10 a minute by default)
    // would turn the bench into a 429 test. The limiter stays on, so its Redis round trip is measured.
    RATE_LIMIT_SUBMIT: process.env.RATE_LIMIT_SUBMIT ?? '1000000',
    RATE_LIMIT_READ: process.env.RATE_LIMIT_READ ?? '1000000',
    RATE_LIMIT_WRITE: process.env.RATE_LIMIT_WRITE ?? '1000000',
    RATE_LIMIT_LOGIN: process.env.RATE_LIMIT_LOGIN ?? '1000000',
    RATE_LIMIT_OPEN311_KEY: process.env.RATE_LIMIT_OPEN311_KEY ?? '1000000',
  };
  return {
    databaseUrl,
    redisUrl,
    queuePrefix,
    baselinePrefix: `${queuePrefix}-baseline`,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    childEnv,
  };
}

/** A port in 3900–4899 that nothing listens on right now (checked by binding it). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 3900 + Math.floor(Math.random() * 1000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 3900-4899');
}

/**
 * Drops and recreates the bench database. Refuses names without "bench": BENCH_DATABASE_URL may
 * be overridden, and a typo must not drop a real database.
 */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[a-z0-9_]+$/.test(name) || !name.includes('bench')) {
    throw new Error(`refusing to drop database "${name}": the bench database name must be [a-z0-9_]+ and contain "bench"`);
  }
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString(), application_name: 'aduan-bench-admin' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

/** Runs the built CLI (migrate, seed) against the bench database; its output is shown only if it fails. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<void> {
  const child = new ManagedChild(`cli ${args.join(' ')}`, CLI_MAIN, args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await child.exited.finally(() => clearTimeout(timer));
  if (code !== 0) {
    child.dumpOutput();
    throw new Error(`cli ${args.join(' ')} exited with ${code}`);
  }
}

const OUTPUT_LINES_KEPT = 300;

/**
 * A child `node` process whose stdout and stderr are kept in memory (last lines only) instead of
 * inherited: the bench's stdout must carry nothing but the JSON result.
 */
export class ManagedChild {
  private readonly process: ChildProcess;
  private readonly lines: string[] = [];
  /** Every non-empty line the child has written to stdout or stderr so far. */
  linesSeen = 0;
  private exitCode: number | null | undefined = undefined;
  readonly exited: Promise<number | null>;

  constructor(readonly name: string, script: string, args: string[], env: NodeJS.ProcessEnv) {
    // BENCH_PROFILE_DIR: every child writes a V8 CPU profile there when it exits (for chrome://inspect or speedscope).
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    this.process = spawn(process.execPath, [...profile, script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.length === 0) continue;
        this.linesSeen += 1;
        this.lines.push(line);
        if (this.lines.length > OUTPUT_LINES_KEPT) this.lines.shift();
      }
    };
    this.process.stdout?.on('data', keep);
    this.process.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.process.once('error', (error) => {
        this.lines.push(`spawn failed: ${error.message}`);
        this.exitCode = null;
        resolve(null);
      });
      this.process.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : null);
        resolve(this.exitCode);
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.process.kill(signal);
  }

  /** SIGTERM (graceful shutdown hooks), then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    this.kill('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!stopped) {
      progress(`${this.name} ignored SIGTERM for ${graceMs} ms; SIGKILL`);
      this.kill('SIGKILL');
      await Promise.race([this.exited, sleep(2000)]);
    }
  }

  dumpOutput(): void {
    process.stderr.write(`----- ${this.name} (last ${this.lines.length} lines) -----\n${this.lines.join('\n')}\n-----\n`);
  }
}

/** Runs the built CLI and answers what it printed on stdout (its stderr is shown only if it fails). */
export function cliOutput(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 || (code === 2 && out)) resolve(out);
      else reject(new Error(`cli ${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** The api and worker processes of the system under test. */
export class RunningSystem {
  private constructor(public api: ManagedChild, public worker: ManagedChild) {}

  /** Stops both processes and starts them again with `env` (e.g. another LOG_LEVEL); resolves once /health answers. */
  async restart(settings: BenchSettings, env: NodeJS.ProcessEnv): Promise<void> {
    await this.stop();
    const next = await RunningSystem.start({ ...settings, childEnv: env });
    this.api = next.api;
    this.worker = next.worker;
  }

  /** Stops the worker and starts another with `env` (e.g. another AUDIT_SEAL_INTERVAL_MS). */
  async restartWorker(env: NodeJS.ProcessEnv): Promise<void> {
    await this.worker.stop();
    this.worker = new ManagedChild('worker', WORKER_MAIN, [], env);
    await sleep(500);
    if (!this.worker.running) {
      this.worker.dumpOutput();
      throw new Error('the worker exited during start-up');
    }
  }

  static async start(settings: BenchSettings, healthTimeoutMs = 30_000): Promise<RunningSystem> {
    const system = new RunningSystem(
      new ManagedChild('api', API_MAIN, [], settings.childEnv),
      new ManagedChild('worker', WORKER_MAIN, [], settings.childEnv),
    );
    const deadline = Date.now() + healthTimeoutMs;
    for (;;) {
      if (!system.api.running || !system.worker.running) {
        const dead = [system.api, system.worker].filter((c) => !c.running).map((c) => c.name);
        system.dumpOutput();
        await system.stop();
        throw new Error(`the ${dead.join(' and ')} exited during start-up`);
      }
      if ((await httpStatus(`${settings.baseUrl}/health`)) === 200) break;
      if (Date.now() >= deadline) {
        system.dumpOutput();
        await system.stop();
        throw new Error(`GET /health was not 200 within ${healthTimeoutMs} ms`);
      }
      await sleep(200);
    }
    return system;
  }

  /** True when both children are still alive (a crash mid-run is a failure, not a slow result). */
  get healthy(): boolean {
    return this.api.running && this.worker.running;
  }

  async stop(): Promise<void> {
    await Promise.all([this.api.stop(), this.worker.stop()]);
  }

  dumpOutput(): void {
    this.api.dumpOutput();
    this.worker.dumpOutput();
  }
}

/** Status of a GET, or 0 when the request fails (not listening yet); bounded by a 2 s timeout. */
function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * Deletes every Redis key under `<prefix>:`. The prefix is random per run, so this cannot touch
 * anyone else's keys; bounded by `timeoutMs`.
 */
export async function deletePrefixKeys(redisUrl: string, prefix: string, timeoutMs = 30_000): Promise<number> {
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: null, connectionName: 'aduan-bench-cleanup', lazyConnect: true });
  let deleted = 0;
  try {
    await redis.connect();
    const deadline = Date.now() + timeoutMs;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0' && Date.now() < deadline);
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
  return deleted;
}
