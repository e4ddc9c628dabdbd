import { complaintStream } from '@aduan/audit';
import { insertOutboxSql, JobName, outboxMessage, QueueName, QueueRegistry, SqlStatement } from '@aduan/platform';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { call, complaintBody, eventually, Harness, startHarness } from '../support/harness';
import { TEST_REDIS_URL } from '../support/test-env';

async function pipelineCounts(h: Harness, trackingNumbers: string[]) {
  return h.db.query(
    `SELECT c.tracking_number, c.status,
            (SELECT count(*)::int FROM assignment a WHERE a.complaint_id = c.id) AS assignments,
            (SELECT count(*)::int FROM audit_entry e WHERE e.stream = 'complaint:' || c.id) AS audit_entries
       FROM complaint c WHERE c.tracking_number = ANY($1) ORDER BY c.tracking_number`,
    [trackingNumbers],
  ) as Promise<{ tracking_number: string; status: string; assignments: number; audit_entries: number }[]>;
}

async function submitMany(h: Harness, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ description: `Lampu jalan mati di gang ${i}, gelap sekali pada malam hari.` }) });
    expect(res.status).toBe(201);
    out.push(res.body.tracking_number);
  }
  return out;
}

function expectExactlyOnce(rows: { status: string; assignments: number; audit_entries: number }[], n: number) {
  expect(rows).toHaveLength(n);
  for (const row of rows) expect(row).toMatchObject({ status: 'routed', assignments: 1, audit_entries: 3 });
}

describe('nothing is lost, nothing is doubled', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { OUTBOX_STALE_SECONDS: '1', OUTBOX_RECONCILE_MS: '300' } });
  });
  afterAll(() => h.close());

  it('keeps complaints filed while the worker is down and delivers each exactly once after it starts', async () => {
    const tns = await submitMany(h, 20);
    expect((await pipelineCounts(h, tns)).every((r) => r.status === 'submitted' && r.assignments === 0)).toBe(true);
    await h.startWorker();
    await h.quiet();
    expectExactlyOnce(await pipelineCounts(h, tns), 20);
  });

  it('survives a worker restart in the middle of a burst', async () => {
    const first = submitMany(h, 15);
    await new Promise((r) => setTimeout(r, 30));
    await h.stopWorker();
    const tns = await first;
    await h.startWorker();
    await h.quiet();
    expectExactlyOnce(await pipelineCounts(h, tns), 15);
  });

  it('rebuilds jobs that Redis lost after they were published, from PostgreSQL', async () => {
    await h.stopWorker();
    const tns = await submitMany(h, 10);
    // Publish the outbox to Redis with no consumer running, then lose Redis's copy of the queues.
    const { OutboxRelay } = await import('@aduan/platform');
    const relay = new OutboxRelay(h.api.get(QueueRegistry), { ...(await import('@aduan/platform')).loadConfig(), OUTBOX_BATCH_SIZE: 100 });
    expect(await relay.drain().finally(() => relay.stop())).toBeGreaterThanOrEqual(10);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${h.queuePrefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    expect(await h.api.get(QueueRegistry).queue(QueueName.Routing).count()).toBe(0);
    await h.startWorker();
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await pipelineCounts(h, tns)).some((r) => r.assignments === 0)) await new Promise((r) => setTimeout(r, 100));
    await h.quiet();
    expectExactlyOnce(await pipelineCounts(h, tns), 10);
  });

  it('does nothing the second time a job is delivered, under its own id or as a re-sent copy', async () => {
    const [tn] = await submitMany(h, 1);
    await h.quiet();
    const [{ id }]: { id: string }[] = await h.db.query(`SELECT id FROM complaint WHERE tracking_number = $1`, [tn]);
    const [outbox]: { id: string }[] = await h.db.query(`SELECT id FROM outbox_message WHERE job_name = $1 AND payload->>'complaintId' = $2`, [JobName.RouteComplaint, id]);
    const routing = h.api.get(QueueRegistry).queue(QueueName.Routing);
    // The same message again (a relay that crashed before its commit): same job id, new job id.
    await routing.add(JobName.RouteComplaint, { complaintId: id }, { jobId: `${outbox.id}` });
    await routing.add(JobName.RouteComplaint, { complaintId: id }, { jobId: `${outbox.id}-copy` });
    await h.quiet();
    expectExactlyOnce(await pipelineCounts(h, [tn]), 1);
    const events: { event: string }[] = await h.db.query(`SELECT event FROM audit_entry WHERE stream = $1 ORDER BY seq`, [complaintStream(id)]);
    expect(events.map((e) => e.event)).toEqual(['complaint.submitted', 'complaint.routed', 'complaint.assigned']);
  });

  // Last in this file: the bad job keeps retrying with backoff until the harness closes.
  it('fails a message that names no complaint on its own; the messages that arrived with it are each routed and assigned once', async () => {
    await h.stopWorker();
    const tns = await submitMany(h, 12);
    // A routing message for a complaint that does not exist, waiting in the outbox with the
    // twelve: the relay sends them in one envelope job, the worker takes them together, and the
    // batch they land in fails; the batcher then runs them one by one (the split itself is in
    // micro-batcher.spec.ts), and only the bad one fails its job.
    const poison = outboxMessage(JobName.RouteComplaint, { complaintId: randomUUID() });
    const s = new SqlStatement();
    await h.db.query(insertOutboxSql(s, [poison]), s.params);
    await h.startWorker();
    await eventually(async () => (await pipelineCounts(h, tns)).every((r) => r.assignments === 1), 15_000, 'the twelve in their inbox');
    const job = await eventually(async () => {
      const [{ carrier }]: { carrier: string | null }[] = await h.db.query(`SELECT job_id AS carrier FROM outbox_message WHERE id = $1`, [poison.id]);
      const j = await h.api.get(QueueRegistry).queue(QueueName.Routing).getJob(carrier ?? poison.id);
      return j && j.attemptsMade >= 1 ? j : null;
    }, 15_000, 'the bad job to fail');
    // The job's error is the bad message's own, not the batch's.
    expect(job.failedReason).toContain('does not exist');
    expect(await h.db.query(`SELECT 1 FROM processed_message WHERE message_id = $1`, [poison.id])).toEqual([]);
    // Each of the twelve was routed once and is not routed again when the job is retried.
    const [{ claims }]: { claims: number }[] = await h.db.query(
      `SELECT count(*)::int AS claims FROM processed_message p JOIN outbox_message o ON p.message_id = o.id::text AND p.consumer = o.job_name
        JOIN complaint c ON c.id = (o.payload->>'complaintId')::uuid WHERE o.job_name = $1 AND c.tracking_number = ANY($2)`,
      [JobName.RouteComplaint, tns],
    );
    expect(claims).toBe(12);
    await eventually(async () => {
      const j = await h.api.get(QueueRegistry).queue(QueueName.Routing).getJob(job.id!);
      return j && j.attemptsMade >= 2 ? j : null;
    }, 15_000, 'the bad job to be retried');
    expectExactlyOnce(await pipelineCounts(h, tns), 12);
  });
});

describe.each([
  ['relay', 'every row through the relay: the jobs wait in the outbox', 0, 10],
  ['direct', 'the api adds its own jobs too: they wait in BullMQ', 10, 0],
])('nothing is lost with OUTBOX_PUBLISH=%s (%s)', (mode, _, jobsWhileDown, unpublishedWhileDown) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { OUTBOX_PUBLISH: mode } });
  });
  afterAll(() => h.close());

  it('keeps complaints filed while the worker is down and delivers each exactly once after it starts', async () => {
    const tns = await submitMany(h, 10);
    expect(await h.api.get(QueueRegistry).queue(QueueName.Routing).count()).toBe(jobsWhileDown);
    const [{ n }]: { n: string }[] = await h.db.query(
      `SELECT count(*) AS n FROM outbox_message o JOIN complaint c ON c.id = (o.payload->>'complaintId')::uuid
        WHERE o.published_at IS NULL AND c.tracking_number = ANY($1)`,
      [tns],
    );
    expect(Number(n)).toBe(unpublishedWhileDown);
    await h.startWorker();
    await h.quiet();
    expectExactlyOnce(await pipelineCounts(h, tns), 10);
  });
});

describe('a clean stop of the worker, with the reconciler out of reach', () => {
  let h: Harness;

  beforeAll(async () => {
    // Published rows whose job is missing would wait an hour for the reconciler: this checks the stop itself.
    h = await startHarness({ worker: false, env: { OUTBOX_STALE_SECONDS: '3600', OUTBOX_RECONCILE_MS: '3600000' } });
  });
  afterAll(() => h.close());

  it('adds the jobs its last batches committed before it exits, so every complaint of the burst reaches an inbox once', async () => {
    await h.startWorker();
    const burst = submitMany(h, 25);
    await new Promise((r) => setTimeout(r, 40));
    await h.stopWorker();
    const tns = await burst;
    await h.startWorker();
    await h.quiet();
    expectExactlyOnce(await pipelineCounts(h, tns), 25);
  });
});
