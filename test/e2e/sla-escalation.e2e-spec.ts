import { Redis } from 'ioredis';
import { auditEvents, call, eventually, fileAndRoute, Harness, loginAdmin, officialIn, startHarness, stayStart } from '../support/harness';
import { TEST_REDIS_URL } from '../support/test-env';

const act = (h: Harness, token: string, tn: string, action: string, body: unknown = {}) => call(h, 'POST', `/api/v1/complaints/${tn}/${action}`, { token, body });

/** Deadlines as drills set them: wall-clock seconds, so the clocks run out inside a test. */
describe('deadlines, escalation and breaches', () => {
  let h: Harness;
  let admin: string;
  let lurah: string;
  let inspector: string;

  const viewAs = (token: string, tn: string) => call(h, 'GET', `/api/v1/complaints/${tn}`, { token });
  const breaches = (tn: string) =>
    h.db.query(
      `SELECT b.kind, u.code AS unit, e.code AS escalated_to FROM sla_breach b JOIN complaint c ON c.id = b.complaint_id
         JOIN unit u ON u.id = b.unit_id LEFT JOIN unit e ON e.id = b.escalated_to_unit_id WHERE c.tracking_number = $1 ORDER BY b.breached_at`,
      [tn],
    ) as Promise<{ kind: string; unit: string; escalated_to: string | null }[]>;

  beforeAll(async () => {
    h = await startHarness({ env: { SLA_AUTO_CLOSE_DURATION: 'PT2S', OUTBOX_STALE_SECONDS: '1', OUTBOX_RECONCILE_MS: '300' } });
    admin = await loginAdmin(h);
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    inspector = (await officialIn(h, admin, 'INSP.36.73', ['inspector'])).token;
    const drill = await call(h, 'PUT', '/api/v1/admin/sla/KETERTIBAN_UMUM?tenant=36.73', {
      token: admin,
      body: { first_response: { duration: 'PT2S' }, resolution: { duration: 'PT3S' } },
    });
    expect(drill.status).toBe(200);
  });
  afterAll(async () => {
    // The drill must not outlive this file: later files share the database.
    await h.db.query(`DELETE FROM sla_policy WHERE tenant_code = '36.73' AND category_code = 'KETERTIBAN_UMUM'`);
    await h.close();
  });

  it('climbs lurah → camat → Sekda when nobody answers, keeps read access below, records each breach', async () => {
    const { tn } = await fileAndRoute(h, { category: 'KETERTIBAN_UMUM' });
    expect((await viewAs(lurah, tn)).body.handler.code).toBe('KEL.36.73.01.1001');
    await eventually(async () => (await viewAs(inspector, tn)).body.handler?.code === 'KEC.36.73.01', 10_000, 'escalation to the camat');
    const lower = await viewAs(lurah, tn);
    expect(lower.status).toBe(200);
    expect(lower.body.can_act).toBe(false);
    expect((await act(h, lurah, tn, 'acknowledge')).status).toBe(403);
    await eventually(async () => (await viewAs(inspector, tn)).body.handler?.code === 'OPD.36.73.SETDA', 10_000, 'escalation to the Sekda');
    await eventually(async () => (await breaches(tn)).length === 3, 10_000, 'the breach at the top of the ladder');
    expect(await breaches(tn)).toEqual([
      { kind: 'first_response', unit: 'KEL.36.73.01.1001', escalated_to: 'KEC.36.73.01' },
      { kind: 'first_response', unit: 'KEC.36.73.01', escalated_to: 'OPD.36.73.SETDA' },
      { kind: 'first_response', unit: 'OPD.36.73.SETDA', escalated_to: null },
    ]);
    const stay = await stayStart(h, tn);
    expect(stay.complaint).toEqual(stay.assignment);
    expect(stay.complaint).not.toBeNull();
    const events = await auditEvents(h, tn);
    expect(events.filter((e) => e === 'complaint.escalated')).toHaveLength(2);
    expect(events[events.length - 1]).toBe('complaint.deadline_missed');
    await h.quiet();
    const told: { n: string }[] = await h.db.query(
      `SELECT count(*) AS n FROM notification n JOIN complaint c ON c.id = n.complaint_id WHERE c.tracking_number = $1 AND n.audience = 'inspektorat' AND n.status = 'rendered'`,
      [tn],
    );
    expect(Number(told[0].n)).toBe(3);
  });

  it('does not escalate what was answered in time, and records a missed resolution without moving it', async () => {
    const { tn } = await fileAndRoute(h, { category: 'KETERTIBAN_UMUM' });
    expect((await act(h, lurah, tn, 'acknowledge')).status).toBe(200);
    await eventually(async () => (await breaches(tn)).length === 1, 10_000, 'the resolution breach');
    expect(await breaches(tn)).toEqual([{ kind: 'resolution', unit: 'KEL.36.73.01.1001', escalated_to: null }]);
    expect((await viewAs(lurah, tn)).body).toMatchObject({ status: 'in_progress', handler: { code: 'KEL.36.73.01.1001' } });
  });

  it('stops the resolution clock while the resident is asked, and restarts it on the answer', async () => {
    const { tn, code } = await fileAndRoute(h, { category: 'KETERTIBAN_UMUM' });
    await act(h, lurah, tn, 'request-info', { question: 'Jam berapa keributan itu terjadi?' });
    await new Promise((r) => setTimeout(r, 4500));
    expect(await breaches(tn)).toEqual([]);
    await call(h, 'POST', `/api/v1/complaints/${tn}/replies`, { headers: { 'x-access-code': code }, body: { message: 'Sekitar jam 11 malam.' } });
    await eventually(async () => (await breaches(tn)).length === 1, 10_000, 'the breach after the pause');
    expect((await breaches(tn))[0].kind).toBe('resolution');
  });

  it('closes a resolution the resident leaves unanswered', async () => {
    const { tn, code } = await fileAndRoute(h);
    await act(h, lurah, tn, 'resolve', { resolution: 'Sampah sudah diangkut, lokasi sudah bersih.' });
    await eventually(async () => (await call(h, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': code } })).body.status === 'closed', 10_000, 'auto-close');
    const view = await call(h, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': code } });
    expect(view.body.timeline[view.body.timeline.length - 1]).toMatchObject({ type: 'closed', message: 'Pengaduan ditutup karena tidak ada tanggapan.' });
  });

  it('reminds the unit before the deadline', async () => {
    const { tn } = await fileAndRoute(h, { category: 'KETERTIBAN_UMUM' });
    await eventually(
      async () =>
        Number((await h.db.query(`SELECT count(*) AS n FROM notification n JOIN complaint c ON c.id = n.complaint_id WHERE c.tracking_number = $1 AND n.template = 'unit.reminder'`, [tn]))[0].n) === 1,
      10_000,
      'a reminder',
    );
  });

  it('loses no deadline when Redis loses the timers', async () => {
    await h.stopWorker();
    const { tn } = await (async () => {
      const res = await call(h, 'POST', '/api/v1/complaints', { body: { category: 'KETERTIBAN_UMUM', kelurahan: '36.73.01.1001', description: 'Balap liar setiap malam di jalan utama.' } });
      return { tn: res.body.tracking_number as string };
    })();
    await h.startWorker();
    await eventually(async () => (await viewAs(lurah, tn)).body.status === 'routed', 10_000, 'assignment');
    // Every job, timers included, is gone from Redis; PostgreSQL still knows the deadline.
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const keys = await redis.keys(`${h.queuePrefix}:sla:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    await eventually(async () => (await breaches(tn)).length >= 1, 15_000, 'the escalation rebuilt from PostgreSQL');
    expect((await breaches(tn))[0]).toEqual({ kind: 'first_response', unit: 'KEL.36.73.01.1001', escalated_to: 'KEC.36.73.01' });
  });
});
