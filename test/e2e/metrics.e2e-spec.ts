import { MetricsServer } from '../../apps/worker/src/observability/metrics-server';
import { call, complaintBody, Harness, startHarness } from '../support/harness';

/** A kelurahan no other test file uses: a full run's other files fill the busy inboxes' first pages. */
const KELURAHAN = '36.73.06.1005';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';

/** The value of one sample (`name{labels} value`) in Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const match = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const have = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[2]);
  }
  return 0;
}

describe('metrics for Prometheus', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => h.close());

  const scrapeApi = async () => {
    const res = await call(h, 'GET', '/metrics', { token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body as string;
  };
  const scrapeWorker = async (token: string | null = TOKEN) => {
    const port = h.worker!.get(MetricsServer).port;
    return fetch(`http://127.0.0.1:${port}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  };

  it('answers only the bearer METRICS_TOKEN, on the api and on the worker', async () => {
    expect((await call(h, 'GET', '/metrics')).status).toBe(401);
    expect((await call(h, 'GET', '/metrics', { token: 'metrics-token-for-tests-0123456789abcdeX' })).status).toBe(401);
    expect((await scrapeWorker(null)).status).toBe(401);
    expect((await scrapeWorker('wrong')).status).toBe(401);
    expect((await scrapeWorker()).status).toBe(200);
  });

  it('counts requests by route template, complaints taken in, and the jobs they cause', async () => {
    const submitRoute = { method: 'POST', route: '/api/v1/complaints', status: '201' };
    const trackRoute = { method: 'GET', route: '/api/v1/complaints/:trackingNumber', status: '200' };
    const before = await scrapeApi();
    const workerBefore = await (await scrapeWorker()).text();

    const filed = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ kelurahan: KELURAHAN }) });
    expect(filed.status).toBe(201);
    const { tracking_number: tn, access_code: code } = filed.body;
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': code } })).status).toBe(200);
    expect((await call(h, 'POST', '/api/v1/complaints', { body: { category: 'SAMPAH' } })).status).toBe(422);
    const refused = { method: 'POST', route: '/api/v1/complaints', status: '422' };
    await h.quiet();

    const after = await scrapeApi();
    expect(sample(after, 'aduan_http_requests_total', submitRoute)).toBe(sample(before, 'aduan_http_requests_total', submitRoute) + 1);
    expect(sample(after, 'aduan_http_requests_total', trackRoute)).toBe(sample(before, 'aduan_http_requests_total', trackRoute) + 1);
    expect(sample(after, 'aduan_http_request_duration_seconds_count', submitRoute)).toBe(sample(before, 'aduan_http_request_duration_seconds_count', submitRoute) + 1);
    expect(sample(after, 'aduan_http_requests_total', refused)).toBe(sample(before, 'aduan_http_requests_total', refused) + 1);
    // The refused one is a request, not a complaint taken in.
    expect(sample(after, 'aduan_intake_total', { channel: 'api' })).toBe(sample(before, 'aduan_intake_total', { channel: 'api' }) + 1);
    // The route template, never the path: no tracking number or access code in a label.
    expect(after).not.toContain(tn);
    expect(after).not.toContain(code);

    const workerAfter = await (await scrapeWorker()).text();
    const routed = { queue: 'routing', job: 'routing.route-complaint', outcome: 'completed' };
    expect(sample(workerAfter, 'aduan_jobs_total', routed)).toBeGreaterThan(sample(workerBefore, 'aduan_jobs_total', routed));
    expect(sample(workerAfter, 'aduan_job_processing_seconds_count', routed)).toBeGreaterThan(sample(workerBefore, 'aduan_job_processing_seconds_count', routed));
    expect(sample(workerAfter, 'aduan_job_wait_seconds_count', { queue: 'routing' })).toBeGreaterThan(0);
    // The complaint is assigned: its deadline timers are armed (held in PostgreSQL or delayed in Redis).
    expect(sample(workerAfter, 'aduan_sla_timers_armed', { store: 'redis' }) + sample(workerAfter, 'aduan_sla_timers_armed', { store: 'postgresql' })).toBeGreaterThan(0);
    expect(workerAfter).toMatch(/^aduan_queue_jobs\{queue="routing",state="waiting"\} 0$/m);
    expect(workerAfter).toMatch(/^aduan_outbox_lag_seconds \d/m);
    expect(workerAfter).toMatch(/^aduan_audit_seal_lag_seconds \d/m);
    expect(workerAfter).toMatch(/^aduan_sla_breaches\{kind="resolution"\} \d+$/m);
    expect(workerAfter).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });
});
