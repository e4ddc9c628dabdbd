import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

const PASSWORD = 'kata sandi yang cukup panjang';

/**
 * Found by an attack on a running instance: with a stolen access token, 40 wrong current
 * passwords in a row at `POST /api/v1/auth/password` all answered 403 — an unthrottled oracle
 * for the password that sign-in guards. Wrong current passwords now count against the same
 * per-account-and-address limit as failed sign-ins: 403 until the limit, then 429 with
 * Retry-After, even for the right password, until the window ends.
 */
describe('changing a password is throttled like sign-in', () => {
  let h: Harness;
  let admin: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { AUTH_LOGIN_FAILURES_PER_ADDRESS: '5', AUTH_LOGIN_FAILURES_PER_ACCOUNT: '30', AUTH_LOGIN_WINDOW_SECONDS: '600' } });
    admin = await loginAdmin(h);
  });
  afterAll(() => h.close());

  const change = (token: string, current: string, ip = '192.0.2.77') =>
    h.api.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      remoteAddress: ip,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ current_password: current, new_password: 'sandi baru milik penyerang' }),
    });

  it('answers 403 five times, then 429 with Retry-After, and the password stays', async () => {
    const stolen = await officialIn(h, admin, 'KEL.36.73.01.1001');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await change(stolen.token, `tebakan ke-${i}`)).statusCode);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429, 429]);
    const refused = await change(stolen.token, PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect((await call(h, 'POST', '/api/v1/auth/login', { body: { username: stolen.username, password: PASSWORD } })).status).toBe(200);
  });
});
