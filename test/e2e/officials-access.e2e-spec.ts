import { JwtService } from '@nestjs/jwt';
import { call, complaintBody, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

/** Every way in that must be refused, tried. A complaint outside the caller's reach is a 404. */
describe('officials: sign-in and scope', () => {
  let h: Harness;
  let admin: string;
  let tn: string;
  let lurah: { token: string; username: string };

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    lurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
    tn = (await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() })).body.tracking_number;
    await h.quiet();
  });
  afterAll(() => h.close());

  const sign = (claims: object, secret: string, expiresIn: number) =>
    new JwtService({ secret }).sign(claims, { expiresIn, issuer: 'aduan', algorithm: 'HS256' });

  it('login answers what docs/api.md promises', async () => {
    const res = await call(h, 'POST', '/api/v1/auth/login', { body: { username: lurah.username, password: 'kata sandi yang cukup panjang' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
      official: { username: lurah.username, name: expect.any(String), roles: ['handler'], unit: 'KEL.36.73.01.1001' },
    });
  });

  it('refuses an expired token, a token signed with another key, an alg=none token, a token for nobody or for no session', async () => {
    const [{ id }]: { id: string }[] = await h.db.query(`SELECT id FROM official WHERE username = $1`, [lurah.username]);
    const secret = process.env.AUTH_TOKEN_SECRET!;
    const sid: string = JSON.parse(Buffer.from(lurah.token.split('.')[1], 'base64url').toString()).sid;
    const forgedNone = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: id, sid, typ: 'access', iss: 'aduan' })).toString('base64url')}.`;
    for (const token of [
      sign({ sub: id, sid, typ: 'access' }, secret, -10),
      sign({ sub: id, sid, typ: 'access' }, 'another-secret-of-sufficient-length-123', 600),
      forgedNone,
      sign({ sub: '00000000-0000-0000-0000-000000000000', sid, typ: 'access' }, secret, 600),
      sign({ sub: id, sid: '00000000-0000-0000-0000-000000000000', typ: 'access' }, secret, 600),
      sign({ sub: id, typ: 'access' }, secret, 600),
      sign({ sub: id, sid, typ: 'refresh' }, secret, 600),
    ]) {
      expect((await call(h, 'GET', '/api/v1/inbox', { token })).status).toBe(401);
      expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token })).status).toBe(401);
    }
    expect((await call(h, 'GET', '/api/v1/inbox', { token: sign({ sub: id, sid, typ: 'access' }, secret, 600) })).status).toBe(200);
  });

  it('shuts out a deactivated official at once, even with a token still valid', async () => {
    const gone = await officialIn(h, admin, 'KEL.36.73.01.1001');
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: gone.token })).status).toBe(200);
    await h.db.query(`UPDATE official SET active = false WHERE username = $1`, [gone.username]);
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: gone.token })).status).toBe(401);
    expect((await call(h, 'POST', '/api/v1/auth/login', { body: { username: gone.username, password: 'kata sandi yang cukup panjang' } })).status).toBe(401);
  });

  it('gives every outsider the same 404: other kelurahan, other tenant, an OPD, an admin', async () => {
    const outsiders = [
      await officialIn(h, admin, 'KEL.36.73.01.1002'),
      await officialIn(h, admin, 'KEL.36.71.01.1001'),
      await officialIn(h, admin, 'OPD.36.73.PUPR'),
      await officialIn(h, admin, 'INSP.36.71', ['inspector']),
      { token: admin },
    ];
    for (const o of outsiders) {
      const res = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: o.token });
      expect(res.status).toBe(404);
      const unknown = await call(h, 'GET', '/api/v1/complaints/ADN-000000-AAAAAA', { token: o.token });
      expect(unknown.body.detail).toBe(res.body.detail);
    }
    const inspector = await officialIn(h, admin, 'INSP.36.73', ['inspector']);
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: inspector.token })).status).toBe(200);
    expect((await call(h, 'GET', '/api/v1/inbox', { token: inspector.token })).body.total).toBe(0);
  });

  it('keeps a tenant admin inside their own tenant', async () => {
    const tenantAdmin = await officialIn(h, admin, 'INSP.36.73', ['admin']);
    const body = (unit: string) => ({ username: `x${Math.random().toString(36).slice(2, 9)}`, name: 'Petugas', password: 'kata sandi panjang sekali', unit, roles: ['handler'] });
    expect((await call(h, 'POST', '/api/v1/admin/officials', { token: tenantAdmin.token, body: body('KEL.36.73.01.1003') })).status).toBe(201);
    const before = await h.db.query(`SELECT count(*) FROM official`);
    expect((await call(h, 'POST', '/api/v1/admin/officials', { token: tenantAdmin.token, body: body('KEL.36.71.01.1001') })).status).toBe(403);
    expect(await h.db.query(`SELECT count(*) FROM official`)).toEqual(before);
  });
});
