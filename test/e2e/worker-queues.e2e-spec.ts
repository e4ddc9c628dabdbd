import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueueName, QueueRegistry } from '@aduan/platform';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { call, complaintBody, eventually, Harness, startHarness } from '../support/harness';

/**
 * WORKER_QUEUES splits the queues across deployments: a worker runs only the queues it lists, two
 * deployments that list all of them between them carry every complaint through, and workers
 * running the same queues side by side never do one job twice (checked in PostgreSQL). Its
 * complaints are about a kelurahan of Taktakan no other file uses.
 */
describe('workers: WORKER_QUEUES and more than one worker', () => {
  let h: Harness;
  const workers: INestApplicationContext[] = [];
  const REST = 'lurah,camat,opd,inspektorat,sla,notification,audit';

  /** A worker with its own WORKER_QUEUES, on the file's queues (configuration is read at boot). */
  async function worker(queues: string): Promise<INestApplicationContext> {
    const before = process.env.WORKER_QUEUES;
    process.env.WORKER_QUEUES = queues;
    try {
      const w = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
      await w.init();
      workers.push(w);
      return w;
    } finally {
      process.env.WORKER_QUEUES = before;
    }
  }
  async function stop(w: INestApplicationContext): Promise<void> {
    await w.close();
    workers.splice(workers.indexOf(w), 1);
  }

  async function file(n: number): Promise<string[]> {
    const numbers: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ kelurahan: '36.73.06.1004', description: `Uji pembagian antrean ${i}: lampu jalan mati sejak kemarin.` }) });
      expect(res.status).toBe(201);
      numbers.push(res.body.tracking_number);
    }
    return numbers;
  }

  /** Per complaint: its assignments, routing decisions and assignment audit entries. */
  async function ledger(numbers: string[]): Promise<{ tn: string; status: string; assignments: number; routed: number; assigned: number }[]> {
    return h.db.query(
      `SELECT c.tracking_number AS tn, c.status,
              (SELECT count(*)::int FROM assignment a WHERE a.complaint_id = c.id) AS assignments,
              (SELECT count(*)::int FROM audit_entry e WHERE e.stream = 'complaint:' || c.id AND e.event = 'complaint.routed') AS routed,
              (SELECT count(*)::int FROM audit_entry e WHERE e.stream = 'complaint:' || c.id AND e.event = 'complaint.assigned') AS assigned
         FROM complaint c WHERE c.tracking_number = ANY($1) ORDER BY c.tracking_number`,
      [numbers],
    );
  }
  /** Jobs waiting (or running) on the tier queues, where dispatch goes, or on the routing queue. */
  async function waiting(which: 'tiers' | 'routing'): Promise<number> {
    const queues = which === 'routing' ? [QueueName.Routing] : [QueueName.Lurah, QueueName.Camat, QueueName.Opd, QueueName.Inspektorat];
    const counts = await Promise.all(queues.map((q) => h.api.get(QueueRegistry).queue(q).getJobCounts('waiting', 'prioritized', 'active')));
    return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
  }

  /** Outbox rows of a kind for these complaints that are already in BullMQ. */
  async function published(kind: string, numbers: string[]): Promise<number> {
    const [{ n }]: { n: number }[] = await h.db.query(
      `SELECT count(*)::int AS n FROM outbox_message o JOIN complaint c ON c.id = (o.payload->>'complaintId')::uuid
        WHERE c.tracking_number = ANY($1) AND o.job_name LIKE '%.' || $2 AND o.published_at IS NOT NULL`,
      [numbers, kind],
    );
    return n;
  }

  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(async () => {
    for (const w of [...workers]) await stop(w);
    await h.close();
  });

  it('a routing-only worker routes but never dispatches to a tier queue; the other deployment takes the rest', async () => {
    const routingOnly = await worker('routing');
    const numbers = await file(3);
    await eventually(async () => (await ledger(numbers)).every((r) => r.routed === 1), 15_000, 'the routing decisions');
    // Every dispatch is published (a job may carry several: the consumers batch).
    await eventually(async () => (await published('dispatch-complaint', numbers)) === 3 && (await waiting('tiers')) > 0, 5_000, 'the dispatch jobs waiting');
    // Given time, the routing-only worker still has not touched the lurah queue.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await ledger(numbers)).map((r) => r.assignments)).toEqual([0, 0, 0]);
    expect(await waiting('tiers')).toBeGreaterThan(0);

    const rest = await worker(REST);
    await eventually(async () => (await ledger(numbers)).every((r) => r.assignments === 1), 15_000, 'the assignments');
    await h.quiet();
    for (const row of await ledger(numbers)) expect(row).toMatchObject({ status: 'routed', assignments: 1, routed: 1, assigned: 1 });

    // And the other way round: without the routing deployment, nothing is routed.
    await stop(routingOnly);
    const later = await file(2);
    await eventually(async () => (await published('route-complaint', later)) === 2 && (await waiting('routing')) > 0, 5_000, 'the routing jobs waiting');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await ledger(later)).map((r) => [r.status, r.routed])).toEqual([['submitted', 0], ['submitted', 0]]);
    await worker('routing');
    await eventually(async () => (await ledger(later)).every((r) => r.assignments === 1), 15_000, 'the later complaints placed');
    await stop(rest);
  });

  it('three workers on every queue handle each complaint exactly once', async () => {
    for (const w of [...workers]) await stop(w);
    await Promise.all([worker('all'), worker('all'), worker('all')]);
    const numbers = await file(60);
    await eventually(async () => (await ledger(numbers)).every((r) => r.assignments >= 1), 30_000, 'every complaint in an inbox');
    await h.quiet();
    const rows = await ledger(numbers);
    expect(rows).toHaveLength(60);
    for (const row of rows) expect(row).toMatchObject({ status: 'routed', assignments: 1, routed: 1, assigned: 1 });
  });
});
