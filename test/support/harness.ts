import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ALL_QUEUES, QueueRegistry, REDIS } from '@aduan/platform';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { createApi } from '../../apps/api/src/create-api';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { TEST_ADMIN, useTestEnvironment } from './test-env';

export interface Harness {
  api: NestFastifyApplication;
  worker: INestApplicationContext | null;
  db: DataSource;
  queuePrefix: string;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** Waits until every outbox row that is due is published and no job is waiting or running (timers may stay delayed). */
  quiet(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** api and worker in one process, on the test database and a fresh queue prefix. */
export async function startHarness(options: { worker?: boolean; env?: Record<string, string>; logger?: LoggerService | 'configured' } = {}): Promise<Harness> {
  const { queuePrefix } = useTestEnvironment(options.env);
  // 'configured': JSON lines on stdout at LOG_LEVEL, as in production
  const api = await createApi(options.logger === 'configured' ? {} : { logger: options.logger ?? false });
  await api.init();
  await api.getHttpAdapter().getInstance().ready();
  const db = api.get(DataSource);
  // Files share the test database but not queue prefixes: outbox rows an earlier file left behind
  // are put out of every relay's and reconciler's reach, so they cannot leak into this file's queues.
  await db.query(`UPDATE outbox_message SET published_at = now() - interval '40 days'`);
  const queues = api.get(QueueRegistry);
  const harness: Harness = {
    api,
    worker: null,
    db,
    queuePrefix,
    async startWorker() {
      if (harness.worker) return;
      harness.worker = await NestFactory.createApplicationContext(WorkerModule, { logger: options.logger === 'configured' ? undefined : (options.logger ?? false) });
      await harness.worker.init();
    },
    async stopWorker() {
      await harness.worker?.close();
      harness.worker = null;
    },
    async quiet(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // Timers beyond the relay's horizon wait in PostgreSQL by design (OUTBOX_TIMER_HORIZON_SECONDS).
        const [{ n }]: { n: string }[] = await db.query(
          `SELECT count(*) AS n FROM outbox_message WHERE published_at IS NULL AND (deliver_at IS NULL OR deliver_at < now() + make_interval(secs => $1))`,
          [Number(process.env.OUTBOX_TIMER_HORIZON_SECONDS ?? 3600)],
        );
        const counts = await Promise.all(ALL_QUEUES.map((q) => queues.queue(q).getJobCounts('waiting', 'active', 'prioritized', 'waiting-children')));
        const pending = Number(n) + counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
        if (pending === 0) return;
        if (Date.now() > deadline) throw new Error(`queues did not go quiet: ${pending} pending`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await harness.stopWorker();
      await Promise.all(ALL_QUEUES.map((q) => queues.queue(q).obliterate({ force: true }).catch(() => undefined)));
      // Sign-in memory (30 days) and rate-limit counters live under the file's prefix too.
      await deleteKeysUnder(api.get<Redis>(REDIS), `${queuePrefix}:`);
      await api.close();
    },
  };
  if (options.worker !== false) await harness.startWorker();
  return harness;
}

/** Deletes every key that starts with `prefix` (a test file's own random prefix). */
async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

/** Sends a request through Fastify's inject (no socket) and parses JSON. */
export async function call(
  h: Harness,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; token?: string; raw?: string } = {},
): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.raw !== undefined) payload = options.raw;
  else if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await h.api.getHttpAdapter().getInstance().inject({ method, url, headers, payload });
  let body: unknown = res.body;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    // not JSON: leave the text
  }
  return { status: res.statusCode, body, headers: res.headers };
}

export async function loginAdmin(h: Harness): Promise<string> {
  const res = await call(h, 'POST', '/api/v1/auth/login', { body: TEST_ADMIN });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status}`);
  return res.body.access_token;
}

let officialCounter = 0;

/** Creates an official in a unit through the admin API and signs them in. */
export async function officialIn(h: Harness, adminToken: string, unit: string, roles: string[] = ['handler']): Promise<{ token: string; username: string }> {
  officialCounter += 1;
  const username = `${roles[0]}-${officialCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const password = 'kata sandi yang cukup panjang';
  const created = await call(h, 'POST', '/api/v1/admin/officials', { token: adminToken, body: { username, name: `Petugas ${officialCounter}`, password, unit, roles } });
  if (created.status !== 201) throw new Error(`creating official failed: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await call(h, 'POST', '/api/v1/auth/login', { body: { username, password } });
  return { token: login.body.access_token, username };
}

export function complaintBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    category: 'SAMPAH',
    kelurahan: '36.73.01.1001',
    description: 'Sampah menumpuk di pinggir jalan depan pasar sejak seminggu lalu.',
    ...overrides,
  };
}

/** Row counts of every table a failed request must leave untouched. */
export async function writeCounts(db: DataSource): Promise<Record<string, number>> {
  const tables = ['complaint', 'audit_entry', 'outbox_message', 'assignment', 'official', 'processed_message'];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [{ n }]: { n: string }[] = await db.query(`SELECT count(*) AS n FROM ${t}`);
    out[t] = Number(n);
  }
  return out;
}

/** Files a complaint and waits until it sits in an inbox; returns its tracking number and code. */
export async function fileAndRoute(h: Harness, overrides: Record<string, unknown> = {}): Promise<{ tn: string; code: string }> {
  const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody(overrides) });
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  await h.quiet();
  return { tn: res.body.tracking_number, code: res.body.access_code };
}

/** Polls `check` until it returns a truthy value or the time runs out. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * When the complaint's current unit received it, twice: the copy on the complaint row (which the
 * inbox reads from its index) and the open assignment's own start. They must always agree.
 */
export async function stayStart(h: Harness, trackingNumber: string): Promise<{ complaint: string | null; assignment: string | null }> {
  const [row]: { complaint: string | null; assignment: string | null }[] = await h.db.query(
    `SELECT to_json(c.assigned_at) #>> '{}' AS complaint,
            (SELECT to_json(a.assigned_at) #>> '{}' FROM assignment a WHERE a.complaint_id = c.id AND a.ended_at IS NULL ORDER BY a.assigned_at DESC LIMIT 1) AS assignment
       FROM complaint c WHERE c.tracking_number = $1`,
    [trackingNumber],
  );
  return row;
}

/** The audit events of a complaint, in order. */
export async function auditEvents(h: Harness, trackingNumber: string): Promise<string[]> {
  const rows: { event: string }[] = await h.db.query(
    `SELECT a.event FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id WHERE c.tracking_number = $1 ORDER BY a.seq`,
    [trackingNumber],
  );
  return rows.map((r) => r.event);
}
