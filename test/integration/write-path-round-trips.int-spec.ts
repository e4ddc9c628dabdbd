import { AuditModule } from '@aduan/audit';
import { AssignComplaintsCommand, AssignRequest, ComplaintsModule } from '@aduan/complaints';
import { DirectoryModule, Tier } from '@aduan/directory';
import { NotificationsModule, SendNotificationsCommand } from '@aduan/notifications';
import { ConfigModule, DatabaseModule, JobName, MetricsModule, QueueModule, RedisModule } from '@aduan/platform';
import { DISPATCH_JOB, RouteComplaintsCommand, RouteRequest, RoutingModule } from '@aduan/routing';
import { FireSlaTimerCommand, SlaModule } from '@aduan/sla';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Redis } from 'ioredis';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, complaintBody, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

/**
 * Every SQL statement (pg's Client.query, BEGIN/COMMIT included) and Redis command (one per
 * pipelined command) made while one command runs, found by an AsyncLocalStorage context around
 * the command bus. Refactors keep these numbers; the bench's noise cannot catch a new round trip.
 * Cache refills come with the clock, not the command, so they run outside the count.
 */

interface Tally {
  sql: number;
  redis: number;
}

const current = new AsyncLocalStorage<Tally>();
const pgQuery = Client.prototype.query;
const redisSend = Redis.prototype.sendCommand;

beforeAll(() => {
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const tally = current.getStore();
    if (tally) tally.sql += 1;
    return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgQuery;
  Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<Redis['sendCommand']>) {
    const tally = current.getStore();
    if (tally) tally.redis += 1;
    return redisSend.apply(this, args);
  };
});
afterAll(() => {
  Client.prototype.query = pgQuery;
  Redis.prototype.sendCommand = redisSend;
});

/** The worker's modules without its processors: the consumers' handlers, run only by this test. */
@Module({
  imports: [
    ConfigModule,
    MetricsModule,
    DatabaseModule.forRoot('aduan-worker', { customPlans: true }),
    RedisModule,
    QueueModule,
    CqrsModule.forRoot(),
    DirectoryModule,
    AuditModule,
    SlaModule,
    ComplaintsModule,
    RoutingModule,
    NotificationsModule,
  ],
})
class ConsumersModule {}

/** [SQL statements, Redis commands] of each command, as measured on the write path before its consolidation (issue 17). */
const ROUND_TRIPS: Record<string, [number, number]> = {
  'submit': [1, 1],
  'submit, with an idempotency key': [1, 1],
  'route, batch of 1': [6, 1],
  'route, batch of 8': [6, 1],
  'route, replayed batch of 8': [3, 0],
  'assign, batch of 1': [5, 1],
  'assign, batch of 8': [5, 1],
  'assign, replayed batch of 8': [3, 0],
  'act: acknowledge': [6, 1],
  'act: resolve': [6, 1],
  'resident: feedback, satisfied': [6, 1],
  'act: request-info': [6, 1],
  'resident: reply': [6, 1],
  'act: forward': [7, 1],
  'act: reject': [6, 1],
  // Added with the action folders: the same statements as the switch it replaced (assignment, one unit lookup).
  'act: return': [8, 1],
  'resident: feedback, not satisfied': [6, 1],
  'timer: first-response reminder': [6, 1],
  'timer: first-response due, escalated': [12, 1],
  'timer: stale (met)': [5, 0],
  'timer: resolution due': [9, 1],
  'timer: auto-close': [6, 1],
  'notifications, batch of 1': [4, 0],
  'notifications, batch of the rest': [4, 0],
};

describe('round trips of the write path', () => {
  let h: Harness;
  let consumers: INestApplicationContext;
  let bus: CommandBus;
  let lurah: string;
  const runs: Tally[] = [];

  /** Every command `commands` runs from now on is tallied in `runs`. */
  function count(commands: CommandBus): void {
    const execute = commands.execute.bind(commands) as (...args: unknown[]) => Promise<unknown>;
    (commands as { execute: unknown }).execute = (...args: unknown[]) => {
      const tally: Tally = { sql: 0, redis: 0 };
      runs.push(tally);
      return current.run(tally, () => execute(...args));
    };
  }

  /** Runs the named loaders of every provider of `app` whose class has that name outside the count. */
  function uncounted(app: INestApplicationContext, loaders: Record<string, string[]>): void {
    const modules = (app as unknown as { container: { getModules(): Map<string, { providers: Map<unknown, { instance: unknown }> }> } }).container.getModules();
    const found = new Set<string>();
    for (const module of modules.values()) {
      for (const { instance } of module.providers.values()) {
        const name = (instance as object | null)?.constructor?.name ?? '';
        for (const method of loaders[name] ?? []) {
          const target = instance as Record<string, (...args: unknown[]) => unknown>;
          const load = target[method];
          target[method] = (...args: unknown[]) => current.exit(() => load.apply(target, args));
          found.add(name);
        }
      }
    }
    expect([...found].sort()).toEqual(Object.keys(loaders).sort());
  }

  /** The round trips of the one command that `work` runs. */
  async function measure(work: () => Promise<unknown>): Promise<Tally> {
    runs.length = 0;
    await work();
    // A statement sent after execute resolved (none should be) would land here.
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toHaveLength(1);
    return { ...runs[0] };
  }

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { OUTBOX_PUBLISH: 'direct' } });
    consumers = await NestFactory.createApplicationContext(ConsumersModule, { logger: false });
    await consumers.init();
    bus = consumers.get(CommandBus);
    lurah = (await officialIn(h, await loginAdmin(h), 'KEL.36.73.01.1001')).token;
  });
  afterAll(async () => {
    await consumers?.close();
    await h?.close();
  });

  interface Filed {
    tn: string;
    code: string;
    id: string;
    route: RouteRequest;
  }

  async function submit(headers: Record<string, string> = {}): Promise<Filed> {
    const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ reporter: { email: 'warga@example.test' } }), headers });
    expect(res.status).toBe(201);
    const [row]: { id: string; message_id: string }[] = await h.db.query(
      `SELECT c.id, o.id AS message_id FROM complaint c JOIN outbox_message o ON o.job_name = $2 AND o.payload->>'complaintId' = c.id::text WHERE c.tracking_number = $1`,
      [res.body.tracking_number, JobName.RouteComplaint],
    );
    return { tn: res.body.tracking_number, code: res.body.access_code, id: row.id, route: { complaintId: row.id, messageId: row.message_id } };
  }

  async function dispatches(ids: readonly string[]): Promise<AssignRequest[]> {
    const tierOf = new Map<string, Tier>(Object.entries(DISPATCH_JOB).map(([tier, job]) => [job, tier as Tier]));
    const rows: { id: string; job_name: string; payload: { complaintId: string; unitId: string; routingId: string } }[] = await h.db.query(
      `SELECT id, job_name, payload FROM outbox_message WHERE job_name = ANY($1) AND payload->>'complaintId' = ANY($2) ORDER BY payload->>'complaintId'`,
      [[...tierOf.keys()], ids],
    );
    expect(rows.map((r) => r.job_name)).toEqual(ids.map(() => JobName.DispatchToLurah));
    return rows.map((r) => ({ complaintId: r.payload.complaintId, unitId: r.payload.unitId, tier: tierOf.get(r.job_name)!, routingId: r.payload.routingId, messageId: r.id }));
  }

  const ok = async (res: Promise<{ status: number; body: unknown }>) => {
    const answer = await res;
    expect(answer.status).toBe(200);
    return answer;
  };
  const act = (f: Filed, action: string, body: unknown = {}) => ok(call(h, 'POST', `/api/v1/complaints/${f.tn}/${action}`, { token: lurah, body }));
  const resident = (f: Filed, path: string, body: unknown) => ok(call(h, 'POST', `/api/v1/complaints/${f.tn}/${path}`, { headers: { 'x-access-code': f.code }, body }));
  const route = (requests: readonly RouteRequest[]) => bus.execute(new RouteComplaintsCommand(requests, JobName.RouteComplaint));
  const assign = (requests: readonly AssignRequest[]) => bus.execute(new AssignComplaintsCommand(requests, JobName.DispatchToLurah));
  const fire = (timer: FireSlaTimerCommand['timer'], job: JobName, firedAt: Date) => bus.execute(new FireSlaTimerCommand(timer, job, randomUUID(), firedAt));

  /** One pass over every write path; answers the round trips of each. */
  async function pass(): Promise<Record<string, Tally>> {
    const t: Record<string, Tally> = {};
    let first: Filed | undefined;
    t['submit'] = await measure(async () => (first = await submit()));
    let keyed: Filed | undefined;
    t['submit, with an idempotency key'] = await measure(async () => (keyed = await submit({ 'idempotency-key': randomUUID() })));
    const rest: Filed[] = [];
    for (let i = 0; i < 7; i += 1) rest.push(await submit());
    const [c1, c2, c3, c4, c5, t1, t2, t3, t4] = [first!, keyed!, ...rest];
    const batch = [c2, c3, c4, c5, t1, t2, t3, t4];

    t['route, batch of 1'] = await measure(() => route([c1.route]));
    t['route, batch of 8'] = await measure(() => route(batch.map((f) => f.route)));
    t['route, replayed batch of 8'] = await measure(() => route(batch.map((f) => f.route)));
    const [d1] = await dispatches([c1.id]);
    const rest8 = await dispatches(batch.map((f) => f.id));
    t['assign, batch of 1'] = await measure(() => assign([d1]));
    t['assign, batch of 8'] = await measure(() => assign(rest8));
    t['assign, replayed batch of 8'] = await measure(() => assign(rest8));

    t['act: acknowledge'] = await measure(() => act(c1, 'acknowledge', { note: 'Akan dicek besok pagi.' }));
    t['act: resolve'] = await measure(() => act(c1, 'resolve', { resolution: 'Sampah sudah diangkut petugas kebersihan.' }));
    t['resident: feedback, satisfied'] = await measure(() => resident(c1, 'feedback', { satisfied: true, rating: 5 }));
    t['act: request-info'] = await measure(() => act(c2, 'request-info', { question: 'Di RT berapa tepatnya sampah itu?' }));
    t['resident: reply'] = await measure(() => resident(c2, 'replies', { message: 'RT 03 RW 05, dekat musala.' }));
    t['act: forward'] = await measure(() => act(c3, 'forward', { unit: 'KEC.36.73.01', reason: 'Perlu alat berat dari kecamatan.' }));
    t['act: reject'] = await measure(() => act(c4, 'reject', { reason: 'invalid', note: 'Bukan keluhan layanan publik.' }));
    const back = await submit();
    await route([back.route]);
    await assign(await dispatches([back.id]));
    t['act: return'] = await measure(() => act(back, 'return', { reason: 'Bukan wewenang kelurahan ini.' }));
    await act(c5, 'acknowledge');
    await act(c5, 'resolve', { resolution: 'Sampah sudah diangkut petugas kebersihan.' });
    t['resident: feedback, not satisfied'] = await measure(() => resident(c5, 'feedback', { satisfied: false, rating: 1 }));

    const [a1]: { id: string; first_response_due_at: Date }[] = await h.db.query(`SELECT id, first_response_due_at FROM assignment WHERE complaint_id = $1`, [t1.id]);
    const reminder = { kind: 'first-response-reminder' as const, assignmentId: a1.id, dueAt: a1.first_response_due_at };
    t['timer: first-response reminder'] = await measure(() => fire(reminder, JobName.FirstResponseReminder, new Date()));
    t['timer: first-response due, escalated'] = await measure(() =>
      fire({ ...reminder, kind: 'first-response-due' }, JobName.FirstResponseDue, a1.first_response_due_at));
    t['timer: stale (met)'] = await measure(() => fire({ ...reminder, kind: 'first-response-due' }, JobName.FirstResponseDue, a1.first_response_due_at));
    await act(t2, 'acknowledge');
    const [r2]: { resolution_due_at: Date }[] = await h.db.query(`SELECT resolution_due_at FROM complaint WHERE id = $1`, [t2.id]);
    t['timer: resolution due'] = await measure(() =>
      fire({ kind: 'resolution-due', complaintId: t2.id, dueAt: r2.resolution_due_at }, JobName.ResolutionDue, r2.resolution_due_at));
    await act(t3, 'acknowledge');
    await act(t3, 'resolve', { resolution: 'Sampah sudah diangkut petugas kebersihan.' });
    const [r3]: { resolved_at: Date; auto_close_at: Date }[] = await h.db.query(`SELECT resolved_at, auto_close_at FROM complaint WHERE id = $1`, [t3.id]);
    t['timer: auto-close'] = await measure(() =>
      fire({ kind: 'auto-close', complaintId: t3.id, resolvedAt: r3.resolved_at, closeAt: r3.auto_close_at }, JobName.AutoClose, r3.auto_close_at));

    const notices: { id: string }[] = await h.db.query(`SELECT id FROM notification WHERE complaint_id = $1 AND status = 'pending' ORDER BY id`, [t4.id]);
    expect(notices.length).toBeGreaterThanOrEqual(2);
    const requests = notices.map((n) => ({ notificationId: n.id, messageId: randomUUID(), attempt: { made: 0, max: 3 } }));
    const send = (rs: typeof requests) => bus.execute(new SendNotificationsCommand(rs, JobName.SendNotification));
    t['notifications, batch of 1'] = await measure(() => send(requests.slice(0, 1)));
    t['notifications, batch of the rest'] = await measure(() => send(requests.slice(1)));
    return t;
  }

  it('keeps the SQL statements and Redis commands of each handler and batch', async () => {
    count(h.api.get(CommandBus));
    count(bus);
    const caches = { IntakeReferences: ['load'], ConflictReferences: ['load'], SlaDeadlinePolicy: ['loadPolicies', 'loadBook'] };
    uncounted(h.api, caches);
    uncounted(consumers, { ConflictReferences: ['load'], SlaDeadlinePolicy: ['loadPolicies', 'loadBook'] });
    // The first pass fills the caches (references, calendars) and loads BullMQ's scripts.
    await pass();
    const counts = await pass();
    expect(Object.fromEntries(Object.entries(counts).map(([name, t]) => [name, [t.sql, t.redis]]))).toEqual(ROUND_TRIPS);
  });
});
