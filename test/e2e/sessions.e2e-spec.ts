import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

const PASSWORD = 'kata sandi yang cukup panjang';
const login = (h: Harness, username: string, password = PASSWORD, ip = '203.0.113.10') =>
  h.api.getHttpAdapter().getInstance().inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username, password }) });

describe('sessions: short tokens, revocable sessions, throttled sign-in', () => {
  let h: Harness;
  let admin: string;

  beforeAll(async () => {
    h = await startHarness({ env: { AUTH_LOGIN_FAILURES_PER_ADDRESS: '3', AUTH_LOGIN_FAILURES_PER_ACCOUNT: '6', AUTH_LOGIN_WINDOW_SECONDS: '60' } });
    admin = await loginAdmin(h);
  });
  afterAll(() => h.close());

  it('refreshes with a rotating refresh token; a rotated one comes back only as the same successor, and only while it is live', async () => {
    const { username } = await officialIn(h, admin, 'KEL.36.73.01.1001');
    const first = JSON.parse((await login(h, username)).body);
    const refresh = (token: string) => call(h, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: token } });
    const refreshed = await refresh(first.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, access_token: expect.any(String) });
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect((await call(h, 'GET', '/api/v1/inbox', { token: refreshed.body.access_token })).status).toBe(200);
    // A second tab with the same token, a moment later: the same successor.
    const twin = await refresh(first.refresh_token);
    expect(twin.status).toBe(200);
    expect(twin.body.refresh_token).toBe(refreshed.body.refresh_token);
    // Once the successor has been used, the first token coming back is reuse: the whole session ends.
    const next = await refresh(refreshed.body.refresh_token);
    expect(next.status).toBe(200);
    expect((await refresh(first.refresh_token)).status).toBe(401);
    expect((await call(h, 'GET', '/api/v1/inbox', { token: next.body.access_token })).status).toBe(401);
    expect((await refresh(next.body.refresh_token)).status).toBe(401);
    // Only that session: the one opened when the account was created lives on.
    const sessions: { revoked_reason: string | null }[] = await h.db.query(
      `SELECT s.revoked_reason FROM official_session s JOIN official o ON o.id = s.official_id WHERE o.username = $1 ORDER BY s.created_at`,
      [username],
    );
    expect(sessions.map((x) => x.revoked_reason)).toEqual([null, 'refresh_token_reused']);
  });

  it('ends a session at logout: its access and refresh tokens stop working at once, other sessions live on', async () => {
    const { username } = await officialIn(h, admin, 'KEL.36.73.01.1001');
    const a = JSON.parse((await login(h, username)).body);
    const b = JSON.parse((await login(h, username)).body);
    expect((await call(h, 'POST', '/api/v1/auth/logout', { token: a.access_token })).status).toBe(204);
    expect((await call(h, 'GET', '/api/v1/inbox', { token: a.access_token })).status).toBe(401);
    expect((await call(h, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: a.refresh_token } })).status).toBe(401);
    expect((await call(h, 'GET', '/api/v1/inbox', { token: b.access_token })).status).toBe(200);
  });

  it('ends every session on a password change, and the new password works', async () => {
    const { username } = await officialIn(h, admin, 'KEL.36.73.01.1001');
    const a = JSON.parse((await login(h, username)).body);
    const b = JSON.parse((await login(h, username)).body);
    expect((await call(h, 'POST', '/api/v1/auth/password', { token: a.access_token, body: { current_password: 'salah sekali', new_password: 'sandi baru yang panjang' } })).status).toBe(403);
    expect((await call(h, 'POST', '/api/v1/auth/password', { token: a.access_token, body: { current_password: PASSWORD, new_password: 'pendek' } })).status).toBe(422);
    expect((await call(h, 'POST', '/api/v1/auth/password', { token: a.access_token, body: { current_password: PASSWORD, new_password: 'sandi baru yang panjang' } })).status).toBe(204);
    for (const t of [a, b]) expect((await call(h, 'GET', '/api/v1/inbox', { token: t.access_token })).status).toBe(401);
    expect((await login(h, username)).statusCode).toBe(401);
    expect((await login(h, username, 'sandi baru yang panjang')).statusCode).toBe(200);
  });

  it('throttles guessing per account and address, with Retry-After, without locking the owner out of their own desk', async () => {
    const { username } = await officialIn(h, admin, 'KEL.36.73.01.1001');
    const owner = '198.51.100.7';
    expect((await login(h, username, PASSWORD, owner)).statusCode).toBe(200);
    // An attacker guesses from several addresses: each address is cut off after 3 failures…
    for (const ip of ['192.0.2.1', '192.0.2.2']) {
      for (let i = 0; i < 3; i += 1) expect((await login(h, username, 'tebakan salah', ip)).statusCode).toBe(401);
      const refused = await login(h, username, PASSWORD, ip);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(refused.body)).toMatchObject({ status: 429, type: expect.any(String) });
    }
    // …and after 6 failures in all, the account is closed to addresses it has never signed in from…
    expect((await login(h, username, PASSWORD, '192.0.2.99')).statusCode).toBe(429);
    // …but its owner, at the desk they always use, still gets in.
    expect((await login(h, username, PASSWORD, owner)).statusCode).toBe(200);
    // A username that does not exist is throttled exactly the same way (nothing to learn).
    for (let i = 0; i < 3; i += 1) expect((await login(h, 'tidak.ada', 'apa saja', '192.0.2.50')).statusCode).toBe(401);
    expect((await login(h, 'tidak.ada', 'apa saja', '192.0.2.50')).statusCode).toBe(429);
  });

  it('writes nothing when a sign-in fails', async () => {
    const before = await h.db.query(`SELECT count(*) FROM official_session`);
    await login(h, 'admin', 'bukan sandi admin', '192.0.2.200');
    expect(await h.db.query(`SELECT count(*) FROM official_session`)).toEqual(before);
  });
});
