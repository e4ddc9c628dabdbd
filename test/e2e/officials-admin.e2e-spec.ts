import { hashEntry } from '@aduan/audit';
import { call, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

const PASSWORD = 'kata sandi yang cukup panjang';

interface Entry {
  stream: string;
  seq: number;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  event: string;
  data: Record<string, any>;
  channel: string;
  request_id: string | null;
  outcome: string;
  prev_hash: string | null;
  hash: string;
}

/**
 * Officials through the API, not SQL: list, change, reset a password; every change (and every API
 * key issued or revoked) is an entry on its tenant's own audit chain, saying who, what, through
 * which channel and request, and never holding a password or a key.
 */
describe('administering officials through the API, audited', () => {
  let h: Harness;
  let platform: string;
  let tenantAdmin: { token: string; username: string };
  let otherAdmin: { token: string; username: string };

  const entries = async (stream: string): Promise<Entry[]> => h.db.query(`SELECT * FROM audit_entry WHERE stream = $1 ORDER BY seq`, [stream]);
  const idOf = async (username: string): Promise<string> => (await h.db.query(`SELECT id FROM official WHERE username = $1`, [username]))[0].id;
  const create = (token: string, unit = 'KEL.36.73.01.1001', extra: Record<string, unknown> = {}) => {
    const username = `adm-${Math.random().toString(36).slice(2, 10)}`;
    return call(h, 'POST', '/api/v1/admin/officials', { token, body: { username, name: 'Petugas Kelurahan', password: PASSWORD, unit, roles: ['handler'], ...extra } });
  };

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    platform = await loginAdmin(h);
    tenantAdmin = await officialIn(h, platform, 'OPD.36.73.SETDA', ['admin']);
    otherAdmin = await officialIn(h, platform, 'OPD.36.71.SETDA', ['admin']);
  });
  afterAll(async () => {
    // The mailbox given to a lurah here must not outlive this file: later files count who a unit's notices mail.
    await h.db.query(`UPDATE official SET active = false WHERE email = 'lurah@serangkota.go.id'`);
    await h.close();
  });

  it('records a new official on the tenant’s chain: who, what, the request, never the password', async () => {
    const res = await create(tenantAdmin.token, 'KEL.36.73.01.1001', { email: 'lurah@serangkota.go.id' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      username: expect.any(String),
      name: 'Petugas Kelurahan',
      email: 'lurah@serangkota.go.id',
      tenant: '36.73',
      unit: 'KEL.36.73.01.1001',
      roles: ['handler'],
      active: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const last = (await entries('officials:36.73')).at(-1)!;
    expect(last).toMatchObject({
      event: 'officials.created',
      actor_type: 'official',
      actor_id: await idOf(tenantAdmin.username),
      channel: 'api',
      request_id: res.headers['x-request-id'],
      outcome: 'success',
      data: { official_id: res.body.id, unit: 'KEL.36.73.01.1001', roles: ['handler'], active: true, email_on_file: true },
    });
    expect(JSON.stringify(last.data)).not.toContain(PASSWORD);
  });

  it('lists a tenant’s officials for its admin only, paged, without password hashes', async () => {
    const mine = await call(h, 'GET', '/api/v1/admin/officials?page_size=200', { token: tenantAdmin.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ page: 1, page_size: 200, total: expect.any(Number) });
    expect(mine.body.items.length).toBe(Math.min(200, mine.body.total));
    expect(mine.body.items.every((o: { tenant: string }) => o.tenant === '36.73')).toBe(true);
    expect(JSON.stringify(mine.body)).not.toMatch(/password|argon2/);
    const usernames = mine.body.items.map((o: { username: string }) => o.username);
    expect(usernames).toEqual([...usernames].sort());

    const unit = await call(h, 'GET', '/api/v1/admin/officials?tenant=36.73&unit=OPD.36.73.SETDA', { token: tenantAdmin.token });
    expect(unit.body.items.map((o: { username: string }) => o.username)).toContain(tenantAdmin.username);
    expect(unit.body.items.every((o: { unit: string }) => o.unit === 'OPD.36.73.SETDA')).toBe(true);
    const paged = await call(h, 'GET', '/api/v1/admin/officials?page=2&page_size=1', { token: tenantAdmin.token });
    expect(paged.body).toMatchObject({ page: 2, page_size: 1, total: mine.body.total });
    expect(paged.body.items).toEqual([mine.body.items[1]]);

    expect((await call(h, 'GET', '/api/v1/admin/officials?tenant=36.71', { token: tenantAdmin.token })).status).toBe(403);
    expect((await call(h, 'GET', '/api/v1/admin/officials?tenant=36.71', { token: platform })).body.items.map((o: { username: string }) => o.username)).toContain(otherAdmin.username);
    expect((await call(h, 'GET', '/api/v1/admin/officials?tenant=99.99', { token: platform })).status).toBe(404);
    const handler = await officialIn(h, platform, 'KEL.36.73.01.1001');
    expect((await call(h, 'GET', '/api/v1/admin/officials', { token: handler.token })).status).toBe(403);
    for (const query of ['page=0', 'page_size=500', 'tenant=serang', 'unit=lurah', 'sort=name']) {
      expect([query, (await call(h, 'GET', `/api/v1/admin/officials?${query}`, { token: tenantAdmin.token })).status]).toEqual([query, 422]);
    }
  });

  it('changes name, email and unit, recording each changed field as from → to (a name or an address only as changed: those stay out of the log)', async () => {
    const created = (await create(tenantAdmin.token)).body;
    const res = await call(h, 'PATCH', `/api/v1/admin/officials/${created.username}`, {
      token: tenantAdmin.token,
      body: { name: 'Petugas Kecamatan', email: 'camat@serangkota.go.id', unit: 'KEC.36.73.01' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: created.username, name: 'Petugas Kecamatan', email: 'camat@serangkota.go.id', unit: 'KEC.36.73.01', roles: ['handler'], active: true });
    const last = (await entries('officials:36.73')).at(-1)!;
    expect(last).toMatchObject({
      event: 'officials.updated',
      actor_id: await idOf(tenantAdmin.username),
      request_id: res.headers['x-request-id'],
      data: {
        official_id: created.id,
        changes: {
          name: { changed: true },
          email: { changed: true },
          unit: { from: 'KEL.36.73.01.1001', to: 'KEC.36.73.01' },
        },
      },
    });
    // Removing the email, and a change that changes nothing (no entry).
    expect((await call(h, 'PATCH', `/api/v1/admin/officials/${created.username}`, { token: tenantAdmin.token, body: { email: null } })).body.email).toBeNull();
    const before = await writeCounts(h.db);
    expect((await call(h, 'PATCH', `/api/v1/admin/officials/${created.username}`, { token: tenantAdmin.token, body: { name: 'Petugas Kecamatan' } })).status).toBe(200);
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('deactivating ends the official’s sessions at once; reactivating does not revive them', async () => {
    const lurah = await officialIn(h, tenantAdmin.token, 'KEL.36.73.01.1002');
    expect((await call(h, 'GET', '/api/v1/inbox', { token: lurah.token })).status).toBe(200);
    const res = await call(h, 'PATCH', `/api/v1/admin/officials/${lurah.username}`, { token: tenantAdmin.token, body: { active: false } });
    expect(res.body.active).toBe(false);
    expect((await call(h, 'GET', '/api/v1/inbox', { token: lurah.token })).status).toBe(401);
    expect((await entries('officials:36.73')).at(-1)!.data).toMatchObject({ changes: { active: { from: true, to: false } }, sessions_ended: 1 });
    await call(h, 'PATCH', `/api/v1/admin/officials/${lurah.username}`, { token: tenantAdmin.token, body: { active: true } });
    expect((await call(h, 'GET', '/api/v1/inbox', { token: lurah.token })).status).toBe(401);
    expect((await call(h, 'POST', '/api/v1/auth/login', { body: { username: lurah.username, password: PASSWORD } })).status).toBe(200);
  });

  it('refuses what breaks a rule, and officials outside the admin’s tenants are 404; nothing is written', async () => {
    const created = (await create(tenantAdmin.token)).body;
    const foreign = (await create(otherAdmin.token, 'KEL.36.71.01.1001')).body;
    const before = await writeCounts(h.db);
    const patch = (token: string, username: string, body: unknown) => call(h, 'PATCH', `/api/v1/admin/officials/${username}`, { token, body });
    const cases: [string, Promise<{ status: number }>, number][] = [
      ['empty body', patch(tenantAdmin.token, created.username, {}), 422],
      ['unknown field', patch(tenantAdmin.token, created.username, { password: 'sandi baru yang panjang' }), 422],
      ['bad email', patch(tenantAdmin.token, created.username, { email: 'bukan email' }), 422],
      ['unknown unit', patch(tenantAdmin.token, created.username, { unit: 'KEL.36.73.99.9999' }), 422],
      ['no roles', patch(tenantAdmin.token, created.username, { roles: [] }), 422],
      ['invisible name', patch(tenantAdmin.token, created.username, { name: '\u200b\u200b\u200b' }), 422],
      ['another tenant’s unit', patch(tenantAdmin.token, created.username, { unit: 'KEL.36.71.01.1001' }), 403],
      ['another tenant’s official', patch(tenantAdmin.token, foreign.username, { name: 'Diambil alih' }), 404],
      ['no such official', patch(tenantAdmin.token, 'tidak.ada.orangnya', { name: 'Siapa' }), 404],
      ['a username that cannot exist', patch(tenantAdmin.token, 'a%20b', { name: 'Siapa' }), 404],
      ['the bootstrap admin', patch(platform, 'admin', { name: 'Bukan admin' }), 403],
      ['the bootstrap admin, by a tenant admin', patch(tenantAdmin.token, 'admin', { active: false }), 404],
    ];
    for (const [name, pending, status] of cases) {
      const res = await pending;
      expect([name, res.status]).toEqual([name, status]);
    }
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('records a move between tenants (platform admin) on both tenants’ chains', async () => {
    const created = (await create(tenantAdmin.token)).body;
    const res = await call(h, 'PATCH', `/api/v1/admin/officials/${created.username}`, { token: platform, body: { unit: 'KEL.36.71.01.1001' } });
    expect(res.body).toMatchObject({ tenant: '36.71', unit: 'KEL.36.71.01.1001' });
    for (const stream of ['officials:36.73', 'officials:36.71']) {
      expect((await entries(stream)).at(-1)).toMatchObject({
        event: 'officials.updated',
        data: { official_id: created.id, changes: { tenant: { from: '36.73', to: '36.71' }, unit: { from: 'KEL.36.73.01.1001', to: 'KEL.36.71.01.1001' } } },
      });
    }
  });

  it('resets a password: sessions end, the new one works, the entry holds no password', async () => {
    const lurah = await officialIn(h, tenantAdmin.token, 'KEL.36.73.01.1003');
    const fresh = 'sandi baru dari admin kota';
    expect((await call(h, 'POST', `/api/v1/admin/officials/${lurah.username}/password`, { token: tenantAdmin.token, body: { new_password: 'pendek' } })).status).toBe(422);
    const res = await call(h, 'POST', `/api/v1/admin/officials/${lurah.username}/password`, { token: tenantAdmin.token, body: { new_password: fresh } });
    expect(res.status).toBe(204);
    expect((await call(h, 'GET', '/api/v1/inbox', { token: lurah.token })).status).toBe(401);
    expect((await call(h, 'POST', '/api/v1/auth/login', { body: { username: lurah.username, password: PASSWORD } })).status).toBe(401);
    expect((await call(h, 'POST', '/api/v1/auth/login', { body: { username: lurah.username, password: fresh } })).status).toBe(200);
    const last = (await entries('officials:36.73')).at(-1)!;
    expect(last).toMatchObject({ event: 'officials.password_reset', actor_id: await idOf(tenantAdmin.username), request_id: res.headers['x-request-id'], data: { official_id: await idOf(lurah.username), sessions_ended: 1 } });
    expect(JSON.stringify(last.data)).not.toContain(fresh);
  });

  it('records an official changing their own password', async () => {
    const lurah = await officialIn(h, tenantAdmin.token, 'KEL.36.73.01.1004');
    const res = await call(h, 'POST', '/api/v1/auth/password', { token: lurah.token, body: { current_password: PASSWORD, new_password: 'sandi pribadi yang baru' } });
    expect(res.status).toBe(204);
    expect((await entries('officials:36.73')).at(-1)).toMatchObject({ event: 'officials.password_changed', actor_id: await idOf(lurah.username), data: { official_id: await idOf(lurah.username), sessions_ended: 1 } });
  });

  it('records API keys issued and revoked on the tenant’s key chain, never the key', async () => {
    const issued = await call(h, 'POST', '/api/v1/admin/api-keys', { token: tenantAdmin.token, body: { name: 'FixMyStreet Serang' } });
    expect(issued.status).toBe(201);
    expect((await call(h, 'DELETE', `/api/v1/admin/api-keys/${issued.body.id}`, { token: tenantAdmin.token })).status).toBe(204);
    expect((await call(h, 'DELETE', `/api/v1/admin/api-keys/${issued.body.id}`, { token: tenantAdmin.token })).status).toBe(204);
    const chain = (await entries('api-keys:36.73')).filter((e) => e.data.api_key_id === issued.body.id);
    expect(chain.map((e) => [e.event, e.actor_id, e.data])).toEqual([
      ['api_keys.issued', await idOf(tenantAdmin.username), { api_key_id: issued.body.id, name: 'FixMyStreet Serang', tenant: '36.73' }],
      ['api_keys.revoked', await idOf(tenantAdmin.username), { api_key_id: issued.body.id, name: 'FixMyStreet Serang', tenant: '36.73' }],
    ]);
    expect(JSON.stringify(chain)).not.toContain(issued.body.api_key);
    const everywhere = await call(h, 'POST', '/api/v1/admin/api-keys', { token: platform, body: { name: 'Nasional' } });
    expect((await entries('api-keys:platform')).at(-1)).toMatchObject({ event: 'api_keys.issued', data: { api_key_id: everywhere.body.id, tenant: null } });
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await call(h, 'GET', '/api/docs/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/admin/officials']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/admin/officials/{username}'])).toEqual(['patch']);
    expect(Object.keys(doc.paths['/api/v1/admin/officials/{username}/password'])).toEqual(['post']);
    expect(JSON.stringify(doc.paths['/api/v1/admin/officials/{username}'].patch)).toContain('Separation of duties');
  });

  it('keeps each stream an unbroken hash chain, and the bootstrap admin’s creation on the platform’s', async () => {
    for (const stream of ['officials:36.73', 'officials:36.71', 'officials:platform', 'api-keys:36.73']) {
      const chain = await entries(stream);
      expect(chain.length).toBeGreaterThan(0);
      chain.forEach((e, i) => {
        expect(e.seq).toBe(i + 1);
        expect(e.prev_hash).toBe(i === 0 ? null : chain[i - 1].hash);
        const { hash, ...rest } = e;
        expect(
          hashEntry({
            stream: rest.stream, seq: rest.seq, at: rest.at, actorType: rest.actor_type as 'official', actorId: rest.actor_id, event: rest.event, data: rest.data,
            channel: rest.channel as 'api', requestId: rest.request_id, outcome: rest.outcome, prevHash: rest.prev_hash,
          }),
        ).toBe(hash);
      });
    }
    expect((await entries('officials:platform'))[0]).toMatchObject({ event: 'officials.created', actor_type: 'system', data: { roles: ['admin'], email_on_file: false } });
  });
});
