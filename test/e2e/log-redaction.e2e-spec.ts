import { JsonLogger } from '@aduan/platform';
import { call, complaintBody, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';
import { TEST_ADMIN, TEST_AUDIT_SIGNING_KEY } from '../support/test-env';

/** A kelurahan no other test file uses: a full run's other files fill the busy inboxes' first pages. */
const KELURAHAN = '36.73.06.1005';

/**
 * Runs residents, officials and an Open311 client through the api and worker with every log level
 * on, captures every line both wrote, and greps them for what must never be logged.
 */
describe('logs: JSON lines, with nothing secret in them', () => {
  let h: Harness;
  const lines: string[] = [];
  const reporter = { name: 'Ratna Kusumawati', phone: '081311112222', email: 'ratna.kusuma@example.id' };
  const open311Reporter = { first_name: 'Bambang', last_name: 'Suryadinata', email: 'bambang.surya@example.id', phone: '+62 857-1234-5678' };
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness({ logger: new JsonLogger('verbose', (line) => lines.push(line)) });
    Object.assign(secrets, {
      adminPassword: TEST_ADMIN.password,
      authTokenSecret: process.env.AUTH_TOKEN_SECRET!,
      accessCodeSecret: process.env.ACCESS_CODE_SECRET!,
      privacyKey: process.env.PRIVACY_KEY!,
      auditSigningKey: TEST_AUDIT_SIGNING_KEY,
      ...Object.fromEntries(Object.entries(reporter).map(([k, v]) => [`reporter ${k}`, v])),
      ...Object.fromEntries(Object.entries(open311Reporter).map(([k, v]) => [`open311 reporter ${k}`, v])),
    });

    const filed = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ kelurahan: KELURAHAN, reporter, anonymous: false }) });
    expect(filed.status).toBe(201);
    const { tracking_number: tn, access_code: code } = filed.body;
    secrets.accessCode = code;
    secrets.accessCodeAsTyped = code.replace(/-/g, '').toLowerCase();
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': secrets.accessCodeAsTyped } })).status).toBe(200);
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': 'AAAA-BBBB-CCCC' } })).status).toBe(404);
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/replies`, { headers: { 'x-access-code': code }, body: { message: 'Masih menumpuk sampai hari ini.' } })).status).toBe(200);

    const login = await call(h, 'POST', '/api/v1/auth/login', { body: TEST_ADMIN });
    secrets.accessToken = login.body.access_token;
    secrets.refreshToken = login.body.refresh_token;
    const refreshed = await call(h, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: login.body.refresh_token } });
    secrets.refreshedToken = refreshed.body.refresh_token;
    expect((await call(h, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: 'salah-kata-sandi-ini' } })).status).toBe(401);
    secrets.wrongPassword = 'salah-kata-sandi-ini';
    expect((await call(h, 'GET', '/api/v1/inbox', { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJmb3JnZWQiOnRydWV9.Zm9yZ2Vk' } })).status).toBe(401);
    secrets.forgedToken = 'eyJhbGciOiJIUzI1NiJ9.eyJmb3JnZWQiOnRydWV9.Zm9yZ2Vk';

    const admin = await loginAdmin(h);
    const lurah = await officialIn(h, admin, `KEL.${KELURAHAN}`);
    secrets.officialPassword = 'kata sandi yang cukup panjang';
    await h.quiet();
    const view = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah.token });
    expect(view.body.reporter).toMatchObject({ name: reporter.name });

    const key = await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'Aggregator' } });
    secrets.apiKey = key.body.api_key;
    const form = new URLSearchParams({
      jurisdiction_id: 'serangkota.go.id',
      service_code: 'JALAN_RUSAK',
      'attribute[kelurahan]': KELURAHAN,
      description: 'Jalan berlubang besar di depan kantor kelurahan, berbahaya bagi pengendara.',
      ...open311Reporter,
    });
    const open311 = await h.api.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: `/open311/v2/requests.json?api_key=${secrets.apiKey}`,
      payload: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(open311.statusCode).toBe(200);
    await h.quiet();
  });
  afterAll(() => h.close());

  it('logs every request and every job as one JSON object per line', () => {
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(parsed).toContainEqual({
      time: expect.any(String),
      level: 'log',
      context: 'http',
      msg: 'request',
      method: 'POST',
      route: '/api/v1/complaints',
      status: 201,
      duration_ms: expect.any(Number),
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(parsed).toContainEqual(expect.objectContaining({ msg: 'request', route: '/open311/v2/requests.json', status: 200 }));
    expect(parsed).toContainEqual(expect.objectContaining({ msg: 'request', route: '/api/v1/auth/login', status: 401 }));
    expect(parsed).toContainEqual({
      time: expect.any(String),
      level: 'log',
      context: 'job',
      msg: 'job',
      queue: 'routing',
      job: 'routing.route-complaint',
      job_id: expect.any(String),
      outcome: 'completed',
      duration_ms: expect.any(Number),
      attempt: 1,
      attempts: expect.any(Number),
    });
  });

  it('holds no secret, access code, token or reporter identity', () => {
    const text = lines.join('');
    expect(Object.keys(secrets).length).toBeGreaterThan(15);
    const found = Object.entries(secrets).filter(([, value]) => value && text.toLowerCase().includes(value.toLowerCase()));
    expect(found.map(([what]) => what)).toEqual([]);
    for (const part of ['Ratna', 'Kusumawati', 'Bambang', 'Suryadinata', '81311112222', '857-1234-5678']) expect(text).not.toContain(part);
  });
});
