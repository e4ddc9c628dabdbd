import { randomUUID } from 'node:crypto';
import { call, complaintBody, Harness, startHarness, writeCounts } from '../support/harness';

/** `Idempotency-Key` on POST /api/v1/complaints (docs/api.md): a retry gets the first answer, never a second complaint. */
describe('idempotent intake with Idempotency-Key', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(() => h.close());

  const submit = (key: string | undefined, body: Record<string, unknown> = complaintBody()) =>
    call(h, 'POST', '/api/v1/complaints', { body, headers: key === undefined ? {} : { 'idempotency-key': key } });

  const keyRows = async (key: string) =>
    h.db.query(`SELECT scope, body_sha256, complaint_id, response_ciphertext, response_key_id FROM intake_key WHERE key = $1`, [key]) as Promise<
      { scope: string; body_sha256: string; complaint_id: string; response_ciphertext: string; response_key_id: string }[]
    >;

  it('answers a repeat with the same key and body with the first answer, and files once', async () => {
    const key = randomUUID();
    const before = await writeCounts(h.db);
    const first = await submit(key);
    const second = await submit(key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.headers['idempotent-replayed']).toBe('true');
    const after = await writeCounts(h.db);
    expect(after.complaint - before.complaint).toBe(1);
    expect(after.audit_entry - before.audit_entry).toBe(1);
    expect(after.outbox_message - before.outbox_message).toBe(1);

    // The replayed access code is the real one: it opens the complaint.
    const tracked = await call(h, 'GET', `/api/v1/complaints/${second.body.tracking_number}`, { headers: { 'x-access-code': second.body.access_code } });
    expect(tracked.status).toBe(200);

    // Stored sealed: the database holds no readable access code.
    const [row] = await keyRows(key);
    expect(row).toMatchObject({ scope: 'idempotency-key', body_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), response_key_id: 'test' });
    const plain = Buffer.from(row.response_ciphertext, 'base64').toString('latin1');
    expect(plain).not.toContain(first.body.access_code);
    expect(plain).not.toContain(first.body.access_code.replace(/-/g, ''));
    const [complaint] = await h.db.query(`SELECT tracking_number FROM complaint WHERE id = $1`, [row.complaint_id]);
    expect(complaint.tracking_number).toBe(first.body.tracking_number);
  });

  it('takes the same body written in another key order, and a structured-field ("quoted") key, as the same request', async () => {
    const key = randomUUID();
    const first = await submit(key, { category: 'SAMPAH', kelurahan: '36.73.01.1001', description: 'Sampah di gang belakang masjid belum diangkut.' });
    const again = await submit(`"${key}"`, { description: 'Sampah di gang belakang masjid belum diangkut.', kelurahan: '36.73.01.1001', category: 'SAMPAH' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });

  it('refuses the same key with another body with 409 and writes nothing', async () => {
    const key = randomUUID();
    const first = await submit(key);
    const before = await writeCounts(h.db);
    const other = await submit(key, complaintBody({ description: 'Lampu jalan di depan sekolah mati sejak kemarin.' }));
    expect(other.status).toBe(409);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({ status: 409, title: 'Conflict' });
    expect(JSON.stringify(other.body)).not.toContain(first.body.access_code);
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('files one complaint when ten identical requests arrive at once', async () => {
    const key = randomUUID();
    const before = await writeCounts(h.db);
    const answers = await Promise.all(Array.from({ length: 10 }, () => submit(key, complaintBody({ description: 'Sepuluh kali kirim karena sinyal putus-putus.' }))));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.tracking_number)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.access_code)).size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    const after = await writeCounts(h.db);
    expect(after.complaint - before.complaint).toBe(1);
    expect(after.audit_entry - before.audit_entry).toBe(1);
    expect(after.outbox_message - before.outbox_message).toBe(1);
    expect(await keyRows(key)).toHaveLength(1);
  });

  it('files separately under different keys, and without a key', async () => {
    const before = await writeCounts(h.db);
    const a = await submit(randomUUID());
    const b = await submit(randomUUID());
    const c = await submit(undefined);
    const d = await submit(undefined);
    expect(new Set([a, b, c, d].map((r) => r.body.tracking_number)).size).toBe(4);
    expect((await writeCounts(h.db)).complaint - before.complaint).toBe(4);
  });

  it('holds a key for 24 hours; after that the key may name a new complaint', async () => {
    const key = randomUUID();
    const first = await submit(key);
    await h.db.query(`UPDATE intake_key SET created_at = created_at - interval '23 hours' WHERE key = $1`, [key]);
    expect((await submit(key)).body).toEqual(first.body);
    expect((await submit(key, complaintBody({ description: 'Masih dalam 24 jam, isi lain: ditolak.' }))).status).toBe(409);

    await h.db.query(`UPDATE intake_key SET created_at = created_at - interval '2 hours' WHERE key = $1`, [key]);
    const before = await writeCounts(h.db);
    const fresh = await submit(key, complaintBody({ description: 'Kunci lama sudah kedaluwarsa, ini pengaduan baru.' }));
    expect(fresh.status).toBe(201);
    expect(fresh.body.tracking_number).not.toBe(first.body.tracking_number);
    expect((await writeCounts(h.db)).complaint - before.complaint).toBe(1);
    expect((await submit(key, complaintBody({ description: 'Kunci lama sudah kedaluwarsa, ini pengaduan baru.' }))).body).toEqual(fresh.body);
  });

  it('refuses a malformed key with a 400 problem and writes nothing', async () => {
    const before = await writeCounts(h.db);
    for (const key of ['short', 'x'.repeat(256), 'spasi di dalam kunci ini', 'kunci-dengan-ümlaut-0123456789']) {
      const res = await submit(key);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, errors: [{ field: 'Idempotency-Key' }] });
    }
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('still validates the body first: a bad body with a key is 422 and leaves the key unused', async () => {
    const key = randomUUID();
    expect((await submit(key, complaintBody({ description: 'pendek' }))).status).toBe(422);
    expect(await keyRows(key)).toHaveLength(0);
    expect((await submit(key)).status).toBe(201);
  });
});
