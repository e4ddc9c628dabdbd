import { createHash } from 'node:crypto';
import { call, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

const KEY = /^adn_[0-9A-Za-z]{32}$/;

/** API keys for Open311 clients (docs/api.md, Administration): shown once, stored as a hash, revocable. */
describe('API keys', () => {
  let h: Harness;
  let admin: string;
  let lurah: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    admin = await loginAdmin(h);
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
  });
  afterAll(() => h.close());

  const openPost = (apiKey: string, jurisdiction = 'serangkota.go.id') =>
    call(h, 'POST', '/open311/v2/requests.json', {
      raw: new URLSearchParams({
        api_key: apiKey,
        jurisdiction_id: jurisdiction,
        service_code: 'SAMPAH',
        'attribute[kelurahan]': jurisdiction === 'serangkota.go.id' ? '36.73.01.1001' : '36.71.01.1001',
        description: 'Sampah menumpuk di depan pasar, dikirim lewat Open311.',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  it('issues a key once, stores only its SHA-256, and lists keys without them', async () => {
    const issued = await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'FixMyStreet Serang' } });
    expect(issued.status).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    expect(issued.body).toEqual({ id: expect.any(String), name: 'FixMyStreet Serang', api_key: expect.stringMatching(KEY), tenant: null });
    const key: string = issued.body.api_key;

    const rows: Record<string, unknown>[] = await h.db.query(`SELECT * FROM api_key WHERE id = $1`, [issued.body.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(key.slice(4));

    const listed = await call(h, 'GET', '/api/v1/admin/api-keys', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual({ id: issued.body.id, name: 'FixMyStreet Serang', tenant: null, created_at: expect.any(String), revoked_at: null });
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(4));
    expect(JSON.stringify(listed.body)).not.toContain(rows[0].key_hash);

    // Two keys are never the same.
    const other = await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'FixMyStreet Serang' } });
    expect(other.body.api_key).not.toBe(key);
  });

  it('lets the key file through Open311 until it is revoked, then refuses it at once', async () => {
    const issued = await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'Aplikasi warga' } });
    expect((await openPost(issued.body.api_key)).status).toBe(200);

    const revoked = await call(h, 'DELETE', `/api/v1/admin/api-keys/${issued.body.id}`, { token: admin });
    expect(revoked.status).toBe(204);
    const before = await writeCounts(h.db);
    const refused = await openPost(issued.body.api_key);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([{ code: 403, description: 'Invalid api_key.' }]);
    expect(await writeCounts(h.db)).toEqual(before);

    const listed = await call(h, 'GET', '/api/v1/admin/api-keys', { token: admin });
    expect(listed.body.find((k: { id: string }) => k.id === issued.body.id).revoked_at).toEqual(expect.any(String));
    // Revoking again changes nothing and still answers 204.
    expect((await call(h, 'DELETE', `/api/v1/admin/api-keys/${issued.body.id}`, { token: admin })).status).toBe(204);
  });

  it('keeps keys an administrators’ matter: 401 without a token, 403 for a handler', async () => {
    const issued = await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'Untuk diuji' } });
    expect((await call(h, 'POST', '/api/v1/admin/api-keys', { body: { name: 'x' } })).status).toBe(401);
    expect((await call(h, 'GET', '/api/v1/admin/api-keys')).status).toBe(401);
    for (const res of [
      await call(h, 'POST', '/api/v1/admin/api-keys', { token: lurah, body: { name: 'x' } }),
      await call(h, 'GET', '/api/v1/admin/api-keys', { token: lurah }),
      await call(h, 'DELETE', `/api/v1/admin/api-keys/${issued.body.id}`, { token: lurah }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await openPost(issued.body.api_key)).status).toBe(200);
  });

  it('scopes a tenant admin’s keys to the tenant, for issuing, listing, revoking and filing', async () => {
    const tenantAdmin = (await officialIn(h, admin, 'INSP.36.73', ['admin'])).token;
    const mine = await call(h, 'POST', '/api/v1/admin/api-keys', { token: tenantAdmin, body: { name: 'Kanal Kota Serang' } });
    expect(mine.status).toBe(201);
    expect(mine.body.tenant).toBe('36.73');
    expect((await call(h, 'POST', '/api/v1/admin/api-keys', { token: tenantAdmin, body: { name: 'x', tenant: '36.71' } })).status).toBe(403);

    const global = await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'Global' } });
    const tangerang = await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'Tangerang', tenant: '36.71' } });
    expect(tangerang.body.tenant).toBe('36.71');
    const listed = await call(h, 'GET', '/api/v1/admin/api-keys', { token: tenantAdmin });
    const ids = listed.body.map((k: { id: string }) => k.id);
    expect(ids).toContain(mine.body.id);
    expect(ids).not.toContain(global.body.id);
    expect(ids).not.toContain(tangerang.body.id);
    expect((await call(h, 'DELETE', `/api/v1/admin/api-keys/${global.body.id}`, { token: tenantAdmin })).status).toBe(404);
    expect((await call(h, 'DELETE', `/api/v1/admin/api-keys/${tangerang.body.id}`, { token: tenantAdmin })).status).toBe(404);

    // A key of Kota Serang files there and nowhere else.
    expect((await openPost(mine.body.api_key)).status).toBe(200);
    const elsewhere = await openPost(mine.body.api_key, 'tangerangkota.go.id');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body[0].description).toMatch(/not valid for this jurisdiction/);
    expect((await openPost(tangerang.body.api_key, 'tangerangkota.go.id')).status).toBe(200);
  });

  it('refuses bad input with problem documents and writes nothing', async () => {
    const [{ n: before }] = await h.db.query(`SELECT count(*)::int AS n FROM api_key`);
    expect((await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: {} })).status).toBe(422);
    expect((await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: '   ' } })).status).toBe(422);
    expect((await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'x', api_key: 'adn_mine' } })).status).toBe(422);
    expect((await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'x', tenant: '99.99' } })).status).toBe(422);
    expect((await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    expect((await call(h, 'DELETE', '/api/v1/admin/api-keys/00000000-0000-4000-8000-000000000000', { token: admin })).status).toBe(404);
    expect((await call(h, 'DELETE', "/api/v1/admin/api-keys/'%20OR%201=1", { token: admin })).status).toBe(404);
    const [{ n: after }] = await h.db.query(`SELECT count(*)::int AS n FROM api_key`);
    expect(after).toBe(before);
  });
});
