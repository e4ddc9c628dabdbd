import {
  AppConfig, APP_CONFIG, ConfigModule, createRedis, DatabaseModule, envelopeJobId, insertOutboxSql, JobName, OutboxMessage, outboxMessage, OutboxNotifier,
  OutboxPublisher, OutboxReconciler, OutboxRelay, QueueModule, QueueName, QueueRegistry, RedisModule, SqlStatement, timerJobId,
} from '@aduan/platform';
import { Test, TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { carriedMessageIds } from '../support/jobs';
import { useTestEnvironment } from '../support/test-env';

/** Publishing after commit (OUTBOX_PUBLISH) and its safety nets, on real PostgreSQL and Redis. */
describe('outbox publisher', () => {
  let moduleRef: TestingModule;
  let db: DataSource;
  let queues: QueueRegistry;
  let publisher: OutboxPublisher;

  /** `withRelay`: the process runs the relay, as the worker does (the api does not). */
  async function start(env: Record<string, string> = {}, withRelay = true) {
    useTestEnvironment(env);
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule.forRoot('aduan-test'), RedisModule, QueueModule],
      providers: withRelay ? [OutboxRelay, OutboxReconciler] : [],
    }).compile();
    await moduleRef.init();
    db = moduleRef.get(DataSource);
    queues = moduleRef.get(QueueRegistry);
    publisher = moduleRef.get(OutboxPublisher);
    // Rows other files left behind are out of the relay's and the reconciler's reach (30 days).
    await db.query(`UPDATE outbox_message SET published_at = now() - interval '40 days'`);
  }

  /** Writes the rows as a writer of this process does: in a transaction, marked for direct publishing when it is on. */
  async function write(messages: OutboxMessage[], direct = publisher.direct): Promise<string[]> {
    const s = new SqlStatement();
    await db.transaction((m) => m.query(insertOutboxSql(s, messages, direct), s.params));
    return messages.map((m) => m.id);
  }

  const routingMessages = (n: number) => Array.from({ length: n }, () => outboxMessage(JobName.RouteComplaint, { complaintId: randomUUID() }));

  async function unpublished(ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await db.query(`SELECT id FROM outbox_message WHERE id = ANY($1) AND published_at IS NULL`, [ids]);
    return rows.map((r) => r.id).sort();
  }

  /** The outbox ids the waiting routing jobs carry (see withCarriers). */
  async function routedMessageIds(): Promise<string[]> {
    return carriedMessageIds(await queues.queue(QueueName.Routing).getJobs(['waiting']));
  }

  afterEach(async () => {
    await Promise.all(Object.values(QueueName).map((q) => queues.queue(q).obliterate({ force: true })));
    await moduleRef.close();
  });

  it('in the process that runs the relay, adds the committed rows at once, in the one envelope job the rows name, and leaves the relay nothing to do', async () => {
    await start();
    expect(publisher.direct).toBe(true);
    const messages = routingMessages(5);
    const ids = await write(messages);
    expect(await unpublished(ids)).toEqual([]);
    const carriers: { job_id: string }[] = await db.query(`SELECT DISTINCT job_id FROM outbox_message WHERE id = ANY($1)`, [ids]);
    expect(carriers).toEqual([{ job_id: envelopeJobId(ids) }]);
    await publisher.committed(messages);
    expect(await routedMessageIds()).toEqual([...ids].sort());
    expect((await queues.queue(QueueName.Routing).getJobs(['waiting'])).map((j) => j.id)).toEqual([envelopeJobId(ids)]);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(0);
    // A second hand-over (a retried writer) is the same job, not a new one.
    await publisher.committed(messages);
    expect(await queues.queue(QueueName.Routing).count()).toBe(1);
  });

  it('leaves timers to the relay: they are written unpublished and get no job from the writer', async () => {
    await start();
    const assignmentId = randomUUID();
    const dueAt = new Date(Date.now() + 2 * 3600_000);
    const timer = outboxMessage(JobName.FirstResponseDue, { assignmentId }, { jobId: timerJobId.firstResponseDue(assignmentId, dueAt), deliverAt: dueAt });
    const [now] = routingMessages(1);
    await write([now, timer]);
    await publisher.committed([now, timer]);
    expect(await unpublished([now.id, timer.id])).toEqual([timer.id]);
    expect(await queues.queue(QueueName.Sla).count()).toBe(0);
    expect(await routedMessageIds()).toEqual([now.id]);
  });

  it('a writer that died between its commit and the add: the reconciler finds its rows and the relay adds them', async () => {
    await start({ OUTBOX_STALE_SECONDS: '1' });
    // Committed as published by a process that never got to add the jobs.
    const ids = await write(routingMessages(3));
    expect(await unpublished(ids)).toEqual([]);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(0);
    await db.query(`UPDATE outbox_message SET published_at = now() - interval '5 seconds' WHERE id = ANY($1)`, [ids]);
    expect(await moduleRef.get(OutboxReconciler).reconcile()).toBe(3);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(3);
    expect(await routedMessageIds()).toEqual([...ids].sort());
  });

  it('Redis not answering: the rows go back to the relay, which adds them once Redis is there', async () => {
    await start();
    const config = moduleRef.get<AppConfig>(APP_CONFIG);
    // Nothing listens on port 1: every command waits, as it does while Redis restarts.
    const deadRedis = createRedis('redis://127.0.0.1:1', 'aduan-test-dead');
    deadRedis.on('error', () => undefined);
    const deadQueues = new QueueRegistry(deadRedis, config);
    try {
      const cut = new OutboxPublisher(db, moduleRef.get(OutboxNotifier), config, deadQueues);
      cut.relayIsHere(); // as the worker's relay does at start
      expect(cut.direct).toBe(true);
      for (const q of Object.values(QueueName)) deadQueues.queue(q).on('error', () => undefined);
      const messages = routingMessages(2);
      const ids = await write(messages, cut.direct);
      expect(await unpublished(ids)).toEqual([]);
      await cut.committed(messages);
      expect(await unpublished(ids)).toEqual([...ids].sort());
      // Out of their envelope: the relay chooses them a carrier again.
      expect(await db.query(`SELECT DISTINCT job_id FROM outbox_message WHERE id = ANY($1)`, [ids])).toEqual([{ job_id: null }]);
    } finally {
      await deadQueues.onApplicationShutdown().catch(() => undefined);
      deadRedis.disconnect();
    }
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(2);
    expect((await routedMessageIds()).length).toBe(2);
  });

  it.each([
    ['with OUTBOX_PUBLISH=relay', { OUTBOX_PUBLISH: 'relay' }, true],
    ['in a process without the relay (the api)', {}, false],
  ])('%s, writes rows unpublished and only wakes the relay, which adds them', async (_, env: Record<string, string>, withRelay: boolean) => {
    await start(env, withRelay);
    expect(publisher.direct).toBe(false);
    const messages = routingMessages(2);
    const ids = await write(messages);
    await publisher.committed(messages);
    expect(await unpublished(ids)).toEqual([...ids].sort());
    expect(await queues.queue(QueueName.Routing).count()).toBe(0);
    const relay = withRelay ? moduleRef.get(OutboxRelay) : new OutboxRelay(queues, moduleRef.get<AppConfig>(APP_CONFIG));
    expect(await relay.drain().finally(() => (withRelay ? undefined : relay.stop()))).toBe(2);
    expect(await routedMessageIds()).toEqual([...ids].sort());
  });

  it('with OUTBOX_PUBLISH=direct, a process without the relay (the api) adds its own jobs too', async () => {
    await start({ OUTBOX_PUBLISH: 'direct' }, false);
    expect(publisher.direct).toBe(true);
    const messages = routingMessages(2);
    const ids = await write(messages);
    await publisher.committed(messages);
    expect(await unpublished(ids)).toEqual([]);
    expect(await routedMessageIds()).toEqual([...ids].sort());
  });
});
