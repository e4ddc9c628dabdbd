import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { axeViolations, CHROMIUM, CHROMIUM_ARGS, collectPageErrors, listenOnPort, requireChromium, RESULTS, screenshotOnFailure } from '../support/browser';
import { eventually, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';
import { Fixture, writeFixture } from '../support/response-times-fixture';

const PASSWORD = 'kata sandi yang cukup panjang';

/**
 * The response-time dashboard of /oversight in real Chromium, on the hand-counted fixture
 * (docs/response-times.md): the charts with their tables, the units that miss most, the drill-down
 * to a missed deadline's complaint and its trail, a CSV, the sortable kelurahan table; at 1280, 768
 * and 360 px with axe-core's WCAG 2.1 AA rules finding nothing; and print.
 */
describe('/oversight response times in Chromium', () => {
  let h: Harness;
  let f: Fixture;
  let base: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let inspector: { username: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    h = await startHarness();
    inspector = await officialIn(h, await loginAdmin(h), 'INSP.36.04', ['inspector']);
    f = await writeFixture(h.db);
    await eventually(async () => {
      const rows: { n: string }[] = await h.db.query(`SELECT count(*) AS n FROM response_time_assignment WHERE complaint_id = ANY($1)`, [[f.a.id, f.b.id]]);
      return Number(rows[0].n) === 4;
    }, 20_000, 'the worker to project the fixture');
    base = await listenOnPort(h);
    profile = mkdtempSync(join(tmpdir(), 'aduan-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'id-ID', timezoneId: 'Asia/Jakarta', acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    collectPageErrors(page, pageErrors);
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await h?.close();
  });

  const step = (name: string, body: () => Promise<void>) => screenshotOnFailure(page, 'oversight-charts', name, body);
  const shot = (name: string) => page.locator('#response-times').screenshot({ path: join(RESULTS, `oversight-response-times-${name}.png`) });

  async function showFixturePeriod() {
    await page.fill('#rt-from', '2026-08-01');
    await page.fill('#rt-to', '2026-09-30');
    await page.click('#rt-form button[type=submit]');
    await page.waitForSelector('#rt-miss table');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#rt-miss tbody tr').length >= 2);
  }

  it('draws the units that miss most, the distribution against the deadline, and the weekly trend, each with its table', async () => {
    await step('charts-1280', async () => {
      await page.goto(`${base}/oversight`);
      await page.fill('#username', inspector.username);
      await page.fill('#password', PASSWORD);
      await page.click('#login-submit');
      await page.waitForSelector('#response-times:not([hidden])');
      await showFixturePeriod();
      const miss = await page.$$eval('#rt-miss tbody tr', (trs: any[]) => trs.map((tr) => [...tr.children].slice(0, 2).map((c: any) => c.textContent)));
      // Kecamatan Ciruas missed 2 (A late, B's stay overdue), the kelurahan 1.
      expect(miss[0]).toEqual(['Kecamatan Ciruas', '2']);
      expect(miss[1][1]).toBe('1');
      // The bars carry their values as text, and the deadline is a labelled dashed line.
      expect(await page.locator('#rt-miss svg .chart-value').allTextContents()).toEqual(['2', '1']);
      expect(await page.textContent('#rt-dist svg')).toContain('batas 3 hari kerja');
      const dist = await page.$$eval('#rt-dist tbody tr', (trs: any[]) => trs.map((tr) => [...tr.children].slice(0, 3).map((c: any) => c.textContent)));
      expect(dist).toEqual([['Kecamatan Ciruas', '4 hari kerja', '4 hari kerja'], ['Desa Ciruas', '3 hari kerja', '3 hari kerja']]);
      // Two missed deadlines: the weeks of 24 August and 31 August 2026.
      const weeks = await page.$$eval('#rt-trend tbody tr', (trs: any[]) => trs.map((tr) => [...tr.children].map((c: any) => c.textContent)));
      expect(weeks).toEqual([['2026-08-24', '1'], ['2026-08-31', '1']]);
      expect(await axeViolations(page)).toEqual([]);
      await shot('1280');
    });
  });

  it('sorts the kelurahan table by any figure', async () => {
    await step('sort', async () => {
      // Missed first, most first; a click turns it round; another column starts with its largest.
      expect(await page.getAttribute('#rt-kel th[data-field="breached_first_response"]', 'aria-sort')).toBe('descending');
      await page.locator('#rt-kel th[data-field="breached_first_response"] button').click();
      expect(await page.getAttribute('#rt-kel th[data-field="breached_first_response"]', 'aria-sort')).toBe('ascending');
      await page.locator('#rt-kel th[data-field="stays"] button').click();
      expect(await page.getAttribute('#rt-kel th[data-field="stays"]', 'aria-sort')).toBe('descending');
      expect(await page.getAttribute('#rt-kel th[data-field="breached_first_response"]', 'aria-sort')).toBe('none');
      const row = await page.$$eval('#rt-kel tbody tr', (trs: any[]) => trs.map((tr) => tr.children[0].textContent));
      expect(row.length).toBeGreaterThanOrEqual(1);
      expect(await axeViolations(page)).toEqual([]);
    });
  });

  it('drills from a unit to its missed deadlines to a complaint\'s trail', async () => {
    await step('drill', async () => {
      await page.locator('#rt-miss tbody tr').first().getByRole('button', { name: 'Kecamatan Ciruas' }).click();
      await page.waitForSelector('#rt-drill table');
      expect(await page.textContent('#rt-drill-heading')).toBe('Batas waktu terlewati: Kecamatan Ciruas');
      const numbers = await page.$$eval('#rt-drill tbody tr', (trs: any[]) => trs.map((tr) => tr.children[2].textContent));
      expect(numbers).toEqual([f.a.tn]);
      await page.getByRole('button', { name: `Buka jejak ${f.a.tn}` }).click();
      await page.waitForSelector('#trail-result:not([hidden])');
      expect(await page.inputValue('#trail-number')).toBe(f.a.tn);
      expect(await page.textContent('#trail-chain')).toContain('Rantai utuh');
      expect(await axeViolations(page)).toEqual([]);
    });
  });

  it('downloads each view\'s CSV', async () => {
    await step('csv', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#rt-csv-units')]);
      expect(download.suggestedFilename()).toBe('aduan-response-times-units.csv');
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv).toContain('"KEC.36.04.09"');
      const [breaches] = await Promise.all([page.waitForEvent('download'), page.click('#rt-csv-breaches')]);
      expect(readFileSync((await breaches.path())!, 'utf8')).toContain(f.b.tn);
    });
  });

  it.each([
    { name: '768', viewport: { width: 768, height: 1024 } },
    { name: '360', viewport: { width: 360, height: 740 } },
  ])('reads at $name px with nothing for axe to find', async ({ name, viewport }) => {
    await step(`size-${name}`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(`${base}/oversight`);
      await page.waitForSelector('#response-times:not([hidden])');
      await showFixturePeriod();
      expect(await axeViolations(page)).toEqual([]);
      await shot(name);
    });
  });

  it('prints the dashboard without the controls', async () => {
    await step('print', async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ media: 'print' });
      expect(await page.isVisible('#rt-miss svg')).toBe(true);
      expect(await page.isVisible('#rt-form')).toBe(false);
      expect(await page.isVisible('#triage')).toBe(false);
      await page.screenshot({ path: join(RESULTS, 'oversight-response-times-print.png'), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
    });
    expect(pageErrors).toEqual([]);
  });
});
