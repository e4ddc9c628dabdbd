import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

const PASSWORD = 'kata sandi yang cukup panjang';

async function signIn(h: Harness, admin: string) {
  const { username } = await officialIn(h, admin, 'KEL.36.73.01.1001');
  return (await call(h, 'POST', '/api/v1/auth/login', { body: { username, password: PASSWORD } })).body;
}
const refresh = (h: Harness, token: string) => call(h, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: token } });
const inbox = (h: Harness, token: string) => call(h, 'GET', '/api/v1/inbox', { token }).then((r) => r.status);

/**
 * Found by an attack on a running instance: a refresh token that had already been rotated was
 * refused, but the session went on, so a thief and the official could each keep refreshing from
 * their own branch. Reuse of a rotated token now ends the whole session (OAuth 2.0 Security BCP,
 * refresh token rotation), except within a few seconds of the rotation, where two console tabs
 * refreshing together both get the same successor.
 */
describe('refresh-token reuse past the leeway ends the whole session', () => {
  let h: Harness;
  let admin: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { AUTH_REFRESH_REUSE_LEEWAY_SECONDS: '0' } });
    admin = await loginAdmin(h);
  });
  afterAll(() => h.close());

  it('refuses the rotated token and every token of its session from then on', async () => {
    const first = await signIn(h, admin);
    const second = await refresh(h, first.refresh_token);
    expect(second.status).toBe(200);
    expect(await inbox(h, second.body.access_token)).toBe(200);
    expect((await refresh(h, first.refresh_token)).status).toBe(401);
    expect(await inbox(h, second.body.access_token)).toBe(401);
    expect((await refresh(h, second.body.refresh_token)).status).toBe(401);
  });
});

describe('two tabs refreshing together', () => {
  let h: Harness;
  let admin: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { AUTH_REFRESH_REUSE_LEEWAY_SECONDS: '10' } });
    admin = await loginAdmin(h);
  });
  afterAll(() => h.close());

  it('both get the same successor, and the session lives on', async () => {
    const first = await signIn(h, admin);
    const [a, b] = await Promise.all([refresh(h, first.refresh_token), refresh(h, first.refresh_token)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refresh_token).toBe(b.body.refresh_token);
    expect(await inbox(h, a.body.access_token)).toBe(200);
    expect(await inbox(h, b.body.access_token)).toBe(200);
    expect((await refresh(h, a.body.refresh_token)).status).toBe(200);
  });
});
