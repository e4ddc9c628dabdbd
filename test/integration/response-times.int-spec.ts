import { addFigures, decodeFigures, type Figures, fillRollup, hourBucketMiddleMs, ResponseTimeProjector } from '@aduan/sla';
import { DataSource, EntityManager } from 'typeorm';
import { runCli } from '../support/cli';
import { Harness, startHarness } from '../support/harness';
import { appendEntry, endOfDay, Fixture, seal, wib, writeFixture } from '../support/response-times-fixture';
import { testRoleUrls } from '../support/test-env';

const HOUR = 3_600_000;

/**
 * The response-time read model against the hand-computed fixture (docs/response-times.md, "The
 * fixture"): every figure below was counted by hand from the calendar of August and September 2026
 * (17 and 25 August are holidays), then checked against what PostgreSQL holds — the stays, the
 * complaint rows and `sla_breach`.
 */
describe('response-time read model', () => {
  let h: Harness;
  let db: DataSource;
  let projector: ResponseTimeProjector;
  let f: Fixture;

  const stays = (complaintId: string) =>
    db.query(`SELECT assignment_id, unit_id, via, assigned_at, due_at, responded_at, response_ms::float8 AS response_ms, response_working_days, met, end_reason, deadline_working_days
                FROM response_time_assignment WHERE complaint_id = $1 ORDER BY assigned_at`, [complaintId]);
  const complaint = async (id: string) => (await db.query(`SELECT * FROM response_time_complaint WHERE complaint_id = $1`, [id]))[0];
  const rollupIn = async (m: EntityManager) =>
    (await m.query(`SELECT tenant_code, grain, level, slice::text, key, figures FROM response_time_rollup ORDER BY 1, 2, 3, 4, 5`))
      .map((r: { figures: string }) => ({ ...r, figures: decodeFigures(r.figures) }));
  const rollup = () => rollupIn(db.manager);
  /** The rollup as the rebuild adds it up from the rows now (rolled back). */
  const rollupFromRows = async () => {
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    try {
      await fillRollup(runner.manager);
      return await rollupIn(runner.manager);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  };
  const snapshot = async () => ({ a: await complaint(f.a.id), b: await complaint(f.b.id), aStays: await stays(f.a.id), bStays: await stays(f.b.id) });

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    db = h.db;
    projector = h.api.get(ResponseTimeProjector);
    f = await writeFixture(db);
    await seal(db);
    await projector.catchUp();
  });
  afterAll(() => h.close());

  it('counts each stay\'s first response as markResponded recorded it, in hours and hari kerja, against the deadline in force', async () => {
    const [a1, a2] = await stays(f.a.id);
    // 13 Aug 09:05 → 19 Aug 10:00: 144 h 55 min; hari kerja 14, 18, 19 (17 Aug is a holiday). The
    // deadline, moved from 18 to 19 August by a revised table, was met.
    expect(a1).toMatchObject({ unit_id: f.units.kel.id, via: 'routed', response_ms: 144 * HOUR + 55 * 60_000, response_working_days: 3, met: true, end_reason: 'forwarded', deadline_working_days: 3 });
    expect(a1.due_at).toEqual(endOfDay('2026-08-19'));
    // 19 Aug 10:00 → 26 Aug 08:00: 166 h; hari kerja 20, 21, 24, 26 (25 Aug is a holiday); due 24 Aug: late.
    expect(a2).toMatchObject({ unit_id: f.units.kec.id, via: 'forwarded', response_ms: 166 * HOUR, response_working_days: 4, met: false });
    const [b1, b2] = await stays(f.b.id);
    // Never answered and taken away (escalated) after its deadline: missed. The next stay still runs.
    expect(b1).toMatchObject({ responded_at: null, response_ms: null, met: false, end_reason: 'escalated' });
    expect(b2).toMatchObject({ via: 'escalated', responded_at: null, met: null, end_reason: null });
  });

  it('agrees with sla_breach: the stays it counts as missed are the breaches recorded', async () => {
    const missed: { assignment_id: string }[] = await db.query(
      `SELECT assignment_id FROM response_time_assignment WHERE complaint_id = ANY($1) AND met = false ORDER BY assignment_id`, [[f.a.id, f.b.id]]);
    const breaches: { assignment_id: string }[] = await db.query(
      `SELECT assignment_id FROM sla_breach WHERE complaint_id = ANY($1) AND kind = 'first_response' ORDER BY assignment_id`, [[f.a.id, f.b.id]]);
    expect(missed).toHaveLength(2);
    expect(missed).toEqual(breaches);
    expect(missed.map((m) => m.assignment_id).sort()).toEqual([f.a.second, f.b.first].sort());
  });

  it('counts the end-to-end first response, the pause, the resolution, forwards, reopens and verdicts of a complaint', async () => {
    const a = await complaint(f.a.id);
    expect(a).toMatchObject({
      status: 'closed', open: false, first_unit_id: f.units.kel.id, resolved_by_unit_id: f.units.kec.id,
      // The forward on 19 Aug is a hand-over, not an answer: the first answer is the acknowledgement of 26 Aug 08:00.
      first_response_ms: String(311 * HOUR), first_response_working_days: 7,
      // Waiting for the resident from 27 Aug 09:00 to 31 Aug 09:00.
      paused_ms: String(96 * HOUR), pauses: 1,
      // Submitted 13 Aug 09:00, resolved for good 10 Sep 11:00 (the resolution of 3 Sep was reopened): 674 h, 18 hari kerja.
      resolution_ms: String(674 * HOUR), resolution_working_days: 18, resolution_met: true,
      forwards: 1, returns: 0, escalations: 0, reopens: 1, satisfied_verdicts: 1, unsatisfied_verdicts: 1, rating_sum: 6, rating_count: 2,
    });
    expect(a.first_response_at).toEqual(wib('2026-08-26T08:00'));
    expect(a.resolved_at).toEqual(wib('2026-09-10T11:00'));
    expect(a.resolution_due_at).toEqual(endOfDay('2026-09-11'));
    const b = await complaint(f.b.id);
    expect(b).toMatchObject({ status: 'routed', open: true, current_unit_id: f.units.kec.id, first_response_at: null, resolved_at: null, escalations: 1, forwards: 0 });
    expect(b.due_at).toEqual(endOfDay('2026-09-09'));
  });

  it('writes the same rows when the log is read again from the start, and when rebuilt from the tables', async () => {
    const before = await snapshot();
    await db.query(`UPDATE response_time_checkpoint SET leaf_idx = -1`);
    await Promise.all([projector.catchUp(), projector.catchUp()]);
    expect(await snapshot()).toEqual(before);
    expect(await rollup()).toEqual(await rollupFromRows());
    await projector.rebuild();
    expect(await snapshot()).toEqual(before);
    expect(await rollup()).toEqual(await rollupFromRows());
    const [cp] = await db.query(`SELECT leaf_idx FROM response_time_checkpoint`);
    const [max] = await db.query(`SELECT max(idx) AS idx FROM audit_leaf`);
    expect(cp.leaf_idx).toBe(max.idx);
  });

  it('is rebuilt from PostgreSQL by the CLI, as the app\'s role', async () => {
    const before = await snapshot();
    await db.query(`DELETE FROM response_time_assignment WHERE complaint_id = $1`, [f.a.id]);
    await db.query(`UPDATE response_time_complaint SET forwards = 99 WHERE complaint_id = $1`, [f.b.id]);
    const run = await runCli(['response-times-rebuild'], { DATABASE_URL: testRoleUrls().app });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rebuilt the response-time model: \d+ complaints in [\d.]+ s, \d+ recounted from the log since$/m);
    expect(await snapshot()).toEqual(before);
  });

  it('seals what bulk SQL wrote with the CLI\'s audit-seal, as the worker would', async () => {
    await appendEntry(db, f.a.id, { actor: { type: 'system' }, event: 'complaint.deadline_missed', data: {}, channel: 'worker' }, new Date());
    const unsealed = `SELECT count(*)::int AS n FROM audit_entry e WHERE NOT EXISTS (SELECT 1 FROM audit_leaf l WHERE l.entry_id = e.id)`;
    expect((await db.query(unsealed))[0].n).toBeGreaterThan(0);
    const run = await runCli(['audit-seal'], { DATABASE_URL: testRoleUrls().app });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sealed [1-9]\d* entries; the tree holds \d+/m);
    expect((await db.query(unsealed))[0].n).toBe(0);
  });

  it('takes a change in only once it is sealed, then counts it', async () => {
    await db.query(`UPDATE assignment SET responded_at = $2 WHERE id = $1`, [f.b.second, wib('2026-09-08T13:00')]);
    await db.query(`UPDATE complaint SET status = 'in_progress' WHERE id = $1`, [f.b.id]);
    await appendEntry(db, f.b.id, { actor: { type: 'official' }, event: 'complaint.acknowledged', data: {}, channel: 'api' }, wib('2026-09-08T13:00'));
    await projector.catchUp();
    expect((await stays(f.b.id))[1].responded_at).toBeNull();
    await seal(db);
    await projector.catchUp();
    // 5 Sep 00:00:03 → 8 Sep 13:00; hari kerja 7 and 8 September; due 9 Sep: met.
    expect((await stays(f.b.id))[1]).toMatchObject({ responded_at: wib('2026-09-08T13:00'), response_working_days: 2, met: true });
    expect(await complaint(f.b.id)).toMatchObject({ status: 'in_progress', first_response_at: wib('2026-09-08T13:00') });
  });

  it('moves the rollup by the recount\'s difference: it equals the rollup added up afresh from the rows', async () => {
    const moved = await rollup();
    const day = moved.find((r: { grain: string; level: string; key: string; slice: string }) => r.grain === 'unit' && r.level === 'd' && r.key === f.units.kec.id && r.slice === '2026-09-04');
    // B's second stay (escalated 4 Sep 17:00:03 UTC), answered on time after the recount: counted once, met, 2 hari kerja.
    expect(day.figures).toMatchObject({ 'n:0': 1, 'a:0': 1, 'met:0': 1, 'd:2': 1 });
    expect(day.figures['miss:0']).toBeUndefined();
    expect(moved).toEqual(await rollupFromRows());
  });

  it('keeps each quarter and year the sum of its months, as the migration that added them adds them up', async () => {
    type Cell = { grain: string; level: string; key: string; slice: string; figures: Figures };
    const cells: Cell[] = await rollup();
    const unit = (level: string, from: string, to: string) => cells.filter((r) => r.grain === 'unit' && r.level === level && r.key === f.units.kec.id && r.slice >= from && r.slice < to);
    const sum = (of: Cell[]) => of.reduce((total: Figures, c) => addFigures(total, c.figures), {});
    expect(unit('m', '2026-07-01', '2026-10-01').length).toBeGreaterThan(1);
    expect(unit('q', '2026-07-01', '2026-10-01').map((c) => c.figures)).toEqual([sum(unit('m', '2026-07-01', '2026-10-01'))]);
    expect(unit('y', '2026-01-01', '2027-01-01').map((c) => c.figures)).toEqual([sum(unit('m', '2026-01-01', '2027-01-01'))]);
    // The migration, taken back and applied again as the owner (rolled back): the quarters it adds up from the months are the projector's.
    const owner = new DataSource({ type: 'postgres', url: testRoleUrls().owner });
    await owner.initialize();
    const runner = owner.createQueryRunner();
    await runner.startTransaction();
    try {
      const migration = db.migrations.find((m) => m.name === 'ResponseTimeQuartersYearsAndCoveringIndexes1795377000000')!;
      await migration.down(runner);
      expect((await rollupIn(runner.manager)).filter((r: { level: string }) => r.level === 'q' || r.level === 'y')).toEqual([]);
      await migration.up(runner);
      expect(await rollupIn(runner.manager)).toEqual(cells);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
      await owner.destroy();
    }
  });

  it('puts hours in buckets at most 1/32 of their values wide (a minute wide below 64 minutes), whose middle the figures use', async () => {
    const buckets: { b: number; lo: string; hi: string }[] = await db.query(
      `SELECT response_time_hour_bucket(m::bigint * 60000) AS b, min(m) AS lo, max(m) AS hi FROM generate_series(0, 600000) m GROUP BY 1 ORDER BY 1`,
    );
    // The last bucket runs past the series' end.
    for (const { b, lo, hi } of buckets.slice(0, -1)) {
      const [low, width] = [Number(lo), Number(hi) - Number(lo) + 1];
      expect(width <= Math.max(1, low / 32)).toBe(true);
      expect(hourBucketMiddleMs(b)).toBe((low + width / 2) * 60_000);
    }
    expect(buckets.map((r) => r.b)).toEqual(buckets.map((_, i) => i));
  });
});
