import { AssignComplaintsCommand, AssignRequest } from '@aduan/complaints';
import type { Tier } from '@aduan/directory';
import { BatchOutcome, JobName } from '@aduan/platform';
import { DISPATCH_JOB, RouteComplaintsCommand, RouteRequest } from '@aduan/routing';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { call, complaintBody, Harness, startHarness, writeCounts } from '../support/harness';

interface AuditRow {
  id: string;
  stream: string;
  seq: number;
  event: string;
  prev_hash: string | null;
  hash: string;
}

interface DispatchRow {
  id: string;
  job_name: string;
  payload: { complaintId: string; unitId: string; routingId: string };
}

const TIER_OF_JOB = new Map<string, Tier>(Object.entries(DISPATCH_JOB).map(([tier, job]) => [job, tier as Tier]));

/**
 * The batched routing and dispatch handlers against real PostgreSQL, driven through the CommandBus.
 * The api module already imports RoutingModule and ComplaintsModule under CqrsModule.forRoot(), so
 * its bus has both handlers, and the api runs neither an outbox relay nor BullMQ workers: nothing
 * but these tests consumes the rows the handlers write, and the batches are exactly the ones built here.
 */
describe('batched routing and dispatch consumers', () => {
  let h: Harness;
  let bus: CommandBus;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    bus = h.api.get(CommandBus);
  });
  afterAll(() => h.close());

  /** Files `n` complaints over HTTP; answers their ids and the ids of their route-complaint outbox rows. */
  async function submit(n: number): Promise<RouteRequest[]> {
    const responses = await Promise.all(Array.from({ length: n }, () => call(h, 'POST', '/api/v1/complaints', { body: complaintBody() })));
    expect(responses.map((r) => r.status)).toEqual(Array(n).fill(201));
    const trackingNumbers = responses.map((r) => r.body.tracking_number as string);
    const rows: { tracking_number: string; complaint_id: string; message_id: string }[] = await h.db.query(
      `SELECT c.tracking_number, c.id AS complaint_id, o.id AS message_id
         FROM complaint c JOIN outbox_message o ON o.job_name = $2 AND o.payload->>'complaintId' = c.id::text
        WHERE c.tracking_number = ANY($1)`,
      [trackingNumbers, JobName.RouteComplaint],
    );
    const byNumber = new Map(rows.map((r) => [r.tracking_number, { complaintId: r.complaint_id, messageId: r.message_id }]));
    return trackingNumbers.map((tn) => byNumber.get(tn)!);
  }

  const route = (requests: readonly RouteRequest[]) => bus.execute(new RouteComplaintsCommand(requests, JobName.RouteComplaint));

  async function auditOf(complaintIds: readonly string[]): Promise<Map<string, AuditRow[]>> {
    const rows: AuditRow[] = await h.db.query(
      `SELECT id, stream, seq, event, prev_hash, hash FROM audit_entry WHERE stream = ANY($1) ORDER BY stream, seq`,
      [complaintIds.map((id) => `complaint:${id}`)],
    );
    const out = new Map<string, AuditRow[]>(complaintIds.map((id) => [id, []]));
    for (const row of rows) out.get(row.stream.slice('complaint:'.length))!.push(row);
    return out;
  }

  async function dispatchesOf(complaintIds: readonly string[]): Promise<DispatchRow[]> {
    return h.db.query(
      `SELECT id, job_name, payload FROM outbox_message WHERE job_name = ANY($1) AND payload->>'complaintId' = ANY($2) ORDER BY created_at, id`,
      [[...TIER_OF_JOB.keys()], complaintIds],
    );
  }

  /** An unbroken chain: seq 1, 2, 3…, the first without a predecessor, each naming the hash before it. */
  function expectUnbrokenChain(entries: readonly AuditRow[]): void {
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.map((e) => e.prev_hash)).toEqual([null, ...entries.slice(0, -1).map((e) => e.hash)]);
  }

  const values = <R>(outcomes: BatchOutcome<R>[]) => outcomes.map((o) => (o.ok ? o.value : o.error));

  it('routes a batch of 20 complaints in one command, chaining each decision onto its complaint', async () => {
    const requests = await submit(20);
    const ids = requests.map((r) => r.complaintId);
    expect(values(await route(requests))).toEqual(Array(20).fill('routed'));

    const audit = await auditOf(ids);
    for (const id of ids) {
      const entries = audit.get(id)!;
      expect(entries.map((e) => e.event)).toEqual(['complaint.submitted', 'complaint.routed']);
      expect(entries[1].prev_hash).toBe(entries[0].hash);
      expectUnbrokenChain(entries);
    }
    const dispatches = await dispatchesOf(ids);
    expect(dispatches.map((d) => d.payload.complaintId).sort()).toEqual([...ids].sort());
    // Each dispatch carries out the decision recorded in its complaint's chain.
    for (const d of dispatches) expect(d.payload.routingId).toBe(audit.get(d.payload.complaintId)![1].id);
  });

  it('answers duplicate for every request of a batch run again, and writes nothing', async () => {
    const requests = await submit(10);
    expect(values(await route(requests))).toEqual(Array(10).fill('routed'));
    const before = await writeCounts(h.db);
    expect(values(await route(requests))).toEqual(Array(10).fill('duplicate'));
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('rejects a batch naming a complaint that does not exist as a whole, leaving no trace', async () => {
    const requests = await submit(4);
    const before = await writeCounts(h.db);
    const ghost = { complaintId: randomUUID(), messageId: randomUUID() };
    await expect(route([...requests.slice(0, 2), ghost, ...requests.slice(2)])).rejects.toThrow(`complaint ${ghost.complaintId} does not exist`);
    expect(await writeCounts(h.db)).toEqual(before);
    // The claims rolled back with the batch: the same messages still route.
    expect(values(await route(requests))).toEqual(Array(4).fill('routed'));
  });

  it('assigns each routed complaint exactly once from its dispatch rows, and answers duplicate on a replay', async () => {
    const requests = await submit(8);
    const ids = requests.map((r) => r.complaintId);
    await route(requests);
    const dispatches = await dispatchesOf(ids);
    expect(dispatches).toHaveLength(8);

    // One command per job name, as each tier queue's batcher sends them.
    const byJob = new Map<string, AssignRequest[]>();
    for (const d of dispatches) {
      const tier = TIER_OF_JOB.get(d.job_name)!;
      const list = byJob.get(d.job_name) ?? [];
      list.push({ complaintId: d.payload.complaintId, unitId: d.payload.unitId, tier, routingId: d.payload.routingId, messageId: d.id });
      byJob.set(d.job_name, list);
    }
    const assign = () => Promise.all([...byJob].map(async ([job, batch]) => values(await bus.execute(new AssignComplaintsCommand(batch, job)))));

    expect((await assign()).flat()).toEqual(Array(8).fill('assigned'));
    const assignments: { complaint_id: string; unit_id: string; routing_id: string }[] = await h.db.query(
      `SELECT complaint_id, unit_id, routing_id FROM assignment WHERE complaint_id = ANY($1)`,
      [ids],
    );
    expect(assignments.map((a) => a.complaint_id).sort()).toEqual([...ids].sort());
    for (const d of dispatches) {
      expect(assignments.find((a) => a.complaint_id === d.payload.complaintId)).toEqual({ complaint_id: d.payload.complaintId, unit_id: d.payload.unitId, routing_id: d.payload.routingId });
    }
    const statuses: { status: string }[] = await h.db.query(`SELECT status FROM complaint WHERE id = ANY($1)`, [ids]);
    expect(statuses.map((s) => s.status)).toEqual(Array(8).fill('routed'));

    const before = await writeCounts(h.db);
    expect((await assign()).flat()).toEqual(Array(8).fill('duplicate'));
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('runs two overlapping batches at once without deadlock, each request adding one link to an unbroken chain', async () => {
    const complaints = (await submit(15)).map((r) => r.complaintId);
    const batchA = complaints.slice(0, 10).map((complaintId) => ({ complaintId, messageId: randomUUID() }));
    const batchB = complaints.slice(5, 15).map((complaintId) => ({ complaintId, messageId: randomUUID() }));

    const [a, b] = await Promise.all([route(batchA), route(batchB)]);
    expect(values(a)).toEqual(Array(10).fill('routed'));
    expect(values(b)).toEqual(Array(10).fill('routed'));

    const audit = await auditOf(complaints);
    complaints.forEach((id, i) => {
      const entries = audit.get(id)!;
      const requested = (i < 10 ? 1 : 0) + (i >= 5 ? 1 : 0);
      expect(entries.map((e) => e.event)).toEqual(['complaint.submitted', ...Array(requested).fill('complaint.routed')]);
      expectUnbrokenChain(entries);
    });
  });
});
