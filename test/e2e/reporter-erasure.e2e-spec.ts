import { randomUUID } from 'node:crypto';
import { call, complaintBody, eventually, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

const ERASE_REASON = 'Permintaan penghapusan data pribadi oleh pelapor, identitas diverifikasi.';

/**
 * Erasure of a reporter's identity (UU 27/2022): only the tenant's Inspektorat, once, with a reason
 * and the reference of the resident's request; the identity leaves every place it lived, the log
 * keeps references only, and the complaint, its trail and the log's verification stay intact.
 */
describe('reporter erasure', () => {
  let h: Harness;
  let admin: string;
  let inspector: { token: string; username: string };
  let lurah: string;
  let tn: string;
  let code: string;
  let complaintId: string;
  const reporter = { name: 'Ratna Sari Dewanti', phone: '+62 813-9876-5432', email: 'ratna.dewanti@warga.test' };
  const idempotencyKey = randomUUID();
  const body = complaintBody({ reporter, anonymous: false, confidential: false, description: 'Lampu jalan di gang depan musala mati sejak dua minggu.' });
  const erase = (token: string | undefined, payload: unknown = { reason: ERASE_REASON, request_reference: 'INSP/PDP/031/2026' }, number = tn) =>
    call(h, 'POST', `/api/v1/complaints/${number}/erase-reporter`, { token, body: payload });
  const row = async () =>
    (await h.db.query(`SELECT reporter_ciphertext, reporter_key_id, reporter_erased_at FROM complaint WHERE id = $1`, [complaintId]))[0] as {
      reporter_ciphertext: string | null; reporter_key_id: string | null; reporter_erased_at: Date | null;
    };
  const eventCount = async (event: string) =>
    Number((await h.db.query(`SELECT count(*) AS n FROM audit_entry WHERE stream = $1 AND event = $2`, [`complaint:${complaintId}`, event]))[0].n);

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    inspector = await officialIn(h, admin, 'INSP.36.73', ['inspector']);
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    const filed = await call(h, 'POST', '/api/v1/complaints', { body, headers: { 'idempotency-key': idempotencyKey } });
    expect(filed.status).toBe(201);
    ({ tracking_number: tn, access_code: code } = filed.body);
    await h.quiet();
    complaintId = (await h.db.query(`SELECT id FROM complaint WHERE tracking_number = $1`, [tn]))[0].id;
    // The resident was told where the complaint went; the ledger kept the keyed hash of that address,
    // as the email channel does (test/e2e/notifications.e2e-spec.ts sends through a real SMTP server).
    const [notice]: { id: string }[] = await h.db.query(`SELECT id FROM notification WHERE complaint_id = $1 AND audience = 'resident'`, [complaintId]);
    expect(notice).toBeDefined();
    await h.db.query(
      `INSERT INTO notification_delivery (id, notification_id, channel, recipient, address_hash, status, attempts, sent_at) VALUES ($1, $2, 'email', 'resident', $3, 'sent', 1, now())`,
      [randomUUID(), notice.id, 'ab'.repeat(32)],
    );
  });
  afterAll(() => h.close());

  it('refuses everyone but the tenant’s inspector, and a request without reason or reference, changing nothing', async () => {
    const tenantAdmin = (await officialIn(h, admin, 'OPD.36.73.SETDA', ['admin'])).token;
    const otherInspector = (await officialIn(h, admin, 'INSP.36.71', ['inspector'])).token;
    expect((await erase(lurah)).status).toBe(403);
    expect((await erase(otherInspector)).status).toBe(404);
    expect((await erase(tenantAdmin)).status).toBe(404);
    expect((await erase(admin)).status).toBe(404);
    expect((await erase(undefined)).status).toBe(401);
    expect((await erase(inspector.token, { reason: ERASE_REASON })).status).toBe(422);
    expect((await erase(inspector.token, { reason: 'hapus', request_reference: 'INSP/PDP/031/2026' })).status).toBe(422);
    expect((await erase(inspector.token, { reason: ERASE_REASON, request_reference: 'INSP/PDP/031/2026', name: 'x' })).status).toBe(422);
    expect((await erase(inspector.token, undefined, 'ADU-20260101-ZZZZZZ')).status).toBe(404);
    // Not anonymous: the handler reads the name until it is erased (the last test shows it gone).
    expect(JSON.stringify((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah })).body)).toContain(reporter.name);
    const untouched = await row();
    expect([untouched.reporter_ciphertext, untouched.reporter_erased_at]).toEqual([expect.any(String), null]);
    expect(await eventCount('complaint.reporter_erased')).toBe(0);
  });

  it('erases the identity from the complaint, the delivery ledger and the intake key; the log records the erasure by reference', async () => {
    const res = await erase(inspector.token);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ tracking_number: tn, erased_at: expect.any(String), had_identity: true });

    expect(await row()).toEqual({ reporter_ciphertext: null, reporter_key_id: null, reporter_erased_at: new Date(res.body.erased_at) });
    const ledger = await h.db.query(
      `SELECT d.recipient, d.address_hash FROM notification_delivery d JOIN notification n ON n.id = d.notification_id WHERE n.complaint_id = $1`,
      [complaintId],
    );
    expect(ledger).toEqual([{ recipient: 'resident', address_hash: null }]);
    expect(await h.db.query(`SELECT body_sha256 FROM intake_key WHERE complaint_id = $1`, [complaintId])).toEqual([{ body_sha256: 'erased' }]);

    const [entry]: { actor_type: string; actor_id: string; data: Record<string, unknown> }[] = await h.db.query(
      `SELECT actor_type, actor_id, data FROM audit_entry WHERE stream = $1 AND event = 'complaint.reporter_erased'`,
      [`complaint:${complaintId}`],
    );
    expect(entry).toMatchObject({
      actor_type: 'official',
      data: { reason: ERASE_REASON, request_reference: 'INSP/PDP/031/2026', had_identity: true, delivery_addresses: 1, intake_keys: 1 },
    });

    // Nowhere in the complaint's rows, nor in what a handler reads, is the identity left.
    const everything = await h.db.query(
      `SELECT (SELECT row_to_json(c)::text FROM complaint c WHERE c.id = $1) AS complaint,
              (SELECT string_agg(row_to_json(k)::text, ' ') FROM intake_key k WHERE k.complaint_id = $1) AS keys,
              (SELECT string_agg(row_to_json(d)::text, ' ') FROM notification_delivery d JOIN notification n ON n.id = d.notification_id WHERE n.complaint_id = $1) AS ledger,
              (SELECT string_agg(a.data::text, ' ') FROM audit_entry a WHERE a.stream = 'complaint:' || $1) AS audit`,
      [complaintId],
    );
    const handlerView = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah });
    expect(handlerView.status).toBe(200);
    const seen = JSON.stringify(everything) + JSON.stringify(handlerView.body);
    for (const secret of [reporter.name, reporter.phone, reporter.email, 'Ratna', 'ab'.repeat(32)]) expect(seen).not.toContain(secret);
  });

  it('answers a reveal afterwards, and a second erasure, with 410 and when it was erased; neither is audited', async () => {
    const reveal = await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { token: inspector.token, body: { reason: 'Pemeriksaan dugaan laporan palsu nomor 9/2026.' } });
    expect(reveal.status).toBe(410);
    expect(reveal.headers['content-type']).toContain('application/problem+json');
    expect(reveal.body).toMatchObject({ type: 'https://aduan.go.id/problems/gone', status: 410, detail: expect.stringContaining('erased on') });
    expect(JSON.stringify(reveal.body)).not.toContain('Ratna');
    const again = await erase(inspector.token);
    expect(again.status).toBe(410);
    expect(again.body.detail).toContain('telah dihapus');
    expect(await eventCount('complaint.reporter_revealed')).toBe(0);
    expect(await eventCount('complaint.reporter_erased')).toBe(1);
  });

  it('erases once under concurrent requests, and marks a complaint filed without an identity all the same', async () => {
    const filed = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() });
    const both = await Promise.all([erase(inspector.token, undefined, filed.body.tracking_number), erase(inspector.token, undefined, filed.body.tracking_number)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(both.find((r) => r.status === 200)!.body.had_identity).toBe(false);
    const [{ n }] = await h.db.query(
      `SELECT count(*) AS n FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id WHERE c.tracking_number = $1 AND a.event = 'complaint.reporter_erased'`,
      [filed.body.tracking_number],
    );
    expect(Number(n)).toBe(1);
    const reveal = await call(h, 'POST', `/api/v1/complaints/${filed.body.tracking_number}/reveal-reporter`, { token: inspector.token, body: { reason: 'Pemeriksaan dugaan laporan palsu nomor 10/2026.' } });
    expect(reveal.status).toBe(410);
    await h.quiet();
  });

  it('a retry of the first submission with its idempotency key files nothing new', async () => {
    const [{ n: before }] = await h.db.query(`SELECT count(*) AS n FROM complaint`);
    const retry = await call(h, 'POST', '/api/v1/complaints', { body, headers: { 'idempotency-key': idempotencyKey } });
    expect(retry.status).toBe(409);
    expect((await h.db.query(`SELECT count(*) AS n FROM complaint`))[0].n).toBe(before);
  });

  it('keeps the complaint working and its trail whole: the resident reads it, the unit acts, verify passes', async () => {
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': code } })).status).toBe(200);
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/acknowledge`, { token: lurah, body: {} })).status).toBe(200);
    await h.quiet();
    // Nobody to tell: no resident notice is written for a complaint whose reporter was erased.
    expect((await h.db.query(`SELECT template FROM notification WHERE complaint_id = $1 AND audience = 'resident' ORDER BY created_at`, [complaintId])).map((r: { template: string }) => r.template)).toEqual(['resident.routed']);

    const trail = await call(h, 'GET', `/api/v1/audit/complaints/${tn}`, { token: inspector.token });
    expect(trail.status).toBe(200);
    expect(trail.body.entries.map((e: { event: string }) => e.event).slice(-2)).toEqual(['complaint.reporter_erased', 'complaint.acknowledged']);
    expect(trail.body.chain).toMatchObject({ status: 'intact', first_broken: null });

    const started = await call(h, 'GET', '/api/v1/audit/verify', { token: inspector.token });
    expect([200, 202]).toContain(started.status);
    const done = await eventually(async () => {
      const res = await call(h, 'GET', `/api/v1/audit/verify/${started.body.id}`, { token: inspector.token });
      return res.status === 200 ? res.body : null;
    }, 30_000, 'verify to finish');
    expect(done).toMatchObject({ ok: true, first_invalid: null, findings: [] });
  });
});
