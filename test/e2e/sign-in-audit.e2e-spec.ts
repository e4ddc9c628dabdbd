import { signInNetwork } from '@aduan/directory';
import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

const PASSWORD = 'kata sandi yang cukup panjang';
const login = (h: Harness, username: string, password = PASSWORD, ip = '198.51.100.23') =>
  h.api.getHttpAdapter().getInstance().inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username, password }) });

interface Entry { stream: string; actor_type: string; actor_id: string | null; event: string; data: Record<string, unknown>; channel: string; request_id: string | null; outcome: string }

/**
 * Sign-ins of officials are audited: successes, failures for usernames that exist (never what was
 * typed into an unknown one), and refusals bounded per account so that a flood cannot fill the log.
 * Erasure takes an official's name out of the directory; the log, which holds only the id, stays whole.
 */
describe('sign-ins and erasure in the audit log', () => {
  let h: Harness;
  let admin: string;

  const signIns = async (officialId: string): Promise<Entry[]> =>
    h.db.query(`SELECT * FROM audit_entry WHERE stream LIKE 'sign-ins:%' AND data->>'official_id' = $1 ORDER BY at, seq`, [officialId]);
  const idOf = async (username: string): Promise<string> => (await h.db.query(`SELECT id FROM official WHERE username = $1`, [username]))[0].id;

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { AUTH_LOGIN_FAILURES_PER_ADDRESS: '3', AUTH_LOGIN_FAILURES_PER_ACCOUNT: '4', AUTH_LOGIN_WINDOW_SECONDS: '60' } });
    admin = await loginAdmin(h);
  });
  afterAll(() => h.close());

  it('records a success with who, when, channel, request id, outcome and the network (not the address)', async () => {
    const { username } = await officialIn(h, admin, 'KEL.36.73.01.1001');
    const id = await idOf(username);
    const res = await login(h, username);
    expect(res.statusCode).toBe(200);
    const last = (await signIns(id)).at(-1)!;
    expect(last).toMatchObject({
      stream: 'sign-ins:36.73',
      event: 'officials.signed_in',
      actor_type: 'official',
      actor_id: id,
      channel: 'api',
      request_id: res.headers['x-request-id'],
      outcome: 'success',
      data: { official_id: id, network: '198.51.100.0/24' },
    });
    expect(JSON.stringify(last)).not.toContain(username);
  });

  it('records a failure for a known username, nothing for an unknown one, and neither holds the password typed', async () => {
    const { username } = await officialIn(h, admin, 'KEL.36.73.01.1002');
    const id = await idOf(username);
    const before: { n: string }[] = await h.db.query(`SELECT count(*) AS n FROM audit_entry`);
    const unknown = `tidak-ada-${Math.random().toString(36).slice(2, 8)}`;
    expect((await login(h, unknown, 'sandi-rahasia-salah-1', '198.51.100.40')).statusCode).toBe(401);
    const after: { n: string }[] = await h.db.query(`SELECT count(*) AS n FROM audit_entry`);
    expect(Number(after[0].n)).toBe(Number(before[0].n));
    expect((await h.db.query(`SELECT 1 FROM audit_entry WHERE data::text LIKE $1`, [`%${unknown}%`])).length).toBe(0);

    const wrong = await login(h, username, 'sandi-rahasia-salah-2', '198.51.100.41');
    expect(wrong.statusCode).toBe(401);
    const failures = (await signIns(id)).filter((e) => e.outcome === 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ actor_type: 'system', actor_id: 'sign-in', request_id: wrong.headers['x-request-id'], data: { official_id: id, network: '198.51.100.0/24' } });
    expect(JSON.stringify(failures[0])).not.toContain('sandi-rahasia-salah-2');
  });

  it('bounds a flood: at most the per-account budget of failures, then one throttled entry for the window', async () => {
    const { username } = await officialIn(h, admin, 'KEL.36.73.01.1003');
    const id = await idOf(username);
    const statuses: number[] = [];
    // Twelve addresses, three tries each: 36 wrong passwords, far past every limit.
    for (let a = 0; a < 12; a++) for (let t = 0; t < 3; t++) statuses.push((await login(h, username, `salah-${a}-${t}-xxxx`, `192.0.2.${a + 1}`)).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const entries = await signIns(id);
    expect(entries.filter((e) => e.outcome === 'failure')).toHaveLength(4);
    expect(entries.filter((e) => e.outcome === 'throttled')).toHaveLength(1);
  });

  it('erases an official: name, username and email leave the directory, the log keeps only the id and stays verifiable', async () => {
    const created = await call(h, 'POST', '/api/v1/admin/officials', {
      token: admin,
      body: { username: `hapus-${Math.random().toString(36).slice(2, 8)}`, name: 'Siti Contoh Terhapus', password: PASSWORD, unit: 'KEL.36.73.01.1004', roles: ['handler'], email: 'siti.hapus@serangkota.go.id' },
    });
    expect(created.status).toBe(201);
    expect((await login(h, created.body.username)).statusCode).toBe(200);
    const handler = await officialIn(h, admin, 'KEL.36.73.01.1004');
    // Nobody but an administrator of the tenant; one's own account is refused.
    expect((await call(h, 'POST', `/api/v1/admin/officials/${created.body.username}/erase`, { token: handler.token })).status).toBe(403);

    const res = await call(h, 'POST', `/api/v1/admin/officials/${created.body.username}/erase`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: created.body.id, name: '(dihapus / erased)', email: null, active: false, unit: 'KEL.36.73.01.1004' });
    expect(res.body.username).toMatch(/^erased-[0-9a-f]{16}$/);
    expect((await login(h, created.body.username)).statusCode).toBe(401);

    const mentions: unknown[] = await h.db.query(
      `SELECT 1 FROM audit_entry WHERE data::text ILIKE '%Siti Contoh%' OR data::text ILIKE '%siti.hapus%' OR data::text LIKE $1`,
      [`%${created.body.username}%`],
    );
    expect(mentions).toHaveLength(0);
    const about: Entry[] = await h.db.query(`SELECT * FROM audit_entry WHERE data->>'official_id' = $1 ORDER BY at, seq`, [created.body.id]);
    expect(about.map((e) => e.event)).toEqual(['officials.created', 'officials.signed_in', 'officials.erased']);
    const tenantAdmin = await officialIn(h, admin, 'OPD.36.73.SETDA', ['admin']);
    expect((await call(h, 'POST', `/api/v1/admin/officials/${tenantAdmin.username}/erase`, { token: tenantAdmin.token })).status).toBe(409);
    expect((await call(h, 'POST', '/api/v1/admin/officials/admin/erase', { token: tenantAdmin.token })).status).toBe(404);
  });

  it('names networks, not addresses', () => {
    expect(signInNetwork('203.0.113.77')).toBe('203.0.113.0/24');
    expect(signInNetwork('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(signInNetwork('2001:db8:1234:5678::1')).toBe('2001:db8:1234::/48');
    expect(signInNetwork('::1')).toBe('0:0:0::/48');
    expect(signInNetwork('not an address')).toBe('unknown');
  });
});
