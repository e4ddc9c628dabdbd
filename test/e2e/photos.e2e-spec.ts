import { craftedJpeg, GPS_LATITUDE_BYTES, pngWithMetadata, webpWithMetadata } from '../support/crafted-images';
import { call, complaintBody, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

type Upload = { status: number; body: any; headers: Record<string, unknown> };

/** Residents' photos: type from the bytes, limits, metadata stripped, audited, and who may read them. */
describe('photos of a complaint', () => {
  let h: Harness;
  let admin: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
  });
  afterAll(() => h.close());

  async function file(): Promise<{ tn: string; code: string }> {
    const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() });
    expect(res.status).toBe(201);
    // Routing and assignment run in the worker; let them finish so row counts stand still.
    await h.quiet();
    return { tn: res.body.tracking_number, code: res.body.access_code };
  }

  async function upload(tn: string, code: string | null, payload: Buffer, type = 'image/jpeg', url = `/api/v1/complaints/${tn}/photos`): Promise<Upload> {
    const headers: Record<string, string> = { 'content-type': type };
    if (code !== null) headers['x-access-code'] = code;
    const res = await h.api.getHttpAdapter().getInstance().inject({ method: 'POST', url, headers, payload });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
  }

  async function photoRows(): Promise<number> {
    const [{ n }]: { n: string }[] = await h.db.query(`SELECT count(*) AS n FROM attachment`);
    return Number(n);
  }

  it('stores a JPEG without its metadata, audits it, and serves it back to the resident', async () => {
    const { tn, code } = await file();
    const res = await upload(tn, code, craftedJpeg(), 'image/jpeg');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), media_type: 'image/jpeg', size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), created_at: expect.any(String) });
    expect(res.headers.location).toBe(`/api/v1/complaints/${tn}/photos/${res.body.id}`);
    expect(res.headers['cache-control']).toBe('no-store');

    const [stored]: { bytes: Buffer; size: number }[] = await h.db.query(`SELECT bytes, size FROM attachment WHERE id = $1`, [res.body.id]);
    expect(stored.bytes.includes(GPS_LATITUDE_BYTES)).toBe(false);
    expect(stored.size).toBe(stored.bytes.length);
    expect(stored.size).toBeLessThan(craftedJpeg().length);

    const photo = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url: res.headers.location as string, headers: { 'x-access-code': code } });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.headers['x-content-type-options']).toBe('nosniff');
    expect(photo.headers['content-security-policy']).toContain('sandbox');
    expect(photo.rawPayload.equals(stored.bytes)).toBe(true);

    const trail: { event: string; actor_type: string; data: Record<string, unknown>; seq: number }[] = await h.db.query(
      `SELECT a.event, a.actor_type, a.data, a.seq FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id WHERE c.tracking_number = $1 ORDER BY a.seq`,
      [tn],
    );
    const added = trail.find((e) => e.event === 'complaint.photo_added');
    expect(added).toMatchObject({ actor_type: 'resident', data: { attachment_id: res.body.id, media_type: 'image/jpeg', size: stored.size, sha256: res.body.sha256 } });
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));

    const list = await call(h, 'GET', `/api/v1/complaints/${tn}/photos`, { headers: { 'x-access-code': code } });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([res.body]);
  });

  it('takes PNG and WebP, reads the type from the bytes whatever is declared, and stops at three photos', async () => {
    const { tn, code } = await file();
    // Declared wrongly on purpose: the bytes decide.
    const png = await upload(tn, code, pngWithMetadata(), 'application/octet-stream');
    expect(png.status).toBe(201);
    expect(png.body.media_type).toBe('image/png');
    const webp = await upload(tn, code, webpWithMetadata(), 'image/jpeg');
    expect(webp.status).toBe(201);
    expect(webp.body.media_type).toBe('image/webp');
    const jpeg = await upload(tn, code, craftedJpeg(), 'image/png');
    expect(jpeg.status).toBe(201);

    // The same image again (a retried upload) is the stored one, not a fourth photo.
    const before = await writeCounts(h.db);
    const again = await upload(tn, code, pngWithMetadata(), 'image/png');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(png.body);

    const fourth = await upload(tn, code, craftedJpeg(1), 'image/jpeg');
    expect(fourth.status).toBe(413);
    expect(fourth.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(fourth.body.detail).toMatch(/at most 3 photos/);
    expect(await writeCounts(h.db)).toEqual(before);

    const list = await call(h, 'GET', `/api/v1/complaints/${tn}/photos`, { headers: { 'x-access-code': code } });
    expect(list.body.map((p: { media_type: string }) => p.media_type)).toEqual(['image/png', 'image/webp', 'image/jpeg']);
  });

  it('lets four concurrent uploads store three and refuse one', async () => {
    const { tn, code } = await file();
    const results = await Promise.all([craftedJpeg(1), craftedJpeg(3), craftedJpeg(6), craftedJpeg(8)].map((b) => upload(tn, code, b)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 413]);
    const list = await call(h, 'GET', `/api/v1/complaints/${tn}/photos`, { headers: { 'x-access-code': code } });
    expect(list.body).toHaveLength(3);
  });

  describe('refusals change nothing', () => {
    let tn: string;
    let code: string;
    beforeAll(async () => ({ tn, code } = await file()));

    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1');
    const cases: { name: string; run: () => Promise<Upload>; status: number }[] = [
      { name: 'a GIF declared as PNG', run: () => upload(tn, code, gif, 'image/png'), status: 415 },
      { name: 'HTML declared as JPEG', run: () => upload(tn, code, Buffer.from('<html><script>alert(1)</script></html>'), 'image/jpeg'), status: 415 },
      { name: 'an SVG', run: () => upload(tn, code, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/svg+xml'), status: 415 },
      { name: 'a JPEG cut in half', run: () => upload(tn, code, craftedJpeg().subarray(0, 60)), status: 415 },
      { name: 'text/plain', run: () => upload(tn, code, Buffer.from('foto'), 'text/plain'), status: 415 },
      { name: 'JSON', run: () => upload(tn, code, Buffer.from('{"photo":"x"}'), 'application/json'), status: 415 },
      { name: 'an empty body', run: () => upload(tn, code, Buffer.alloc(0)), status: 415 },
      { name: 'more than 5 MB', run: () => upload(tn, code, Buffer.concat([craftedJpeg(), Buffer.alloc(5 * 1024 * 1024)])), status: 413 },
      { name: 'no access code', run: () => upload(tn, null, craftedJpeg()), status: 401 },
      { name: 'a wrong access code', run: () => upload(tn, 'AAAA-BBBB-CCCC', craftedJpeg()), status: 404 },
      { name: 'an unknown complaint', run: () => upload('ADN-000101-AAAAAA', code, craftedJpeg()), status: 404 },
      { name: 'a malformed tracking number', run: () => upload("x'%20OR%201=1", code, craftedJpeg()), status: 404 },
      { name: 'an image sent to the complaint intake', run: () => upload(tn, code, craftedJpeg(), 'image/jpeg', '/api/v1/complaints'), status: 415 },
    ];

    it.each(cases)('$name → $status', async (c) => {
      const before = await writeCounts(h.db);
      const photos = await photoRows();
      const res = await c.run();
      expect(res.status).toBe(c.status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: c.status, detail: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toMatch(/stack|SELECT|INSERT|node_modules|MalformedImage|PhotoRejected/i);
      expect(await writeCounts(h.db)).toEqual(before);
      expect(await photoRows()).toBe(photos);
    });
  });

  it('shows photos to the officials who can see the complaint and to nobody else', async () => {
    const { tn, code } = await file();
    const uploaded = await upload(tn, code, pngWithMetadata(), 'image/png');
    const lurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
    const neighbour = await officialIn(h, admin, 'KEL.36.73.01.1002');
    await h.quiet();
    const url = `/api/v1/complaints/${tn}/photos/${uploaded.body.id}`;

    const asLurah = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers: { authorization: `Bearer ${lurah.token}` } });
    expect(asLurah.statusCode).toBe(200);
    expect(asLurah.headers['content-type']).toBe('image/png');
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}/photos`, { token: lurah.token })).body).toHaveLength(1);

    expect((await call(h, 'GET', url, { token: neighbour.token })).status).toBe(404);
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}/photos`, { token: neighbour.token })).status).toBe(404);
    expect((await call(h, 'GET', url, { headers: { 'x-access-code': 'AAAA-BBBB-CCCC' } })).status).toBe(404);
    expect((await call(h, 'GET', url)).status).toBe(401);
    expect((await call(h, 'GET', url, { token: 'forged.token.here' })).status).toBe(401);

    // Another complaint's access code does not open this complaint's photo.
    const other = await file();
    expect((await call(h, 'GET', url.replace(tn, other.tn), { headers: { 'x-access-code': other.code } })).status).toBe(404);
  });

  it('is documented in the OpenAPI spec as a raw image body', async () => {
    const spec = await call(h, 'GET', '/api/docs/openapi.json');
    const upload = spec.body.paths['/api/v1/complaints/{trackingNumber}/photos'].post;
    expect(Object.keys(upload.requestBody.content).sort()).toEqual(['application/octet-stream', 'image/jpeg', 'image/png', 'image/webp']);
    expect(upload.description).toMatch(/read from the bytes/);
    expect(spec.body.paths['/api/v1/complaints/{trackingNumber}/photos/{photoId}'].get).toBeDefined();
  });

  it('takes no photos once the complaint is closed', async () => {
    const { tn, code } = await file();
    const lurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
    await h.quiet();
    const resolved = await call(h, 'POST', `/api/v1/complaints/${tn}/resolve`, { token: lurah.token, body: { resolution: 'Sampah sudah diangkut oleh petugas DLH.' } });
    expect(resolved.status).toBe(200);
    const closed = await call(h, 'POST', `/api/v1/complaints/${tn}/feedback`, { headers: { 'x-access-code': code }, body: { satisfied: true, rating: 5 } });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    await h.quiet();
    const before = await writeCounts(h.db);
    const res = await upload(tn, code, craftedJpeg());
    expect(res.status).toBe(409);
    expect(await writeCounts(h.db)).toEqual(before);
  });
});
