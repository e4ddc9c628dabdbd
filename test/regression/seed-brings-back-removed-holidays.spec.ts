import { seedHolidays } from '@aduan/sla';
import { call, eventually, Harness, loginAdmin, startHarness } from '../support/harness';

type Entry = { date: string; kind: string; name: string };

/**
 * The seed (run by every `npm start`) inserted every day of the shipped tables that was missing,
 * so a cuti bersama day an admin had removed in a revision came back at the next start, silently,
 * and deadlines were counted over it again. The seed now loads a shipped table only into a year
 * nobody has loaded, revised or withdrawn.
 */
describe('the seed and an admin’s revision', () => {
  let h: Harness;
  let admin: string;
  let original: Entry[];

  beforeAll(async () => {
    h = await startHarness({ env: { SLA_REARM_DELAY_SECONDS: '3' } });
    admin = await loginAdmin(h);
    original = (await call(h, 'GET', '/api/v1/admin/holidays/2026', { token: admin })).body;
  });
  afterAll(async () => {
    await put(original);
    await h.close();
  });

  async function put(entries: Entry[]): Promise<void> {
    const [{ seq }]: { seq: string }[] = await h.db.query(`SELECT COALESCE(max(seq), 0) AS seq FROM holiday_revision`);
    expect((await call(h, 'PUT', '/api/v1/admin/holidays/2026', { token: admin, body: entries })).status).toBe(200);
    await eventually(async () => (await h.db.query(`SELECT 1 FROM holiday_revision WHERE seq > $1 AND rearm_status = 'done'`, [seq])).length > 0, 30_000, 're-arm');
  }

  it('does not bring back a day an admin removed', async () => {
    expect(original).toContainEqual({ date: '2026-12-24', kind: 'cuti_bersama', name: 'Cuti bersama Natal' });
    await put(original.filter((h) => h.date !== '2026-12-24'));
    expect(await seedHolidays(h.db)).toBe(0);
    const after: Entry[] = (await call(h, 'GET', '/api/v1/admin/holidays/2026', { token: admin })).body;
    expect(after.map((e) => e.date)).not.toContain('2026-12-24');
    expect(after).toHaveLength(original.length - 1);
  });
});
