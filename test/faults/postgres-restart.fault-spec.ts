import { OwnPostgres, startOwnPostgres } from '../support/postgres-cluster';
import { OwnRedis, startOwnRedis } from '../support/redis-server';
import { DrillSystem, expectSound, Gateway, prepareDatabase, runDrill } from './support/drill';

/**
 * PostgreSQL restarted under the api and a worker (real processes): on a cluster of this file's
 * own (initdb + pg_ctl on a free port), never the shared server. While it is down, submissions
 * answer 503 with Retry-After; afterwards every pool, the relay and its listener reconnect.
 */
jest.setTimeout(240_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault drills (own PostgreSQL cluster)', () => {
  let cluster: OwnPostgres;
  let redis: OwnRedis;
  let db: ReturnType<typeof prepareDatabase>;
  const gateway = new Gateway();
  let system: DrillSystem;

  beforeAll(async () => {
    cluster = await startOwnPostgres();
    db = prepareDatabase('faults_pg', cluster);
    redis = await startOwnRedis(['--maxmemory-policy', 'noeviction']);
    await gateway.start();
    system = new DrillSystem({ name: 'pg-restart', db, redis, gateway });
    await system.startApi();
    await system.startWorker();
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
    await gateway.stop();
    cluster?.destroy();
  }, 60_000);

  it('PostgreSQL restart (fast shutdown, 3 s down) mid-stream: 503 meanwhile, then everything reconnects', async () => {
    const v = await runDrill({
      name: 'PostgreSQL restart',
      system,
      url: db.admin,
      gateway,
      seconds: 9,
      fault: async () => {
        cluster.stop();
        await sleep(3000);
        cluster.start();
      },
    });
    expect(system.api.alive && system.workers[0].alive).toBe(true);
    expect(v.statuses['503'] ?? 0).toBeGreaterThan(0);
    expectSound(v, { allowNoticeRepeats: true });
  });
});
