import { JobName } from '@aduan/platform';
import { addWorkingDays, localDate, RearmDeadlinesCommand, SlaDeadlinePolicy } from '@aduan/sla';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { call, Harness, loginAdmin, startHarness } from '../support/harness';

type Entry = { date: string; kind: string; name: string };

/**
 * The re-arm handler against real PostgreSQL, driven through the api's CommandBus (no worker runs
 * here, so nothing else takes the jobs): batches, a sweep resumed where it stopped, two runs of
 * one sweep at once, a second run after it is done, and deadlines armed before counts were kept.
 * The complaints are written by SQL as the pipeline leaves them (in an inbox of their own).
 */
describe('re-arming deadlines after a holiday table changes', () => {
  let h: Harness;
  let admin: string;
  let bus: CommandBus;
  let year: number;
  let day: string;
  let original: Entry[];
  const counted: { id: string; assignmentId: string; assignedAt: Date }[] = [];
  let legacy: { id: string; assignmentId: string; assignedAt: Date; dueAt: Date };
  let drill: { id: string; assignmentId: string; dueAt: Date };

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { SLA_REARM_BATCH_SIZE: '3' } });
    admin = await loginAdmin(h);
    bus = h.api.get(CommandBus);
    const calendar = (await h.api.get(SlaDeadlinePolicy).readCalendars(h.db.manager)).forTenant('36.73');
    day = localDate(addWorkingDays(new Date(), 2, calendar), 'Asia/Jakarta');
    year = Number(day.slice(0, 4));
    original = (await call(h, 'GET', `/api/v1/admin/holidays/${year}`, { token: admin })).body;
    if (!original.length) throw new Error(`the test database has no ${year} table: this file revises an official one`);
    const now = Date.now();
    // Counted as 3 hari kerja, but on record ten minutes off: the sweep moves each of them.
    for (let i = 0; i < 7; i += 1) {
      const assignedAt = new Date(now - 60_000);
      counted.push({ ...(await waiting(assignedAt, new Date(now + 600_000), 3)), assignedAt });
    }
    const assignedAt = new Date(now - 60_000);
    legacy = { ...(await waiting(assignedAt, addWorkingDays(assignedAt, 3, calendar), null)), assignedAt, dueAt: addWorkingDays(assignedAt, 3, calendar) };
    drill = { ...(await waiting(assignedAt, new Date(now + 7_200_000), null)), dueAt: new Date(now + 7_200_000) };
  });

  afterAll(async () => {
    // Leave the year's table as it was, with no re-arm half done.
    const restored = await revise(original);
    if (restored) await run(restored);
    await h.close();
  });

  /** A complaint waiting for its first response at Kelurahan Cipocok Jaya's office, written as assignment leaves it. */
  async function waiting(assignedAt: Date, dueAt: Date, workingDays: number | null): Promise<{ id: string; assignmentId: string }> {
    const id = randomUUID();
    const assignmentId = randomUUID();
    const tn = `ADN-${localDate(assignedAt, 'Asia/Jakarta').slice(2).replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase()}`;
    await h.db.query(
      `WITH unit AS (SELECT id FROM unit WHERE code = 'KEL.36.73.05.1001'),
       c AS (INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code, description,
               anonymous, confidential, status, channel, current_unit_id, current_tier, assigned_at, submitted_at, due_at, updated_at)
             SELECT $1, $3, 'x', '36.73', 'SAMPAH', '36.73.05.1001', '36.73.05', 'Uji penghitungan ulang tenggat.', true, true, 'routed', 'web',
               unit.id, 'lurah', $4, $4, $5, now() FROM unit)
       INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, first_response_working_days, via)
         SELECT $2, $1, unit.id, 'lurah', gen_random_uuid(), $4, $5, $6, 'routed' FROM unit`,
      [id, assignmentId, tn, assignedAt, dueAt, workingDays],
    );
    return { id, assignmentId };
  }

  /** PUTs the national table of the year; answers the revision it made (its job is left to this file to run). */
  async function revise(entries: Entry[]): Promise<string | null> {
    const [{ seq }]: { seq: string }[] = await h.db.query(`SELECT COALESCE(max(seq), 0) AS seq FROM holiday_revision`);
    expect((await call(h, 'PUT', `/api/v1/admin/holidays/${year}`, { token: admin, body: entries })).status).toBe(200);
    const [row]: { id: string }[] = await h.db.query(`SELECT id FROM holiday_revision WHERE seq > $1 ORDER BY seq LIMIT 1`, [seq]);
    return row?.id ?? null;
  }

  const run = (revisionId: string) => bus.execute(new RearmDeadlinesCommand(revisionId, JobName.RearmDeadlines, `rearm-${revisionId}`));

  async function stays(ids: readonly string[]): Promise<Map<string, { due: Date; working_days: number | null; moves: number }>> {
    const rows: { complaint_id: string; due: Date; working_days: number | null; moves: number }[] = await h.db.query(
      `SELECT a.complaint_id, a.first_response_due_at AS due, a.first_response_working_days AS working_days,
              (SELECT count(*)::int FROM audit_entry e WHERE e.stream = 'complaint:' || a.complaint_id AND e.event = 'complaint.deadline_moved') AS moves
         FROM assignment a WHERE a.complaint_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.complaint_id, r]));
  }

  it('counts every running deadline again and moves the ones that changed, including those armed before counts were kept', async () => {
    const revision = await revise([...original, { date: day, kind: 'cuti_bersama', name: 'Cuti bersama tambahan (uji)' }]);
    const result = await run(revision!);
    const revised = (await h.api.get(SlaDeadlinePolicy).readCalendars(h.db.manager)).forTenant('36.73');
    const after = await stays([...counted.map((c) => c.id), legacy.id, drill.id]);
    for (const c of counted) expect(after.get(c.id)).toEqual({ complaint_id: c.id, due: addWorkingDays(c.assignedAt, 3, revised), working_days: 3, moves: 1 });
    // Counted back on the table before the revision (exactly 3 hari kerja), then forward on the new one; the count is kept from now on.
    expect(after.get(legacy.id)).toEqual({ complaint_id: legacy.id, due: addWorkingDays(legacy.assignedAt, 3, revised), working_days: 3, moves: 1 });
    expect(after.get(legacy.id)!.due.getTime()).toBeGreaterThan(legacy.dueAt.getTime());
    // A wall-clock drill is no count of working days: no table moves it.
    expect(after.get(drill.id)).toEqual({ complaint_id: drill.id, due: drill.dueAt, working_days: null, moves: 0 });
    const [row]: { rearm_status: string; rearm_checked: number; rearm_moved: number }[] = await h.db.query(`SELECT rearm_status, rearm_checked, rearm_moved FROM holiday_revision WHERE id = $1`, [revision]);
    expect(row).toEqual({ rearm_status: 'done', rearm_checked: result.checked, rearm_moved: result.moved });
    expect(result.moved).toBeGreaterThanOrEqual(8);
  });

  it('resumes a sweep after the last complaint it finished, moves each deadline once when run twice at once, and does nothing once done', async () => {
    const withDay = await stays(counted.map((c) => c.id));
    const revision = await revise(original);
    // As if the sweep had stopped after its first batches: everything up to the third complaint is done.
    const sorted = [...counted].sort((a, b) => (a.id < b.id ? -1 : 1));
    await h.db.query(`UPDATE holiday_revision SET rearm_cursor = $2 WHERE id = $1`, [revision, sorted[2].id]);
    const [first, second] = await Promise.all([run(revision!), run(revision!)]);
    const after = await stays(counted.map((c) => c.id));
    const calendar = (await h.api.get(SlaDeadlinePolicy).readCalendars(h.db.manager)).forTenant('36.73');
    for (const c of sorted.slice(0, 3)) expect(after.get(c.id)).toEqual(withDay.get(c.id));
    for (const c of sorted.slice(3)) expect(after.get(c.id)).toEqual({ complaint_id: c.id, due: addWorkingDays(c.assignedAt, 3, calendar), working_days: 3, moves: 2 });
    expect(first.moved + second.moved).toBeGreaterThanOrEqual(4);
    const trail: { n: string }[] = await h.db.query(`SELECT count(*) AS n FROM audit_entry`);
    expect(await run(revision!)).toEqual({ checked: 0, moved: 0 });
    expect(await h.db.query(`SELECT count(*) AS n FROM audit_entry`)).toEqual(trail);
    const claimed: unknown[] = await h.db.query(`SELECT 1 FROM processed_message WHERE consumer = $1 AND message_id = $2`, [JobName.RearmDeadlines, `rearm-${revision}`]);
    expect(claimed).toHaveLength(1);
  });
});
