import { REDIS } from '@aduan/platform';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { complaintBody, Harness, startHarness, writeCounts } from '../support/harness';
import { TEST_ADMIN } from '../support/test-env';

interface Sent {
  status: number;
  body: any;
  headers: Record<string, unknown>;
  text: string;
}

/** Fastify inject with a chosen client address (the TCP peer, as HTTP_TRUST_PROXY is off). */
async function send(
  h: Harness,
  ip: string,
  method: 'GET' | 'POST',
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await h.api.getHttpAdapter().getInstance().inject({
    method,
    url,
    headers,
    remoteAddress: ip,
    payload: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  let body: unknown;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, body, headers: res.headers, text: res.body };
}

function expectRefusal(res: Sent): void {
  expect(res.status).toBe(429);
  expect(String(res.headers['retry-after'])).toMatch(/^\d+$/);
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
}

function expectProblem429(res: Sent): void {
  expectRefusal(res);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual({
    type: 'https://aduan.go.id/problems/rate-limited',
    title: 'Too Many Requests',
    status: 429,
    detail: `Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam ${res.headers['retry-after']} detik.`,
  });
}

/**
 * Two api instances sharing Redis enforce one limit per client address (429 + Retry-After),
 * write nothing when they refuse, leave officials' authenticated calls alone, and fail open
 * when Redis goes away.
 */
describe('rate limits per client address, shared by two api instances', () => {
  let a: Harness;
  let b: Harness;
  let adminToken: string;
  let tn: string;
  let accessCode: string;
  const prefix = `test-rl-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    const env = {
      RATE_LIMIT_PREFIX: prefix,
      RATE_LIMIT_WINDOW_SECONDS: '60',
      RATE_LIMIT_SUBMIT: '3',
      RATE_LIMIT_WRITE: '3',
      RATE_LIMIT_READ: '5',
      RATE_LIMIT_LOGIN: '4',
      RATE_LIMIT_OPEN311_KEY: '5',
    };
    a = await startHarness({ worker: false, env });
    b = await startHarness({ worker: false, env });
    const login = await send(a, '192.0.2.200', 'POST', '/api/v1/auth/login', { body: TEST_ADMIN });
    adminToken = login.body.access_token;
    const filed = await send(a, '192.0.2.201', 'POST', '/api/v1/complaints', { body: complaintBody() });
    expect(filed.status).toBe(201);
    ({ tracking_number: tn, access_code: accessCode } = filed.body);
  });

  afterAll(async () => {
    const redis = a.api.get<Redis>(REDIS);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses the fourth complaint from one address, whichever instance gets it, and writes nothing', async () => {
    const ip = '198.51.100.1';
    for (const h of [a, b, a]) expect((await send(h, ip, 'POST', '/api/v1/complaints', { body: complaintBody() })).status).toBe(201);
    const before = await writeCounts(a.db);
    for (const h of [b, a]) expectProblem429(await send(h, ip, 'POST', '/api/v1/complaints', { body: complaintBody() }));
    // A refusal comes before the body is read: even a body that could not be parsed is 429.
    expectProblem429(await send(b, ip, 'POST', '/api/v1/complaints', { headers: { 'content-type': 'application/json' }, body: undefined }));
    expect(await writeCounts(a.db)).toEqual(before);
  });

  it('answers in English when asked', async () => {
    const ip = '198.51.100.1';
    const res = await send(a, ip, 'POST', '/api/v1/complaints', { body: complaintBody(), headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expectRefusal(res);
    expect(res.body.detail).toBe(`Too many requests from your address. Try again in ${res.headers['retry-after']} seconds.`);
  });

  it('counts every address on its own, and a forged X-Forwarded-For does not pick another', async () => {
    expect((await send(b, '198.51.100.2', 'POST', '/api/v1/complaints', { body: complaintBody() })).status).toBe(201);
    const forged = await send(a, '198.51.100.1', 'POST', '/api/v1/complaints', { body: complaintBody(), headers: { 'x-forwarded-for': '192.0.2.77' } });
    expectProblem429(forged);
  });

  it('counts IPv6 clients per /64', async () => {
    for (const [i, h] of [a, b, a].entries()) {
      expect((await send(h, `2001:db8:aa:1::${i + 1}`, 'POST', '/api/v1/complaints', { body: complaintBody() })).status).toBe(201);
    }
    expectProblem429(await send(b, '2001:db8:aa:1:ffff::9', 'POST', '/api/v1/complaints', { body: complaintBody() }));
    expect((await send(b, '2001:db8:aa:2::1', 'POST', '/api/v1/complaints', { body: complaintBody() })).status).toBe(201);
  });

  it('limits public reads together: tracking, directory and unknown paths', async () => {
    const ip = '198.51.100.3';
    const reads: [Harness, string, Record<string, string>][] = [
      [a, `/api/v1/complaints/${tn}`, { 'x-access-code': accessCode }],
      [b, '/api/v1/categories', {}],
      [a, '/api/v1/areas?parent=36.73', {}],
      [b, `/api/v1/complaints/${tn}`, { 'x-access-code': 'AAAA-BBBB-CCCC' }],
      [a, '/no/such/page', {}],
    ];
    const statuses = [];
    for (const [h, url, headers] of reads) statuses.push((await send(h, ip, 'GET', url, { headers })).status);
    expect(statuses).toEqual([200, 200, 200, 404, 404]);
    expectProblem429(await send(b, ip, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': accessCode } }));
    // Reads and filing are separate counters.
    expect((await send(a, ip, 'POST', '/api/v1/complaints', { body: complaintBody() })).status).toBe(201);
  });

  it('limits sign-in attempts, even with the right password and a valid token', async () => {
    const ip = '198.51.100.4';
    // Four names, so that the per-account sign-in throttle stays out of this.
    for (const [i, h] of [a, b, a, b].entries()) {
      expect((await send(h, ip, 'POST', '/api/v1/auth/login', { body: { username: `nobody-${i}`, password: 'not the password' } })).status).toBe(401);
    }
    const before = await writeCounts(a.db);
    expectProblem429(await send(a, ip, 'POST', '/api/v1/auth/login', { body: TEST_ADMIN, headers: { authorization: `Bearer ${adminToken}` } }));
    expect(await writeCounts(a.db)).toEqual(before);
  });

  it('limits other writes without a token (replies, feedback, unknown routes) on their own counter', async () => {
    const ip = '198.51.100.5';
    for (const h of [a, b, a]) {
      const res = await send(h, ip, 'POST', `/api/v1/complaints/${tn}/replies`, { body: { message: 'Tambahan: lubangnya makin besar.' }, headers: { 'x-access-code': 'WRONG-CODE' } });
      expect(res.status).not.toBe(429);
      expect(res.status).toBeLessThan(500);
    }
    expectProblem429(await send(b, ip, 'POST', `/api/v1/complaints/${tn}/feedback`, { body: { satisfied: true }, headers: { 'x-access-code': accessCode } }));
  });

  it('does not limit officials calling with a valid bearer token', async () => {
    const ip = '198.51.100.6';
    for (let i = 0; i < 12; i += 1) {
      const res = await send(i % 2 === 0 ? a : b, ip, 'GET', '/api/v1/categories', { headers: { authorization: `Bearer ${adminToken}` } });
      expect(res.status).toBe(200);
    }
  });

  it('limits an invalid or foreign Authorization header like none at all', async () => {
    const ip = '198.51.100.7';
    const forged = ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged', 'Basic YWRtaW46YWRtaW4=', 'Bearer', `Bearer ${adminToken}x`, `bearer  ${adminToken.slice(0, -2)}`];
    for (const [i, authorization] of forged.entries()) {
      expect((await send(i % 2 === 0 ? a : b, ip, 'GET', '/api/v1/inbox', { headers: { authorization } })).status).toBe(401);
    }
    expectProblem429(await send(a, ip, 'GET', '/api/v1/inbox', { headers: { authorization: 'Bearer forged' } }));
  });

  it('never limits the health check', async () => {
    for (let i = 0; i < 12; i += 1) expect((await send(i % 2 === 0 ? a : b, '198.51.100.8', 'GET', '/health')).status).toBe(200);
  });

  it('refuses Open311 clients in Open311’s own error format', async () => {
    const ip = '198.51.100.9';
    for (const h of [a, b, a]) {
      expect((await send(h, ip, 'POST', '/open311/v2/requests.json?jurisdiction_id=36.73', { body: {} })).status).not.toBe(429);
    }
    const json = await send(b, ip, 'POST', '/open311/v2/requests.json?jurisdiction_id=36.73', { body: {} });
    expectRefusal(json);
    expect(json.body).toEqual([{ code: 429, description: expect.stringContaining('Coba lagi') }]);
    const xml = await send(a, ip, 'POST', '/open311/v2/requests.xml?jurisdiction_id=36.73', { body: {} });
    expectRefusal(xml);
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<errors><error><code>429<\/code><description>Terlalu banyak permintaan[^<]*<\/description><\/error><\/errors>$/);
  });

  it('limits Open311 filings per api_key, not per address; a missing or bad key stays limited per address', async () => {
    const issue = async (name: string) => (await send(a, '192.0.2.200', 'POST', '/api/v1/admin/api-keys', { body: { name }, headers: { authorization: `Bearer ${adminToken}` } })).body.api_key as string;
    const [aggregator, small] = [await issue('Aggregator'), await issue('Small app')];
    const file = (h: Harness, ip: string, fields: Record<string, string>, format = 'json') =>
      h.api.getHttpAdapter().getInstance().inject({
        method: 'POST',
        url: `/open311/v2/requests.${format}`,
        remoteAddress: ip,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          jurisdiction_id: '36.73',
          service_code: 'SAMPAH',
          'attribute[kelurahan]': '36.73.01.1001',
          description: 'Sampah menumpuk di depan pasar sejak seminggu lalu.',
          ...fields,
        }).toString(),
      });
    // Five filings from one address: more than its own limit (3), within the key's (5), on both instances.
    const ip = '203.0.113.10';
    for (const h of [a, b, a, b, a]) expect((await file(h, ip, { api_key: aggregator })).statusCode).toBe(200);
    const before = await writeCounts(a.db);
    const over = await file(b, '203.0.113.11', { api_key: aggregator }, 'xml');
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(over.body).toMatch(/<errors><error><code>429<\/code><description>Terlalu banyak permintaan dengan api_key ini/);
    expect(await writeCounts(a.db)).toEqual(before);
    // Another key from the same address has its own counter.
    expect((await file(a, ip, { api_key: small })).statusCode).toBe(200);
    // No key, an unknown one or a malformed one: 403 while the address is within its limit, then 429.
    const stranger = '203.0.113.20';
    for (const key of ['', `adn_${'Q'.repeat(32)}`, 'not-a-key']) expect((await file(a, stranger, key ? { api_key: key } : {})).statusCode).toBe(403);
    const refused = await file(b, stranger, { api_key: aggregator.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
    expect(refused.statusCode).toBe(429);
    expect(JSON.parse(refused.body)).toEqual([{ code: 429, description: expect.stringContaining('dari alamat Anda') }]);
  });

  it('fails open while Redis is unreachable (health says so), and limits again once it is back', async () => {
    const ip = '198.51.100.1'; // already over its complaint limit
    const redis = a.api.get<Redis>(REDIS);
    redis.disconnect();
    try {
      expect((await send(a, ip, 'POST', '/api/v1/complaints', { body: complaintBody() })).status).toBe(201);
      const health = await send(a, ip, 'GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body.checks).toEqual({ postgresql: 'up', redis: 'down' });
      const ready = await send(a, ip, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers['content-type']).toMatch(/problem\+json/);
      // No worker runs in this file, and its heartbeats are in Redis besides.
      expect(ready.body).toMatchObject({ status: 503, detail: 'Not ready: redis, worker.' });
      expect(ready.body.checks.slice(0, 2)).toEqual([{ name: 'postgresql', status: 'ok' }, { name: 'redis', status: 'fail', detail: 'Redis does not answer.' }]);
      // The other instance still has Redis and still refuses.
      expectProblem429(await send(b, ip, 'POST', '/api/v1/complaints', { body: complaintBody() }));
    } finally {
      await redis.connect();
    }
    expectProblem429(await send(a, ip, 'POST', '/api/v1/complaints', { body: complaintBody() }));
    expect((await send(a, ip, 'GET', '/health')).status).toBe(200);
  });
});

describe('rate limits behind a trusted reverse proxy (HTTP_TRUST_PROXY)', () => {
  let h: Harness;
  const prefix = `test-rl-${randomBytes(6).toString('hex')}`;
  const file = (peer: string, forwardedFor: string) =>
    send(h, peer, 'POST', '/api/v1/complaints', { body: complaintBody(), headers: { 'x-forwarded-for': forwardedFor } });

  beforeAll(async () => {
    h = await startHarness({ worker: false, env: { HTTP_TRUST_PROXY: '127.0.0.1', RATE_LIMIT_PREFIX: prefix, RATE_LIMIT_SUBMIT: '2' } });
  });

  afterAll(async () => {
    const redis = h.api.get<Redis>(REDIS);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await h.close();
  });

  it('counts the client the proxy names, and only the address the proxy itself saw', async () => {
    expect((await file('127.0.0.1', '203.0.113.50')).status).toBe(201);
    expect((await file('127.0.0.1', '203.0.113.50')).status).toBe(201);
    expectProblem429(await file('127.0.0.1', '203.0.113.50'));
    // A client that writes its own X-Forwarded-For only adds to the left of what the proxy appends.
    expectProblem429(await file('127.0.0.1', '192.0.2.1, 203.0.113.50'));
    expect((await file('127.0.0.1', '203.0.113.51')).status).toBe(201);
  });

  it('ignores X-Forwarded-For from a peer that is not the proxy', async () => {
    expect((await file('198.51.100.77', '203.0.113.60')).status).toBe(201);
    expect((await file('198.51.100.77', '203.0.113.61')).status).toBe(201);
    expectProblem429(await file('198.51.100.77', '203.0.113.62'));
  });
});
