import { call, complaintBody, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

interface Sent {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

async function send(h: Harness, ip: string, method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: unknown): Promise<Sent> {
  const res = await h.api.getHttpAdapter().getInstance().inject({
    method,
    url,
    remoteAddress: ip,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, body: parsed, headers: res.headers };
}

function expectTooMany(res: Sent): void {
  expect(res.status).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.headers['content-type']).toMatch(/problem\+json/);
}

const WRONG = 'AAAA-BBBB-CCCC';

/**
 * Found by an attack on a running instance: any official's valid bearer token lifted the
 * per-address limit on the resident endpoints that check an access code, so a handler could
 * guess codes as fast as the server answered; and nothing stopped guessing at one complaint.
 * A request that carries an access code now always counts against its address, and repeated
 * wrong codes for one complaint from one address lock that pair out for a while (429 with
 * Retry-After) — per complaint alone would let anyone lock a resident out of their own complaint.
 */
describe('a valid official token does not lift the limit on access-code guesses', () => {
  let h: Harness;
  let token: string;
  let tn: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { RATE_LIMIT_WRITE: '3', RATE_LIMIT_READ: '3', ACCESS_CODE_MAX_FAILURES: '1000' } });
    token = (await officialIn(h, await loginAdmin(h), 'KEL.36.73.01.1001')).token;
    tn = (await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() })).body.tracking_number;
  });
  afterAll(() => h.close());

  it.each([
    ['replies', 'POST', (t: string) => `/api/v1/complaints/${t}/replies`, { message: 'Apakah ini kodenya?' }],
    ['feedback', 'POST', (t: string) => `/api/v1/complaints/${t}/feedback`, { satisfied: true }],
    ['the tracking read', 'GET', (t: string) => `/api/v1/complaints/${t}`, undefined],
    ['the photo list', 'GET', (t: string) => `/api/v1/complaints/${t}/photos`, undefined],
  ] as const)('%s: the fourth guess from one address is 429 even with a bearer token', async (name, method, url, body) => {
    const ip = `198.51.100.${name.length}`;
    const headers = { authorization: `Bearer ${token}`, 'x-access-code': WRONG };
    for (let i = 0; i < 3; i += 1) expect((await send(h, ip, method, url(tn), headers, body)).status).not.toBe(429);
    expectTooMany(await send(h, ip, method, url(tn), headers, body));
  });

  it('photo uploads: the fourth guess is 429 even with a bearer token', async () => {
    const ip = '198.51.100.99';
    const upload = () =>
      h.api.getHttpAdapter().getInstance().inject({
        method: 'POST',
        url: `/api/v1/complaints/${tn}/photos`,
        remoteAddress: ip,
        headers: { authorization: `Bearer ${token}`, 'x-access-code': WRONG, 'content-type': 'image/png' },
        payload: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      });
    for (let i = 0; i < 3; i += 1) expect((await upload()).statusCode).not.toBe(429);
    expect((await upload()).statusCode).toBe(429);
  });
});

describe('wrong access codes lock one complaint out for one address', () => {
  let h: Harness;
  let filed: { tn: string; code: string };
  let other: { tn: string; code: string };

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { ACCESS_CODE_MAX_FAILURES: '3', ACCESS_CODE_LOCKOUT_SECONDS: '600' } });
    const file = async () => {
      const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() });
      return { tn: res.body.tracking_number as string, code: res.body.access_code as string };
    };
    filed = await file();
    other = await file();
  });
  afterAll(() => h.close());

  const read = (ip: string, tn: string, code: string) => send(h, ip, 'GET', `/api/v1/complaints/${tn}`, { 'x-access-code': code });

  it('after three wrong codes from one address, even the right one is 429 with Retry-After', async () => {
    const ip = '203.0.113.5';
    expect((await read(ip, filed.tn, WRONG)).status).toBe(404);
    expect((await send(h, ip, 'POST', `/api/v1/complaints/${filed.tn}/replies`, { 'x-access-code': WRONG }, { message: 'Tebakan kedua.' })).status).toBe(404);
    expect((await send(h, ip, 'GET', `/api/v1/complaints/${filed.tn}/photos`, { 'x-access-code': WRONG })).status).toBe(404);
    expectTooMany(await read(ip, filed.tn, filed.code));
    expectTooMany(await send(h, ip, 'POST', `/api/v1/complaints/${filed.tn}/replies`, { 'x-access-code': filed.code }, { message: 'Kode yang benar.' }));
    // The resident, from their own phone, is not locked out; nor is this address from other complaints.
    expect((await read('203.0.113.6', filed.tn, filed.code)).status).toBe(200);
    expect((await read(ip, other.tn, other.code)).status).toBe(200);
  });

  it('treats a tracking number that was never issued the same way', async () => {
    const ip = '203.0.113.7';
    for (let i = 0; i < 3; i += 1) expect((await read(ip, 'ADN-000101-ZZZZZZ', WRONG)).status).toBe(404);
    expectTooMany(await read(ip, 'ADN-000101-ZZZZZZ', WRONG));
  });

  it('forgets earlier mistakes once the right code is given', async () => {
    const ip = '203.0.113.8';
    for (const code of [WRONG, WRONG, other.code, WRONG, WRONG]) await read(ip, other.tn, code);
    expect((await read(ip, other.tn, other.code)).status).toBe(200);
  });
});
