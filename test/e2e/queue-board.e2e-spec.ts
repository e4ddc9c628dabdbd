import { JobName, QueueName, QueueRegistry, REDIS } from '@aduan/platform';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { axeViolations, CHROMIUM, CHROMIUM_ARGS, collectPageErrors, listenOnPort, requireChromium, RESULTS } from '../support/browser';
import { QUEUE_BOARD_CSP } from '../../apps/api/src/admin/queue-board';
import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

describe('the queue board (/admin/queues)', () => {
  let h: Harness;
  let admin: string;
  let adminId: string;

  beforeAll(async () => {
    // No worker: the failed job below stays failed until the board retries it.
    h = await startHarness({ worker: false });
    admin = await loginAdmin(h);
    [{ id: adminId }] = await h.db.query(`SELECT id FROM official WHERE username = 'admin'`);
  });
  afterAll(() => h.close());

  const fastify = () => h.api.getHttpAdapter().getInstance();
  const board = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, cookie?: string) =>
    fastify().inject({ method, url, headers: cookie ? { cookie } : {}, ...(method === 'POST' || method === 'PATCH' ? { payload: {} } : {}) });

  /** Asks for a link as `token`, follows it, and answers the cookie it set. */
  async function enter(token: string): Promise<string> {
    const session = await call(h, 'POST', '/api/v1/admin/queues/session', { token });
    expect(session.status).toBe(201);
    expect(session.body).toEqual({ url: expect.stringMatching(/^\/admin\/queues\/enter\?ticket=/), expires_in: 60 });
    const entered = await board('GET', session.body.url);
    expect(entered.statusCode).toBe(303);
    expect(entered.headers.location).toBe('/admin/queues/');
    const setCookie = String(entered.headers['set-cookie']);
    expect(setCookie).toMatch(/^aduan_queue_board=[\w-]+\.[\w-]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=900$/);
    // Single use: the same link opens nothing a second time.
    expect((await board('GET', session.body.url)).statusCode).toBe(401);
    return setCookie.split(';')[0];
  }

  /** A job on the routing queue that failed its only attempt. */
  async function failedJob(): Promise<string> {
    const queue = h.api.get(QueueRegistry).queue(QueueName.Routing);
    const job = await queue.add(JobName.RouteComplaint, { complaintId: randomUUID() }, { attempts: 1 });
    const connection = h.api.get<Redis>(REDIS).duplicate({ maxRetriesPerRequest: null });
    const failing = new Worker(QueueName.Routing, async () => Promise.reject(new Error('induced for the board test')), { connection, prefix: h.queuePrefix });
    try {
      for (let i = 0; i < 100 && (await queue.getJobState(job.id!)) !== 'failed'; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await failing.close();
      await connection.quit();
    }
    expect(await queue.getJobState(job.id!)).toBe('failed');
    return job.id!;
  }

  const boardAudit = () => h.db.query(`SELECT stream, event, actor_id, data FROM audit_entry WHERE stream LIKE 'queues:%' ORDER BY at, seq`);

  it('opens for admins only, through a one-minute single-use link that sets a cookie for the board alone', async () => {
    expect((await board('GET', '/admin/queues/')).statusCode).toBe(401);
    expect((await board('GET', '/admin/queues/api/queues')).statusCode).toBe(401);
    expect((await call(h, 'POST', '/api/v1/admin/queues/session')).status).toBe(401);
    const handler = await officialIn(h, admin, 'KEL.36.73.01.1001');
    expect((await call(h, 'POST', '/api/v1/admin/queues/session', { token: handler.token })).status).toBe(403);
    // A bearer token does not open the board itself: only the cookie does.
    expect((await fastify().inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { authorization: `Bearer ${admin}` } })).statusCode).toBe(401);

    const cookie = await enter(admin);
    const page = await board('GET', '/admin/queues/', cookie);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const listed = await board('GET', '/admin/queues/api/queues', cookie);
    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body).queues.map((q: { name: string }) => q.name).sort()).toEqual(Object.values(QueueName).sort());

    // A forged or tampered ticket or cookie opens nothing.
    const [payload, mac] = cookie.slice('aduan_queue_board='.length).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), tenantCode: null, exp: 4102444800 })).toString('base64url');
    expect((await board('GET', '/admin/queues/api/queues', `aduan_queue_board=${forged}.${mac}`)).statusCode).toBe(401);
    expect((await board('GET', '/admin/queues/enter?ticket=' + `${payload}.${mac}`)).statusCode).toBe(401);
  });

  it('retries and cleans, each audited with who did it; refuses every other write and audits nothing for it', async () => {
    const cookie = await enter(admin);
    const queue = h.api.get(QueueRegistry).queue(QueueName.Routing);
    const first = await failedJob();
    const before = (await boardAudit()).length;

    for (const url of ['/admin/queues/api/queues/routing/pause', '/admin/queues/api/queues/routing/empty', '/admin/queues/api/queues/routing/obliterate', `/admin/queues/api/queues/routing/${first}/promote`]) {
      expect((await board('PUT', url, cookie)).statusCode).toBe(403);
    }
    expect((await board('POST', '/admin/queues/api/queues/routing/add', cookie)).statusCode).toBe(403);
    expect((await board('PATCH', `/admin/queues/api/queues/routing/${first}/update-data`, cookie)).statusCode).toBe(403);
    expect(await queue.isPaused()).toBe(false);
    expect(await queue.getJobState(first)).toBe('failed');
    expect(await boardAudit()).toHaveLength(before);

    expect((await board('PUT', `/admin/queues/api/queues/routing/${first}/retry`, cookie)).statusCode).toBeLessThan(300);
    expect(await queue.getJobState(first)).toBe('waiting');
    const second = await failedJob();
    expect((await board('PUT', '/admin/queues/api/queues/routing/clean/failed', cookie)).statusCode).toBeLessThan(300);
    // The board cleans only jobs older than its 5 s grace: a fresh failure stays; the call is audited all the same.
    expect(await queue.getJobState(second)).toBe('failed');

    const entries = (await boardAudit()).slice(before);
    expect(entries).toEqual([
      { stream: 'queues:platform', event: 'queues.job_retried', actor_id: adminId, data: { queue: 'routing', job_id: first, by: 'admin' } },
      { stream: 'queues:platform', event: 'queues.cleaned', actor_id: adminId, data: { queue: 'routing', state: 'failed', by: 'admin' } },
    ]);
    // Without the cookie, no write reaches the board.
    expect((await board('PUT', '/admin/queues/api/queues/routing/retry/failed')).statusCode).toBe(401);
  });

  it('lets a tenant admin in, and audits on that tenant’s chain', async () => {
    const tenantAdmin = await officialIn(h, admin, 'OPD.36.73.SETDA', ['admin']);
    const cookie = await enter(tenantAdmin.token);
    const job = await failedJob();
    expect((await board('PUT', `/admin/queues/api/queues/routing/${job}/clean`, cookie)).statusCode).toBeLessThan(300);
    expect(await h.api.get(QueueRegistry).queue(QueueName.Routing).getJobState(job)).toBe('unknown');
    const [last] = (await boardAudit()).slice(-1);
    expect(last).toMatchObject({ stream: 'queues:36.73', event: 'queues.job_cleaned', data: { queue: 'routing', job_id: job, by: tenantAdmin.username } });
  });

  it('opens in Chromium from the link: the board lists Aduan’s queues, and the link works once', async () => {
    requireChromium();
    const base = await listenOnPort(h);
    const profile = mkdtempSync(join(tmpdir(), 'aduan-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    try {
      const tab = context.pages()[0] ?? (await context.newPage());
      collectPageErrors(tab, errors);
      const outside: string[] = [];
      tab.on('request', (request) => {
        if (!request.url().startsWith(`${base}/`) && !request.url().startsWith('data:')) outside.push(request.url());
      });
      const { url } = (await call(h, 'POST', '/api/v1/admin/queues/session', { token: admin })).body;
      await tab.goto(`${base}${url}`);
      expect(new URL(tab.url()).pathname).toBe('/admin/queues/');
      expect((await tab.request.get(`${base}/admin/queues/`)).headers()['content-security-policy']).toBe(QUEUE_BOARD_CSP);
      for (const name of Object.values(QueueName)) await tab.getByText(name, { exact: true }).first().waitFor({ timeout: 20_000 });
      await tab.screenshot({ path: join(RESULTS, 'queue-board.png') });
      // Bull Board's own UI with Aduan's stylesheet and script (queue-board.css/.js): named icon buttons, AA contrast.
      expect(await axeViolations(tab)).toEqual([]);
      expect(await tab.getByRole('button', { name: 'Tindakan antrean routing · Actions for queue routing' }).count()).toBe(1);
      expect(errors).toEqual([]);
      // Under the pages' CSP, nothing is fetched from another origin (Bull Board's template asks Google for fonts).
      expect(outside).toEqual([]);

      // A queue's own page, with a failed job on it: the same.
      await failedJob();
      await tab.goto(`${base}/admin/queues/queue/routing?status=failed`);
      await tab.getByText('induced for the board test').first().waitFor({ timeout: 20_000 });
      await tab.screenshot({ path: join(RESULTS, 'queue-board-routing.png') });
      expect(await axeViolations(tab)).toEqual([]);
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
      // The same link in another tab after use: refused.
      const again = await context.request.get(`${base}${url}`, { maxRedirects: 0 });
      expect(again.status()).toBe(401);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);
});
