import { ALL_QUEUES, beat, REDIS } from '@aduan/platform';
import type { Redis } from 'ioredis';
import { call, complaintBody, eventually, Harness, startHarness } from '../support/harness';

/** A kelurahan no other test file uses: a full run's other files fill the busy inboxes' first pages. */
const KELURAHAN = '36.73.06.1005';

type Check = { name: string; status: string; detail?: string };
const checkOf = (body: { checks: Check[] }, name: string) => body.checks.find((c) => c.name === name);

describe('/health/ready: the worker’s heartbeat and the outbox’s lag', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { WORKER_HEARTBEAT_TIMEOUT_SECONDS: '2', OUTBOX_LAG_READY_SECONDS: '2' } });
  });
  afterAll(() => h.close());

  it('is ready while a worker takes jobs from every queue and the outbox keeps up', async () => {
    const ready = await call(h, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.map((c: Check) => c.name)).toEqual(['postgresql', 'redis', 'worker', 'outbox', 'calendar']);
    expect(checkOf(ready.body, 'worker')).toEqual({ name: 'worker', status: 'ok' });
    expect(checkOf(ready.body, 'outbox')).toEqual({ name: 'outbox', status: 'ok' });
  });

  it('is not ready once the worker stops, and names the queues and the outbox lag; /health stays up', async () => {
    await h.stopWorker();
    try {
      const stopped = await call(h, 'GET', '/health/ready');
      expect(stopped.status).toBe(503);
      expect(stopped.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(stopped.body.detail).toBe('Not ready: worker.');
      expect(checkOf(stopped.body, 'worker')).toEqual({ name: 'worker', status: 'fail', detail: `No worker has taken jobs from ${ALL_QUEUES.join(', ')} in the last 2 s.` });
      expect((await call(h, 'GET', '/health')).status).toBe(200);

      // Filed while no relay runs: its outbox row waits, and past the threshold readiness says so.
      expect((await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ kelurahan: KELURAHAN }) })).status).toBe(201);
      const lagging = await eventually(async () => {
        const res = await call(h, 'GET', '/health/ready');
        return checkOf(res.body, 'outbox')?.status === 'fail' ? res : null;
      }, 10_000, 'the outbox check to fail');
      expect(lagging.status).toBe(503);
      expect(lagging.body.detail).toBe('Not ready: worker, outbox.');
      expect(checkOf(lagging.body, 'outbox')!.detail).toMatch(/^The oldest due outbox row has waited \d+ s to be published \(over 2 s\)\.$/);
    } finally {
      await h.startWorker();
    }
    // The worker catches up: every check is ok again.
    await h.quiet();
    const back = await eventually(async () => {
      const res = await call(h, 'GET', '/health/ready');
      return res.status === 200 ? res : null;
    }, 10_000, 'readiness to come back');
    expect(checkOf(back.body, 'worker')!.status).toBe('ok');
    expect(checkOf(back.body, 'outbox')!.status).toBe('ok');
  });

  it('counts a worker that went away without a word as down once its last beat is older than the timeout', async () => {
    await h.stopWorker();
    try {
      // A process killed mid-run leaves its last beats behind instead of withdrawing them.
      await beat(h.api.get<Redis>(REDIS), h.queuePrefix, 'killed-worker', ALL_QUEUES);
      const fresh = await call(h, 'GET', '/health/ready');
      expect(checkOf(fresh.body, 'worker')).toEqual({ name: 'worker', status: 'ok' });
      await new Promise((r) => setTimeout(r, 2500));
      const stale = await call(h, 'GET', '/health/ready');
      expect(stale.status).toBe(503);
      expect(checkOf(stale.body, 'worker')!.status).toBe('fail');
    } finally {
      await h.startWorker();
    }
  });
});
