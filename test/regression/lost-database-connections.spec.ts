import { assertTestDatabase, superuserQuery, TEST_DATABASE_URL } from '../support/test-env';
import { call, complaintBody, eventually, Harness, startHarness, writeCounts } from '../support/harness';

/**
 * Issue 13: terminating the outbox relay's backend killed the worker (an unhandled 'error' event
 * on its pg client), and 600 complaints waited for a person to restart it. Here every kind of
 * connection the api and the worker hold is terminated on its own, then all at once, the way
 * pg_terminate_backend, a failover or an idle-connection reaper would; the same process must keep
 * routing complaints. An unhandled 'error' event fails this file (the process dies with it).
 */
const KINDS = ['aduan-outbox-relay', 'aduan-outbox-listener', 'aduan-sla-policy-listener', 'aduan-api', 'aduan-worker'];
const database = assertTestDatabase(TEST_DATABASE_URL);

async function terminate(applicationNames: string[]): Promise<number> {
  const rows = await superuserQuery(
    `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = $1 AND application_name = ANY($2::text[]) AND pid <> pg_backend_pid()`,
    [database, applicationNames],
  );
  return rows.filter((r) => r.done === true).length;
}

async function connected(applicationName: string): Promise<number> {
  const [{ n }] = await superuserQuery(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`, [database, applicationName]);
  return n as number;
}

/** Files `count` complaints, retrying a 503 (a request cut off by the termination may answer so), and waits until each is routed. */
async function fileAndSeeRouted(h: Harness, count: number): Promise<void> {
  const numbers: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await eventually(async () => {
      const r = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() });
      if (r.status === 503) return null;
      return r;
    }, 20_000, 'a submission answered other than 503');
    expect(res.status).toBe(201);
    numbers.push(res.body.tracking_number);
  }
  await eventually(
    async () => {
      const rows: { status: string }[] = await h.db.query(`SELECT status FROM complaint WHERE tracking_number = ANY($1::text[])`, [numbers]);
      return rows.length === count && rows.every((r) => r.status === 'routed');
    },
    30_000,
    `${count} complaints routed`,
  );
}

describe('a terminated PostgreSQL connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { OUTBOX_POLL_MS: '100' } });
    await fileAndSeeRouted(h, 2);
  });
  afterAll(() => h?.close());

  it.each(KINDS)('of %s alone: the process reconnects and complaints are routed, no restart', async (kind) => {
    await eventually(async () => (await connected(kind)) > 0, 15_000, `a ${kind} connection`);
    expect(await terminate([kind])).toBeGreaterThan(0);
    await fileAndSeeRouted(h, 3);
    // The listeners come back by themselves (wake-ups and policy changes, not only polls and expiry).
    for (const listener of ['aduan-outbox-listener', 'aduan-sla-policy-listener']) await eventually(async () => (await connected(listener)) === 1, 15_000, `${listener} back`);
  });

  it('all of them, again and again while complaints flow: nothing stops', async () => {
    let stop = false;
    let terminated = 0;
    const killer = (async () => {
      while (!stop) {
        terminated += await terminate(KINDS);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    const answers: number[] = [];
    const started = Date.now();
    while (Date.now() - started < 3_000) {
      answers.push((await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() })).status);
    }
    stop = true;
    await killer;
    expect(terminated).toBeGreaterThan(5);
    // Cut off or not, every answer is a success or a 503 to retry; never a 500.
    expect(answers.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    await fileAndSeeRouted(h, 3);
    await h.quiet(30_000);
  });
});

describe('a submission cut off by a terminated connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(() => h?.close());

  it.each([
    ['without an Idempotency-Key (group commit)', {}],
    ['with an Idempotency-Key', { 'idempotency-key': `cut-off-${Date.now()}-0123456789` }],
  ])('%s answers 503 with Retry-After, and stores nothing', async (_, headers: Record<string, string>) => {
    const before = await writeCounts(h.db);
    // A DBA's lock holds the INSERT in place, so the termination lands mid-request.
    const { Client } = await import('pg');
    const locker = new Client({ connectionString: TEST_DATABASE_URL, application_name: 'aduan-test-locker' });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE complaint IN EXCLUSIVE MODE');
      const pending = call(h, 'POST', '/api/v1/complaints', { body: complaintBody(), headers });
      const [{ pid }] = await eventually(
        () => superuserQuery(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'aduan-api' AND wait_event_type = 'Lock'`, [database]).then((r) => (r.length > 0 ? r : null)),
        15_000,
        'the INSERT waiting on the lock',
      );
      await superuserQuery('SELECT pg_terminate_backend($1)', [pid]);
      const res = await pending;
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(res.body).toMatchObject({ type: 'https://aduan.go.id/problems/dependency-unavailable', status: 503 });
      expect(JSON.stringify(res.body)).not.toMatch(/terminat|pg_|SQL/i);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    expect(await writeCounts(h.db)).toEqual(before);
    // The same request again is taken.
    expect((await call(h, 'POST', '/api/v1/complaints', { body: complaintBody(), headers })).status).toBe(201);
  });
});
