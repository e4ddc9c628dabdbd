import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { SlaDeadlinePolicy, SlaPolicyListener } from '@aduan/sla';
import { call, eventually, Harness, loginAdmin, startHarness } from '../support/harness';

const TENANT = '36.73';
const CATEGORY = 'PARKIR_LIAR';

/**
 * A policy changed through the api reaches a worker's deadline cache at once, announced in the
 * writing transaction and heard on the worker's own connection, also after that connection was
 * terminated. A reader without the listener, warmed at the same moment, still holds the old
 * policy: what the listening reader sees is the notification, not the cache's expiry.
 */
describe('SLA policy changes reach the workers at once', () => {
  let h: Harness;
  let admin: string;
  let config: AppConfig;
  let listening: SlaDeadlinePolicy;
  let unheard: SlaDeadlinePolicy;
  let listener: SlaPolicyListener;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    admin = await loginAdmin(h);
    config = h.api.get<AppConfig>(APP_CONFIG);
    // Worker-side readers: caches of their own, as in another process.
    listening = new SlaDeadlinePolicy(h.db, config);
    unheard = new SlaDeadlinePolicy(h.db, config);
    listener = new SlaPolicyListener(listening, config);
    await listener.start();
  });

  afterAll(async () => {
    await listener.stop();
    // Later files share the database.
    await h.db.query(`DELETE FROM sla_policy WHERE tenant_code = $1 AND category_code = $2`, [TENANT, CATEGORY]);
    await h.close();
  });

  const resolutionDays = async (policy: SlaDeadlinePolicy) => (await policy.clocks(TENANT, CATEGORY)).resolution;

  /**
   * PUTs a resolution of `days` hari kerja after both readers loaded afresh at `t0`: their caches
   * hold what they read until t0 + 2 s (POLICY_CACHE_MS), so a change seen sooner was heard.
   */
  async function change(days: number): Promise<void> {
    listening.invalidate();
    unheard.invalidate();
    const t0 = Date.now();
    const before = await resolutionDays(listening);
    expect(await resolutionDays(unheard)).toEqual(before);
    const put = await call(h, 'PUT', `/api/v1/admin/sla/${CATEGORY}?tenant=${TENANT}`, { token: admin, body: { first_response: { working_days: 1 }, resolution: { working_days: days } } });
    expect(put.status).toBe(200);
    await eventually(async () => JSON.stringify(await resolutionDays(listening)) === JSON.stringify({ working_days: days }), 1_500, 'the listening reader sees the change');
    expect(await resolutionDays(unheard)).toEqual(before);
    expect(Date.now() - t0).toBeLessThan(2_000);
  }

  it('sees a change made through the api before its cache would expire', async () => {
    await change(11);
  });

  it('hears changes again after its connection was terminated', async () => {
    const backends = async (): Promise<number[]> =>
      (await h.db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'aduan-sla-policy-listener'`)).map((r: { pid: number }) => r.pid);
    const [old] = await backends();
    expect(await backends()).toEqual([old]);
    const [{ terminated }]: { terminated: boolean }[] = await h.db.query(`SELECT pg_terminate_backend($1) AS terminated`, [old]);
    expect(terminated).toBe(true);
    // The reconnection can be quicker than any poll of `listening` (50–100 ms of backoff): a new backend shows it happened.
    await eventually(async () => listener.listening && (await backends()).some((pid) => pid !== old), 10_000, 'the listener reconnected on a new connection');
    expect(await backends()).not.toContain(old);
    await change(12);
  });
});
