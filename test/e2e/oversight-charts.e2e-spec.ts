import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, Browser, layoutOverflow, listenOnPort, openBrowser, PHONE, RESULTS, screenshotOnFailure, signIn, TABLET } from '../support/browser';
import { eventually, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';
import { Fixture, recount, writeFixture } from '../support/response-times-fixture';

// Browser globals as page.evaluate's callbacks see them; the type-check here has no DOM lib.
declare const getComputedStyle: any;

/**
 * The response-time dashboard of /oversight in real Chromium, on the hand-counted fixture
 * (docs/response-times.md): the charts with their tables, each unit's own deadline, the units that
 * miss most, the drill-down to a missed deadline's complaint and its trail, a CSV, the sortable
 * kelurahan table; at 1280, 768 and 360 px with no table cut off and axe-core's WCAG 2.1 AA rules
 * finding nothing; and print, to PDF.
 */
describe('/oversight response times in Chromium', () => {
  let h: Harness;
  let f: Fixture;
  let base: string;
  let browser: Browser;
  let page: Page;
  let inspector: { username: string };

  beforeAll(async () => {
    h = await startHarness();
    inspector = await officialIn(h, await loginAdmin(h), 'INSP.36.04', ['inspector']);
    f = await writeFixture(h.db);
    // The kecamatan's first stay had a category with a 5-day deadline: its deadlines range 3–5.
    await h.db.query(`UPDATE assignment SET first_response_working_days = 5 WHERE id = $1`, [f.a.second]);
    await eventually(async () => {
      const rows: { n: string }[] = await h.db.query(`SELECT count(*) AS n FROM response_time_assignment WHERE complaint_id = ANY($1)`, [[f.a.id, f.b.id]]);
      return Number(rows[0].n) === 4;
    }, 20_000, 'the worker to project the fixture');
    await recount(h.api, [f.a.id]);
    base = await listenOnPort(h);
    browser = await openBrowser({ acceptDownloads: true });
    page = browser.page;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
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
      await signIn(page, { url: `${base}/oversight`, username: inspector.username, ready: '#response-times:not([hidden])' });
      await showFixturePeriod();
      const miss = await page.$$eval('#rt-miss tbody tr', (trs: any[]) => trs.map((tr) => [...tr.children].slice(0, 2).map((c: any) => c.textContent)));
      // Kecamatan Ciruas missed 2 (A late, B's stay overdue), the kelurahan 1.
      expect(miss[0]).toEqual(['Kecamatan Ciruas', '2']);
      expect(miss[1][1]).toBe('1');
      // The bars carry their values as text; each unit's deadline is a dashed line on its row, named under the chart.
      expect(await page.locator('#rt-miss svg .chart-value').allTextContents()).toEqual(['2', '1']);
      expect(await page.textContent('#rt-dist svg')).toContain('batas tanggapan pertama');
      expect(await page.$$eval('#rt-dist svg line[data-deadline]', (ls: any[]) => ls.map((l) => l.getAttribute('data-deadline')))).toEqual(['3', '5', '3']);
      expect(await page.textContent('#rt-dist-note')).toContain('dua garis: batas terpendek dan terpanjang');
      const dist = await page.$$eval('#rt-dist tbody tr', (trs: any[]) => trs.map((tr) => [...tr.children].slice(0, 4).map((c: any) => c.textContent)));
      expect(dist).toEqual([['Kecamatan Ciruas', '4 hari kerja', '4 hari kerja', '3–5 hari kerja'], ['Desa Ciruas', '3 hari kerja', '3 hari kerja', '3 hari kerja']]);
      // Two missed deadlines: the weeks of 24 August and 31 August 2026.
      const weeks = await page.$$eval('#rt-trend tbody tr', (trs: any[]) => trs.map((tr) => [...tr.children].map((c: any) => c.textContent)));
      expect(weeks).toEqual([['2026-08-24', '1'], ['2026-08-31', '1']]);
      // At 1280 every table fits: nothing to scroll sideways.
      expect(await layoutOverflow(page, { fit: true })).toEqual([]);
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
      await page.locator('#rt-miss tbody tr').first().getByRole('button', { name: 'Kecamatan Ciruas', exact: true }).click();
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
      // Each row's CSV button names its unit to a screen reader; its cell carries no second "Unduh CSV" on a phone card.
      const unitCsv = page.locator('#rt-miss tbody tr').first().getByRole('button', { name: 'Unduh CSV batas terlewati: Kecamatan Ciruas' });
      expect(await unitCsv.evaluate((b: any) => b.closest('td').hasAttribute('data-label'))).toBe(false);
      const [unitBreaches] = await Promise.all([page.waitForEvent('download'), unitCsv.click()]);
      expect(unitBreaches.suggestedFilename()).toBe('aduan-breaches-KEC.36.04.09.csv');
    });
  });

  it.each([
    { name: '768', viewport: TABLET },
    { name: '360', viewport: PHONE },
  ])('reads at $name px with no table cut off and nothing for axe to find', async ({ name, viewport }) => {
    await step(`size-${name}`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(`${base}/oversight`);
      await page.waitForSelector('#response-times:not([hidden])');
      await showFixturePeriod();
      expect(await layoutOverflow(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await shot(name);
    });
  });

  it('prints the dashboard without the controls, every table whole, header rows repeated', async () => {
    await step('print', async () => {
      // A4 is 794 px wide at 96 dpi, less Chromium's default margins of 1 cm a side.
      await page.setViewportSize({ width: 718, height: 1000 });
      await page.emulateMedia({ media: 'print' });
      expect(await page.isVisible('#rt-miss svg')).toBe(true);
      expect(await page.isVisible('#rt-form')).toBe(false);
      expect(await page.isVisible('#triage')).toBe(false);
      expect(await page.isVisible('#rt-kel th[data-field="overdue_now"]')).toBe(true);
      expect(await layoutOverflow(page, { fit: true })).toEqual([]);
      expect(await page.$eval('#rt-kel thead', (e: any) => getComputedStyle(e).display)).toBe('table-header-group');
      await page.screenshot({ path: join(RESULTS, 'oversight-response-times-print.png'), fullPage: true });
      const pdf = await page.pdf({ path: join(RESULTS, 'oversight-response-times-print.pdf'), format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 1280, height: 900 });
    });
    expect(browser.errors).toEqual([]);
  });
});
