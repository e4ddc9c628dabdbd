import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { commitAsTamperingSuperuser } from '../support/audit-tamper';
import { Browser, listenOnPort, openBrowser, RESULTS, screenshotOnFailure, signIn } from '../support/browser';
import { call, fileAndRoute, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';
import { TEST_DATABASE_URL } from '../support/test-env';

const REASON = 'Pemeriksaan dugaan laporan palsu nomor 5/2026.';
const FORGED = 'Permintaan pimpinan daerah.';

/**
 * What an inspector sees at /oversight when the log was changed behind Aduan's back: a database
 * superuser, triggers off, rewrites the reason of a reveal. The complaint's trail marks the entry,
 * and a verify run names it as the first broken entry. Chromium, axe-clean, screenshot taken.
 */
describe('/oversight in Chromium, after the audit log was tampered with', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;
  let tn: string;
  let entry: { id: string; stream: string; seq: number; data: Record<string, unknown> };

  beforeAll(async () => {
    h = await startHarness();
    const admin = await loginAdmin(h);
    const inspector = await officialIn(h, admin, 'INSP.36.73', ['inspector']);
    tn = (await fileAndRoute(h)).tn;
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { token: inspector.token, body: { reason: REASON } })).status).toBe(200);
    await h.quiet();
    [entry] = await h.db.query(
      `SELECT a.id, a.stream, a.seq, a.data FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id WHERE c.tracking_number = $1 AND a.event = 'complaint.reporter_revealed'`,
      [tn],
    );
    base = await listenOnPort(h);
    browser = await openBrowser();
    page = browser.page;
    await signIn(page, { url: `${base}/oversight`, username: inspector.username, ready: '#work-view:not([hidden])' });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const step = (name: string, body: () => Promise<void>) => screenshotOnFailure(page, 'oversight-tampered', name, body);

  async function verifyOnPage(): Promise<{ result: string; detail: string; broken: boolean }> {
    await page.click('#verify-run');
    await page.waitForSelector('#verify-run:not([disabled])', { timeout: 60_000 });
    await page.waitForSelector('#verify-result.intact, #verify-result.broken');
    return {
      result: (await page.textContent('#verify-result')) ?? '',
      detail: (await page.textContent('#verify-detail')) ?? '',
      broken: await page.locator('#verify-result.broken').count() === 1,
    };
  }

  it('marks the changed entry in the trail and names it as verify’s first broken entry', async () => {
    await step('tampered', async () => {
      expect(entry).toMatchObject({ seq: 4, data: { reason: REASON } });
      await commitAsTamperingSuperuser(TEST_DATABASE_URL, async (db) => {
        await db.query(`UPDATE audit_entry SET data = jsonb_set(data, '{reason}', to_jsonb($2::text)) WHERE id = $1`, [entry.id, FORGED]);
      });
      try {
        await page.fill('#trail-number', tn);
        await page.click('#trail-form button[type=submit]');
        await page.waitForSelector('#trail-result:not([hidden])');
        expect(await page.textContent('#trail-chain')).toContain('Rantai rusak: entri pertama yang bermasalah no. 4 (diubah).');
        const rows = await page.$$eval('#trail-rows tr', (trs: any[]) => trs.map((tr) => [...tr.children].map((td: any) => td.textContent)));
        expect(rows.map((r) => r[5].split(/\s/)[0])).toEqual(['utuh', 'utuh', 'utuh', 'diubah']);
        expect(rows[3][4]).toContain(FORGED);

        const run = await verifyOnPage();
        expect(run.broken).toBe(true);
        expect(run.result).toContain('Log TIDAK utuh.');
        expect(run.detail).toContain(`Temuan pertama: `);
        expect(run.detail).toContain(`${entry.stream} #4 ${entry.id}`);
        // The finding's own sentence, in the page's language.
        expect(run.detail).toMatch(/ — .*entri .*diubah/);
        await page.screenshot({ path: join(RESULTS, 'oversight-tampered-1280.png'), fullPage: true });
        await page.setViewportSize({ width: 768, height: 1024 });
        await page.screenshot({ path: join(RESULTS, 'oversight-tampered-768.png'), fullPage: true });
        await page.setViewportSize({ width: 1280, height: 900 });
      } finally {
        // Other files share this log: put the entry back exactly as it was.
        await commitAsTamperingSuperuser(TEST_DATABASE_URL, async (db) => {
          await db.query(`UPDATE audit_entry SET data = $2::jsonb WHERE id = $1`, [entry.id, JSON.stringify(entry.data)]);
        });
      }
    });
  });

  it('finds the log whole again once the entry is as it was', async () => {
    await step('restored', async () => {
      const run = await verifyOnPage();
      expect([run.broken, run.result]).toEqual([false, expect.stringMatching(/Log utuh: \d{1,3}(\.\d{3})* entri diperiksa\./)]);
      expect(browser.errors).toEqual([]);
    });
  });
});
