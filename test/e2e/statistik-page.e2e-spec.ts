import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, Browser, LAPTOP, layoutOverflow, listenOnPort, openBrowser, PHONE, RESULTS, screenshotOnFailure, TABLET } from '../support/browser';
import { Harness, startHarness } from '../support/harness';

// Browser globals as page.evaluate's callbacks see them; the type-check here has no DOM lib.
declare const getComputedStyle: any;

const SIZES = [
  { name: '1280', viewport: LAPTOP },
  { name: '768', viewport: TABLET },
  { name: '360', viewport: PHONE },
];

/**
 * /statistik in real Chromium at 1280, 768 and 360 px: a resident picks Kota Tangerang and finds
 * their kelurahan's figures, hidden cells read as hidden, in Bahasa Indonesia first; nothing from
 * another origin; axe-core's WCAG 2.1 AA rules find nothing; and the page's weight over the wire.
 */
describe('/statistik in Chromium', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    // Figures for three kelurahan offices and a kecamatan office of 36.71.02 (no other file counts there).
    const stays = async (unit: string, days: number[], met: boolean) =>
      h.db.query(
        `INSERT INTO response_time_assignment (assignment_id, complaint_id, tenant_code, category_code, kelurahan_code, kecamatan_code, unit_id, via,
            assigned_at, due_at, responded_at, response_ms, response_working_days, met)
         SELECT gen_random_uuid(), gen_random_uuid(), '36.71', 'SAMPAH', u.area_code, '36.71.02', u.id, 'routed', now() - interval '20 days',
                now() - interval '17 days', now() - interval '19 days', d * 86400000, d, $3
           FROM unit u, unnest($2::int[]) AS d WHERE u.code = $1`,
        [unit, days, met],
      );
    await h.db.query(`DELETE FROM response_time_assignment WHERE kecamatan_code = '36.71.02'`);
    await stays('KEL.36.71.02.1001', [0, 1, 1, 2, 2, 3, 1, 1], true);
    await stays('KEL.36.71.02.1001', [6, 8], false);
    await stays('KEL.36.71.02.1002', [1, 2], true);
    await stays('KEL.36.71.02.1003', [0, 0, 1, 1, 1, 2], true);
    await stays('KEC.36.71.02', [2, 2, 3, 4, 5], true);
    base = await listenOnPort(h);
    browser = await openBrowser({ viewport: PHONE });
    page = browser.page;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const step = (name: string, body: () => Promise<void>) => screenshotOnFailure(page, 'statistik', name, body);
  const row = (name: string) => page.locator('#table-kelurahan tbody tr', { hasText: name });

  it('loads light on a phone, from this origin only, in Bahasa Indonesia', async () => {
    await step('load-360', async () => {
      // Bytes over the wire with an empty cache, as Chromium counts them (headers and compressed bodies).
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.clearBrowserCache');
      let bytes = 0;
      const origins = new Set<string>();
      cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
      cdp.on('Network.requestWillBeSent', (e: { request: { url: string } }) => origins.add(new URL(e.request.url).origin));
      await page.goto(`${base}/statistik#36.71`, { waitUntil: 'networkidle' });
      await page.waitForSelector('#figures:not([hidden])');
      expect([...origins]).toEqual([base]);
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(await page.textContent('h1')).toBe('Seberapa cepat pengaduan ditanggapi');
      expect(await page.textContent('#tenant-name')).toBe('Kota Tangerang');
      // The figure the docs quote; well under the form's.
      console.log(`statistik weight: ${bytes} bytes over the wire (Kota Tangerang, empty cache)`);
      expect(bytes).toBeGreaterThan(5_000);
      expect(bytes).toBeLessThan(40_000);
      await cdp.detach();
    });
  });

  it('shows a kelurahan\'s figures, hidden cells as hidden, and finds it by name', async () => {
    await step('search-360', async () => {
      const names: { code: string; name: string }[] = await h.db.query(`SELECT code, name FROM unit WHERE code IN ('KEL.36.71.02.1001', 'KEL.36.71.02.1002')`);
      const a = names.find((n) => n.code === 'KEL.36.71.02.1001')!.name;
      const b = names.find((n) => n.code === 'KEL.36.71.02.1002')!.name;
      const aCells = await row(a).first().locator('td').allTextContents();
      // Kecamatan, received, median, on time, finished, rating.
      expect(aCells.slice(1, 4)).toEqual(['10', '1,5 hari kerja', '80%']);
      expect((await row(b).first().locator('td').allTextContents())[1]).toBe('—disembunyikan');
      await page.fill('#search', b.replace(/^Kelurahan /, '').toLowerCase());
      expect(await page.textContent('#search-count')).toMatch(/^1 dari \d+ kantor ditampilkan$/);
      await row(b).first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(RESULTS, 'statistik-search-360.png') });
      await page.fill('#search', '');
    });
  });

  it.each(SIZES)('reads at $name px with nothing for axe to find', async ({ name, viewport }) => {
    await step(`page-${name}`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(`${base}/statistik#36.71`);
      await page.waitForSelector('#figures:not([hidden])');
      expect(await axeViolations(page)).toEqual([]);
      // Nothing wider than the screen; on a laptop no table to scroll either.
      expect(await layoutOverflow(page, { fit: viewport === LAPTOP })).toEqual([]);
      await page.screenshot({ path: join(RESULTS, `statistik-${name}.png`) });
      await page.locator('#table-kelurahan').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(RESULTS, `statistik-${name}-table.png`) });
      await page.locator('#table-kecamatan').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(RESULTS, `statistik-${name}-kecamatan.png`) });
    });
  });

  it('switches to English and back, and prints', async () => {
    await step('english', async () => {
      await page.click('#lang-switch');
      expect(await page.textContent('h1')).toBe('How fast complaints are answered');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await axeViolations(page)).toEqual([]);
      // On A4 (less 1 cm margins) every table whole, its header rows repeated on each page.
      await page.setViewportSize({ width: 718, height: 1000 });
      await page.emulateMedia({ media: 'print' });
      expect(await page.isVisible('#search')).toBe(false);
      expect(await layoutOverflow(page, { fit: true })).toEqual([]);
      expect(await page.$eval('#table-kelurahan thead', (e: any) => getComputedStyle(e).display)).toBe('table-header-group');
      await page.screenshot({ path: join(RESULTS, 'statistik-print.png'), fullPage: true });
      await page.pdf({ path: join(RESULTS, 'statistik-print.pdf'), format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize(PHONE);
      await page.click('#lang-switch');
      expect(await page.textContent('h1')).toBe('Seberapa cepat pengaduan ditanggapi');
    });
    expect(browser.errors).toEqual([]);
  });
});
