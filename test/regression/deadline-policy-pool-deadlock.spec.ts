import '@aduan/complaints';
import { createDataSource, loadConfig } from '@aduan/platform';
import { SlaDeadlinePolicy } from '@aduan/sla';
import { useTestEnvironment } from '../support/test-env';

/**
 * Found by `npm run bench`: jobs locked a complaint inside a transaction and then asked the
 * deadline policy, which reloaded its cache on a second pool connection. With as many such jobs
 * as pool connections, every connection waited for an eleventh that never came. The policy now
 * reads through the caller's transaction, one reload at a time.
 */
it('computes deadlines inside transactions that hold every pool connection', async () => {
  useTestEnvironment();
  const config = loadConfig();
  const dataSource = await createDataSource(config.DATABASE_URL, 2, 'aduan-regression').initialize();
  try {
    const policy = new SlaDeadlinePolicy(dataSource, config);
    const from = new Date('2026-11-23T03:00:00Z'); // Monday 10:00 WIB
    const run = () =>
      dataSource.transaction(async (m) => {
        await m.query('SELECT 1');
        policy.invalidate();
        return policy.firstResponseDueAt('36.73', 'SAMPAH', from, m);
      });
    const results = await Promise.race([
      Promise.all([run(), run(), run(), run()]),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('deadlocked: the policy waited for a pool connection')), 10_000)),
    ]);
    expect(results.map((d) => d.at.toISOString())).toEqual(Array(4).fill('2026-11-26T16:59:59.999Z'));
  } finally {
    await dataSource.destroy();
  }
});
