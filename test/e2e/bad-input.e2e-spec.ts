import { call, complaintBody, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

type Case = { name: string; method: 'GET' | 'POST'; url: string; body?: unknown; raw?: string; headers?: Record<string, string>; auth?: 'admin' | 'lurah' | 'bad'; status: number; audited?: number };

/** Every endpoint, fed bad input: a 4xx problem document, and not one row written. */
describe('bad input gets a clear error and changes nothing', () => {
  let h: Harness;
  let admin: string;
  let lurah: string;
  let tn: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    tn = (await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() })).body.tracking_number;
    await h.quiet();
  });
  afterAll(() => h.close());

  const long = 'x'.repeat(4001);
  const cases: Case[] = [
    { name: 'complaint: broken JSON', method: 'POST', url: '/api/v1/complaints', raw: '{"category":', headers: { 'content-type': 'application/json' }, status: 400 },
    { name: 'complaint: array body', method: 'POST', url: '/api/v1/complaints', body: [complaintBody()], status: 400 },
    { name: 'complaint: text/plain', method: 'POST', url: '/api/v1/complaints', raw: 'tolong', headers: { 'content-type': 'text/plain' }, status: 415 },
    { name: 'complaint: form-encoded', method: 'POST', url: '/api/v1/complaints', raw: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415 },
    { name: 'complaint: body over the limit', method: 'POST', url: '/api/v1/complaints', raw: JSON.stringify(complaintBody({ description: 'y'.repeat(70_000) })), headers: { 'content-type': 'application/json' }, status: 413 },
    { name: 'complaint: empty object', method: 'POST', url: '/api/v1/complaints', body: {}, status: 422 },
    { name: 'complaint: description too short', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ description: 'rusak' }), status: 422 },
    { name: 'complaint: description too long', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ description: long }), status: 422 },
    { name: 'complaint: NUL in description', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ description: 'jalan rusak\u0000 parah sekali' }), status: 422 },
    { name: 'complaint: unknown category', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ category: 'NOT_A_CATEGORY' }), status: 422 },
    { name: 'complaint: unknown kelurahan', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ kelurahan: '36.73.99.1999' }), status: 422 },
    { name: 'complaint: kelurahan of wrong shape', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ kelurahan: "36.73'; DROP TABLE complaint;--" }), status: 422 },
    { name: 'complaint: wrong types', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ anonymous: 'yes', lat: '6.1' }), status: 422 },
    { name: 'complaint: lat without long', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ lat: -6.12 }), status: 422 },
    { name: 'complaint: huge number', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ lat: 1e308, long: 1e308 }), status: 422 },
    { name: 'complaint: unknown field', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ status: 'resolved' }), status: 422 },
    { name: 'complaint: bad email', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ reporter: { email: 'not-an-email' } }), status: 422 },
    { name: 'complaint: accused unit of another tenant', method: 'POST', url: '/api/v1/complaints', body: complaintBody({ accused: { unit: 'KEL.36.71.01.1001' } }), status: 422 },
    { name: 'tracking: no access code', method: 'GET', url: `/api/v1/complaints/${'ADN-000000-AAAAAA'}`, status: 401 },
    { name: 'tracking: wrong access code', method: 'GET', url: '/api/v1/complaints/TN', headers: { 'x-access-code': 'AAAA-BBBB-CCCC' }, status: 404 },
    { name: 'tracking: malformed tracking number', method: 'GET', url: "/api/v1/complaints/'%20OR%201=1", headers: { 'x-access-code': 'AAAA-BBBB-CCCC' }, status: 404 },
    { name: 'tracking: bad bearer token', method: 'GET', url: '/api/v1/complaints/TN', auth: 'bad', status: 401 },
    { name: 'login: empty body', method: 'POST', url: '/api/v1/auth/login', body: {}, status: 422 },
    // A refused sign-in to an account that exists is audited: one entry, nothing else.
    { name: 'login: wrong password', method: 'POST', url: '/api/v1/auth/login', body: { username: 'admin', password: 'wrong-password' }, status: 401, audited: 1 },
    { name: 'login: unknown user', method: 'POST', url: '/api/v1/auth/login', body: { username: 'nobody', password: 'whatever-password' }, status: 401 },
    { name: 'login: broken JSON', method: 'POST', url: '/api/v1/auth/login', raw: '{', headers: { 'content-type': 'application/json' }, status: 400 },
    { name: 'inbox: no token', method: 'GET', url: '/api/v1/inbox', status: 401 },
    { name: 'inbox: forged token', method: 'GET', url: '/api/v1/inbox', auth: 'bad', status: 401 },
    { name: 'inbox: page_size over 200', method: 'GET', url: '/api/v1/inbox?page_size=500', auth: 'lurah', status: 422 },
    { name: 'inbox: unknown status', method: 'GET', url: '/api/v1/inbox?status=everything', auth: 'lurah', status: 422 },
    { name: 'inbox: unknown filter', method: 'GET', url: '/api/v1/inbox?unit=KEL.36.73.01.1002', auth: 'lurah', status: 422 },
    { name: 'officials: no token', method: 'POST', url: '/api/v1/admin/officials', body: { username: 'x' }, status: 401 },
    { name: 'officials: not an admin', method: 'POST', url: '/api/v1/admin/officials', auth: 'lurah', body: { username: 'lurah2', name: 'L', password: 'kata sandi panjang', unit: 'KEL.36.73.01.1001', roles: ['handler'] }, status: 403 },
    { name: 'officials: short password', method: 'POST', url: '/api/v1/admin/officials', auth: 'admin', body: { username: 'lurah3', name: 'L', password: 'short', unit: 'KEL.36.73.01.1001', roles: ['handler'] }, status: 422 },
    { name: 'officials: unknown role', method: 'POST', url: '/api/v1/admin/officials', auth: 'admin', body: { username: 'lurah4', name: 'L', password: 'kata sandi panjang', unit: 'KEL.36.73.01.1001', roles: ['superuser'] }, status: 422 },
    { name: 'officials: unknown unit', method: 'POST', url: '/api/v1/admin/officials', auth: 'admin', body: { username: 'lurah5', name: 'L', password: 'kata sandi panjang', unit: 'KEL.99.99.99.9999', roles: ['handler'] }, status: 422 },
    { name: 'officials: inspector outside the Inspektorat', method: 'POST', url: '/api/v1/admin/officials', auth: 'admin', body: { username: 'lurah6', name: 'L', password: 'kata sandi panjang', unit: 'KEL.36.73.01.1001', roles: ['inspector'] }, status: 422 },
    { name: 'officials: taken username', method: 'POST', url: '/api/v1/admin/officials', auth: 'admin', body: { username: 'admin', name: 'L', password: 'kata sandi panjang', unit: 'KEL.36.73.01.1001', roles: ['handler'] }, status: 409 },
    { name: 'areas: no parent', method: 'GET', url: '/api/v1/areas', status: 422 },
    { name: 'areas: malformed parent', method: 'GET', url: '/api/v1/areas?parent=abc', status: 422 },
    { name: 'areas: unknown parent', method: 'GET', url: '/api/v1/areas?parent=99.99', status: 404 },
    { name: 'units: unknown tenant', method: 'GET', url: '/api/v1/units?tenant=99.99', status: 404 },
    { name: 'units: no tenant', method: 'GET', url: '/api/v1/units', status: 422 },
    { name: 'unknown route', method: 'GET', url: '/api/v1/nothing-here', status: 404 },
  ];

  it.each(cases)('$name → $status', async (c) => {
    const before = await writeCounts(h.db);
    const token = c.auth === 'admin' ? admin : c.auth === 'lurah' ? lurah : c.auth === 'bad' ? 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged' : undefined;
    const res = await call(h, c.method, c.url.replace('/TN', `/${tn}`), { body: c.body, raw: c.raw, headers: c.headers, token });
    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status: c.status, detail: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/stack|SELECT|INSERT|node_modules|QueryFailedError/i);
    if (c.status === 422 && c.url.startsWith('/api/v1/complaints')) expect(res.body.errors.length).toBeGreaterThan(0);
    await h.quiet();
    expect(await writeCounts(h.db)).toEqual({ ...before, audit_entry: before.audit_entry + (c.audited ?? 0) });
  });
});
