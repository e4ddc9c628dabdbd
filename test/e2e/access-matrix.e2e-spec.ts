import { JwtService } from '@nestjs/jwt';
import { call, fileAndRoute, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

type Who = 'holder' | 'otherUnit' | 'otherTenant' | 'inspector' | 'otherInspector' | 'tenantAdmin' | 'otherAdmin' | 'systemAdmin';
type Bad = 'none' | 'expired' | 'forged' | 'deactivated' | 'loggedOut' | 'garbage';

/**
 * Every officials' endpoint, tried by every kind of caller. A complaint outside the caller's
 * reach is a 404 (never 403: nobody learns it exists); a visible complaint the caller may not
 * act on is a 403; anyone without a live session is a 401. Refusals write nothing.
 */
describe('access control matrix', () => {
  let h: Harness;
  const tokens = {} as Record<Who | Bad, string>;
  let tn: string;
  let holderName: string;

  beforeAll(async () => {
    h = await startHarness();
    tokens.systemAdmin = await loginAdmin(h);
    const admin = tokens.systemAdmin;
    const holder = await officialIn(h, admin, 'KEL.36.73.01.1001');
    tokens.holder = holder.token;
    holderName = holder.username;
    tokens.otherUnit = (await officialIn(h, admin, 'KEL.36.73.01.1002')).token;
    tokens.otherTenant = (await officialIn(h, admin, 'KEL.36.71.01.1001')).token;
    tokens.inspector = (await officialIn(h, admin, 'INSP.36.73', ['inspector'])).token;
    tokens.otherInspector = (await officialIn(h, admin, 'INSP.36.71', ['inspector'])).token;
    tokens.tenantAdmin = (await officialIn(h, admin, 'OPD.36.73.SETDA', ['admin'])).token;
    tokens.otherAdmin = (await officialIn(h, admin, 'OPD.36.71.SETDA', ['admin'])).token;
    const claims = JSON.parse(Buffer.from(tokens.holder.split('.')[1], 'base64url').toString());
    tokens.expired = new JwtService({ secret: process.env.AUTH_TOKEN_SECRET! }).sign({ sub: claims.sub, sid: claims.sid, typ: 'access' }, { expiresIn: -1, issuer: 'aduan' });
    tokens.forged = new JwtService({ secret: 'not-the-secret-but-long-enough-to-sign-0000' }).sign({ sub: claims.sub, sid: claims.sid, typ: 'access' }, { expiresIn: 600, issuer: 'aduan' });
    const gone = await officialIn(h, admin, 'KEL.36.73.01.1001');
    tokens.deactivated = gone.token;
    await h.db.query(`UPDATE official SET active = false WHERE username = $1`, [gone.username]);
    const leaving = await officialIn(h, admin, 'KEL.36.73.01.1001');
    await call(h, 'POST', '/api/v1/auth/logout', { token: leaving.token });
    tokens.loggedOut = leaving.token;
    tokens.garbage = 'not.a.token';
    tn = (await fileAndRoute(h)).tn;
  });
  afterAll(() => h.close());

  const complaintEndpoints: { name: string; method: 'GET' | 'POST'; path: () => string; body?: unknown; read: boolean; template?: string }[] = [
    { name: 'view', method: 'GET', path: () => `/api/v1/complaints/${tn}`, read: true },
    { name: 'acknowledge', method: 'POST', path: () => `/api/v1/complaints/${tn}/acknowledge`, body: {}, read: false },
    { name: 'request-info', method: 'POST', path: () => `/api/v1/complaints/${tn}/request-info`, body: { question: 'Di mana lokasinya?' }, read: false },
    { name: 'forward', method: 'POST', path: () => `/api/v1/complaints/${tn}/forward`, body: { unit: 'OPD.36.73.DLH', reason: 'Kewenangan DLH.' }, read: false },
    { name: 'return', method: 'POST', path: () => `/api/v1/complaints/${tn}/return`, body: { reason: 'Bukan kewenangan kami.' }, read: false },
    { name: 'resolve', method: 'POST', path: () => `/api/v1/complaints/${tn}/resolve`, body: { resolution: 'Sudah diselesaikan dengan baik.' }, read: false },
    { name: 'reject', method: 'POST', path: () => `/api/v1/complaints/${tn}/reject`, body: { reason: 'invalid', note: 'Tidak dapat ditindaklanjuti.' }, read: false },
    { name: 'reveal-reporter', method: 'POST', path: () => `/api/v1/complaints/${tn}/reveal-reporter`, body: { reason: 'Pemeriksaan internal nomor 1.' }, read: false },
    ...(['confirm', 'clear'] as const).map((decision) => ({
      name: `${decision} accused`, method: 'POST' as const, template: `/api/v1/oversight/conflicts/TN/${decision}`,
      path: () => `/api/v1/oversight/conflicts/${tn}/${decision}`, body: { reason: 'Sudah diperiksa oleh Inspektorat.', units: decision === 'confirm' ? ['OPD.36.73.DLH'] : undefined }, read: false,
    })),
  ];
  /** Only an inspector reveals a reporter or reviews whom a complaint accuses. */
  const inspectorsOnly = (name: string) => name === 'reveal-reporter' || name.endsWith(' accused');

  const expectedFor = (who: Who, e: (typeof complaintEndpoints)[number]): number => {
    if (who === 'holder') return inspectorsOnly(e.name) ? 403 : -1; // -1: allowed; not exercised here
    if (who === 'inspector') return e.read || inspectorsOnly(e.name) ? -1 : 403;
    return 404;
  };

  const outsiders: Who[] = ['otherUnit', 'otherTenant', 'otherInspector', 'tenantAdmin', 'otherAdmin', 'systemAdmin', 'inspector', 'holder'];
  for (const who of outsiders) {
    for (const e of complaintEndpoints) {
      const status = expectedFor(who, e);
      if (status < 0) continue;
      it(`${who} → ${e.name} → ${status}`, async () => {
        const before = await writeCounts(h.db);
        const res = await call(h, e.method, e.path(), { token: tokens[who], body: e.body });
        expect(res.status).toBe(status);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        expect(await writeCounts(h.db)).toEqual(before);
      });
    }
  }

  const officialsEndpoints: { name: string; method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: unknown }[] = [
    ...complaintEndpoints.map((e) => ({ name: e.name, method: e.method, path: e.template ?? `/api/v1/complaints/TN/${e.name === 'view' ? '' : e.name}`.replace(/\/$/, ''), body: e.body })),
    { name: 'accused review list', method: 'GET', path: '/api/v1/oversight/conflicts' },
    { name: 'markers', method: 'GET', path: '/api/v1/oversight/markers' },
    { name: 'add marker', method: 'POST', path: '/api/v1/oversight/markers', body: { phrase: 'uang tiket masuk' } },
    { name: 'remove marker', method: 'DELETE', path: '/api/v1/oversight/markers/00000000-0000-4000-8000-000000000000' },
    { name: 'response times', method: 'GET', path: '/api/v1/oversight/response-times' },
    { name: 'unit response times', method: 'GET', path: '/api/v1/oversight/response-times/units/KEL.36.73.01.1001' },
    { name: 'missed deadlines', method: 'GET', path: '/api/v1/oversight/breaches' },
    { name: 'inbox', method: 'GET', path: '/api/v1/inbox' },
    { name: 'inbox summary', method: 'GET', path: '/api/v1/inbox/summary' },
    { name: 'create official', method: 'POST', path: '/api/v1/admin/officials', body: { username: 'x.y.z', name: 'X', password: 'kata sandi panjang', unit: 'KEL.36.73.01.1001', roles: ['handler'] } },
    { name: 'list officials', method: 'GET', path: '/api/v1/admin/officials?tenant=36.73' },
    { name: 'change official', method: 'PATCH', path: '/api/v1/admin/officials/HOLDER', body: { name: 'Diambil alih' } },
    { name: 'reset password', method: 'POST', path: '/api/v1/admin/officials/HOLDER/password', body: { new_password: 'sandi baru yang panjang' } },
    { name: 'routing rule', method: 'GET', path: '/api/v1/admin/routing-rules/SAMPAH?tenant=36.73' },
    { name: 'set routing rule', method: 'PUT', path: '/api/v1/admin/routing-rules/SAMPAH?tenant=36.73', body: { tier: 'camat' } },
    { name: 'sla', method: 'GET', path: '/api/v1/admin/sla/SAMPAH?tenant=36.73' },
    { name: 'set sla', method: 'PUT', path: '/api/v1/admin/sla/SAMPAH?tenant=36.73', body: { first_response: { working_days: 1 }, resolution: { working_days: 1 } } },
    { name: 'holidays', method: 'GET', path: '/api/v1/admin/holidays/2026' },
    { name: 'set holidays', method: 'PUT', path: '/api/v1/admin/holidays/2030', body: [] },
    { name: 'logout', method: 'POST', path: '/api/v1/auth/logout' },
    { name: 'change password', method: 'POST', path: '/api/v1/auth/password', body: { current_password: 'x', new_password: 'sandi baru yang panjang' } },
  ];
  const unauthenticated: Bad[] = ['none', 'expired', 'forged', 'deactivated', 'loggedOut', 'garbage'];
  for (const bad of unauthenticated) {
    it(`${bad} token → 401 on every officials' endpoint, writing nothing`, async () => {
      const before = await writeCounts(h.db);
      for (const e of officialsEndpoints) {
        const res = await call(h, e.method, e.path.replace('/TN', `/${tn}`).replace('HOLDER', holderName), { token: bad === 'none' ? undefined : tokens[bad], body: e.body });
        expect([e.name, res.status]).toEqual([e.name, 401]);
      }
      expect(await writeCounts(h.db)).toEqual(before);
      expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: tokens.holder })).body.status).toBe('routed');
    });
  }

  it('keeps handlers and inspectors out of administration (403) and admins out of other tenants (403; another tenant’s official: 404)', async () => {
    const before = await writeCounts(h.db);
    for (const who of ['holder', 'inspector', 'otherAdmin'] as Who[]) {
      for (const e of officialsEndpoints.filter((x) => x.path.includes('/admin/') && !x.path.includes('holidays'))) {
        const res = await call(h, e.method, e.path.replace('HOLDER', holderName), { token: tokens[who], body: e.body });
        const expected = who === 'otherAdmin' && e.path.includes('HOLDER') ? 404 : 403;
        expect([who, e.name, res.status]).toEqual([who, e.name, expected]);
      }
    }
    expect((await call(h, 'PUT', '/api/v1/admin/holidays/2030', { token: tokens.tenantAdmin, body: [] })).status).toBe(403);
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('lets the right callers in: the holder acts, the inspector reads, the tenant admin administers', async () => {
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: tokens.inspector })).status).toBe(200);
    expect((await call(h, 'GET', '/api/v1/admin/routing-rules/SAMPAH?tenant=36.73', { token: tokens.tenantAdmin })).status).toBe(200);
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/acknowledge`, { token: tokens.holder, body: {} })).status).toBe(200);
  });
});
