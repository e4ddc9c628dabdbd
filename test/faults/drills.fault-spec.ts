import { startOwnRedis, OwnRedis } from '../support/redis-server';
import { DrillSystem, expectSound, FULL, Gateway, prepareDatabase, runDrill, terminateBackends } from './support/drill';

/**
 * Fault drills against the api and a worker as real processes (the built dist), on a Redis server
 * of this file's own and a database of its own on the shared PostgreSQL (the restart of
 * PostgreSQL itself is in postgres-restart.fault-spec.ts, on a cluster of its own). Each drill
 * submits at a steady rate, injects its fault mid-stream, waits for quiet and checks PostgreSQL.
 * `npm test` runs one drill per kind of fault; FAULTS=all (`npm run test:faults`) runs them all.
 */
jest.setTimeout(240_000);
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

  full.each(['aduan-api', 'aduan-worker', 'aduan-outbox-relay', 'aduan-outbox-listener'])('the %s connections alone terminated mid-stream (full set only: npm run test:faults)', async (kind) => {
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
  }, 240_000);

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
});
