import { call, complaintBody, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

describe('reporter privacy', () => {
  let h: Harness;
  let admin: string;
  let inspector: string;
  let lurah: string;
  let tn: string;
  const reporter = { name: 'Dewi Lestari', phone: '+62 812-3456-7890', email: 'dewi.lestari@example.id' };

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    inspector = (await officialIn(h, admin, 'INSP.36.73', ['inspector'])).token;
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    tn = (await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ reporter }) })).body.tracking_number;
    await h.quiet();
  });
  afterAll(() => h.close());

  it('stores the identity encrypted: not in the row, the audit trail, the outbox, notices or any handler view', async () => {
    const rows = await h.db.query(
      `SELECT (SELECT row_to_json(c)::text FROM complaint c WHERE c.tracking_number = $1) AS complaint,
              (SELECT string_agg(a.data::text, ' ') FROM audit_entry a) AS audit,
              (SELECT string_agg(o.payload::text, ' ') FROM outbox_message o) AS outbox,
              (SELECT string_agg(coalesce(n.body, '') || n.data::text, ' ') FROM notification n) AS notices`,
      [tn],
    );
    const everything = JSON.stringify(rows) + JSON.stringify((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah })).body);
    for (const secret of [reporter.name, reporter.phone, reporter.email, 'Dewi']) expect(everything).not.toContain(secret);
  });

  it('reveals the reporter to an inspector who states a reason, and audits the reveal', async () => {
    const res = await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { token: inspector, body: { reason: 'Pemeriksaan dugaan laporan palsu nomor 12/2026.' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ tracking_number: tn, anonymous: true, reporter });
    const [audit]: { actor_type: string; data: { reason: string } }[] = await h.db.query(
      `SELECT a.actor_type, a.data FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id WHERE c.tracking_number = $1 AND a.event = 'complaint.reporter_revealed'`,
      [tn],
    );
    expect(audit).toMatchObject({ actor_type: 'official', data: { reason: 'Pemeriksaan dugaan laporan palsu nomor 12/2026.' } });
  });

  it('refuses everyone else: the handler (403), another tenant’s inspector and an admin (404), no reason (422), no token (401)', async () => {
    const before = await h.db.query(`SELECT count(*) FROM audit_entry WHERE event = 'complaint.reporter_revealed'`);
    const otherInspector = (await officialIn(h, admin, 'INSP.36.71', ['inspector'])).token;
    const body = { reason: 'Ingin tahu saja siapa pelapornya.' };
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { token: lurah, body })).status).toBe(403);
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { token: otherInspector, body })).status).toBe(404);
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { token: admin, body })).status).toBe(404);
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { token: inspector, body: { reason: 'cek' } })).status).toBe(422);
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { body })).status).toBe(401);
    expect(await h.db.query(`SELECT count(*) FROM audit_entry WHERE event = 'complaint.reporter_revealed'`)).toEqual(before);
  });
});
