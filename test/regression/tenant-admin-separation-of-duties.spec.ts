import { call, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

const PASSWORD = 'kata sandi yang cukup panjang';
let serial = 0;
const newOfficial = (unit: string, roles: string[]) => {
  serial += 1;
  return { username: `sod-${serial}-${Math.random().toString(36).slice(2, 8)}`, name: 'Petugas Uji', password: PASSWORD, unit, roles };
};

/**
 * Found by an attack on a running instance: a tenant admin created an official with the
 * `inspector` role and, through it, revealed reporters' identities; it could also place a handler
 * in the Inspektorat and so read every complaint about officials. Granting `inspector` or
 * `admin`, any account in an `INSP.*` unit, and password resets of such accounts now need the
 * bootstrap (platform) admin; a tenant admin asking gets 403 and nothing is written.
 */
describe('a tenant admin cannot hand out the Inspektorat’s powers', () => {
  let h: Harness;
  let platform: string;
  let tenantAdmin: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    platform = await loginAdmin(h);
    tenantAdmin = (await officialIn(h, platform, 'OPD.36.73.SETDA', ['admin'])).token;
  });
  afterAll(() => h.close());

  it.each([
    ['an inspector', 'INSP.36.73', ['inspector']],
    ['a handler in the Inspektorat', 'INSP.36.73', ['handler']],
    ['another admin', 'OPD.36.73.SETDA', ['admin']],
    ['a handler who is also an admin', 'KEL.36.73.01.1001', ['handler', 'admin']],
  ])('refuses to create %s (403, nothing written); the platform admin may', async (_, unit, roles) => {
    const before = await writeCounts(h.db);
    const refused = await call(h, 'POST', '/api/v1/admin/officials', { token: tenantAdmin, body: newOfficial(unit, roles) });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(await writeCounts(h.db)).toEqual(before);
    expect((await call(h, 'POST', '/api/v1/admin/officials', { token: platform, body: newOfficial(unit, roles) })).status).toBe(201);
  });

  it('refuses to move a handler into the Inspektorat or to make one an inspector or admin', async () => {
    const handler = newOfficial('KEL.36.73.01.1001', ['handler']);
    expect((await call(h, 'POST', '/api/v1/admin/officials', { token: tenantAdmin, body: handler })).status).toBe(201);
    for (const change of [{ unit: 'INSP.36.73' }, { roles: ['admin'] }, { unit: 'INSP.36.73', roles: ['inspector'] }]) {
      const before = await writeCounts(h.db);
      const res = await call(h, 'PATCH', `/api/v1/admin/officials/${handler.username}`, { token: tenantAdmin, body: change });
      expect([change, res.status]).toEqual([change, 403]);
      expect(await writeCounts(h.db)).toEqual(before);
    }
    const [row]: { roles: string[]; code: string }[] = await h.db.query(
      `SELECT o.roles, u.code FROM official o JOIN unit u ON u.id = o.unit_id WHERE o.username = $1`,
      [handler.username],
    );
    expect(row).toEqual({ roles: ['handler'], code: 'KEL.36.73.01.1001' });
  });

  it('refuses to edit an inspector or reset their password; the platform admin may', async () => {
    const inspector = await officialIn(h, platform, 'INSP.36.73', ['inspector']);
    const edit = await call(h, 'PATCH', `/api/v1/admin/officials/${inspector.username}`, { token: tenantAdmin, body: { email: 'menyadap@example.com' } });
    expect(edit.status).toBe(403);
    const reset = await call(h, 'POST', `/api/v1/admin/officials/${inspector.username}/password`, { token: tenantAdmin, body: { new_password: 'sandi baru milik penyerang' } });
    expect(reset.status).toBe(403);
    expect((await call(h, 'POST', '/api/v1/auth/login', { body: { username: inspector.username, password: 'sandi baru milik penyerang' } })).status).toBe(401);
    expect((await call(h, 'GET', '/api/v1/inbox', { token: inspector.token })).status).toBe(200);

    const byPlatform = await call(h, 'POST', `/api/v1/admin/officials/${inspector.username}/password`, { token: platform, body: { new_password: 'sandi baru yang sah sekali' } });
    expect(byPlatform.status).toBe(204);
    expect((await call(h, 'GET', '/api/v1/inbox', { token: inspector.token })).status).toBe(401);
  });
});
