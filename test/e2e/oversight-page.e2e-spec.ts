import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, collectPageErrors, listenOnPort, requireChromium, RESULTS, screenshotOnFailure } from '../support/browser';
import { call, complaintBody, fileAndRoute, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

// Browser globals as page.evaluate's callbacks see them; the type-check here has no DOM lib.
declare const window: any;

const PASSWORD = 'kata sandi yang cukup panjang';
const LAPTOP = { width: 1280, height: 900 };
const TABLET = { width: 768, height: 1024 };
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation { id: string; impact: string; help: string; nodes: { target: string[] }[] }

/**
 * The Inspektorat's workspace in real Chromium: an inspector signs in, opens a complaint and sees
 * its whole history with "Rantai utuh", reads the integrity views, clears a complaint in the
 * triage queue and runs verify — in Bahasa Indonesia first, at 1280 and 768 pixels, with axe-core's
 * WCAG 2.1 AA rules finding nothing.
 */
describe('/oversight in Chromium', () => {
  let h: Harness;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let inspector: { token: string; username: string };
  let lurah: { token: string; username: string };
  let tn: string;
  let accusedTn: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireChromium();
    h = await startHarness();
    const admin = await loginAdmin(h);
    inspector = await officialIn(h, admin, 'INSP.36.73', ['inspector']);
    lurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
    tn = (await fileAndRoute(h, { anonymous: false, confidential: false, reporter: { name: 'Warga Halaman' } })).tn;
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/acknowledge`, { token: lurah.token, body: {} })).status).toBe(200);
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { token: inspector.token, body: { reason: 'Pemeriksaan dugaan laporan palsu nomor 3/2026.' } })).status).toBe(200);
    const accused = await call(h, 'POST', '/api/v1/complaints', {
      body: complaintBody({ description: 'Pak Lurah Serang menolak mengangkut sampah kecuali diberi uang rokok.', accused: { name: 'Pak Ahmad', position: 'Lurah Serang' } }),
    });
    accusedTn = accused.body.tracking_number;
    await h.quiet();
    base = await listenOnPort(h);
    profile = mkdtempSync(join(tmpdir(), 'aduan-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: LAPTOP, deviceScaleFactor: 1, locale: 'id-ID', timezoneId: 'Asia/Jakarta', acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    collectPageErrors(page, pageErrors);
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await h?.close();
  });

  const step = (name: string, body: () => Promise<void>) => screenshotOnFailure(page, 'oversight', name, body);

  /** axe-core's WCAG 2.0/2.1 A and AA rules over the page as it stands. */
  async function axe(): Promise<AxeViolation[]> {
    // Through the DevTools protocol, not a <script>: the page's CSP admits only its own scripts.
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE);
    const result = await page.evaluate(() => window.axe.run(window.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    return (result.violations as AxeViolation[]).map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }

  it('signs an inspector in like the console, in Bahasa Indonesia, with nothing for axe to find', async () => {
    await step('login', async () => {
      await page.goto(`${base}/oversight`);
      await page.waitForSelector('#login-view:not([hidden])');
      expect(await page.textContent('#login-heading')).toBe('Masuk ke ruang kerja Inspektorat');
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(await axe()).toEqual([]);
      await page.fill('#username', inspector.username);
      await page.fill('#password', PASSWORD);
      await page.click('#login-submit');
      await page.waitForSelector('#work-view:not([hidden])');
      await page.waitForSelector('#triage-status:not(:empty)');
    });
  });

  it('opens a complaint and shows its whole history with “Rantai utuh”', async () => {
    await step('trail', async () => {
      await page.fill('#trail-number', tn);
      await page.click('#trail-form button[type=submit]');
      await page.waitForSelector('#trail-result:not([hidden])');
      expect(await page.textContent('#trail-chain')).toContain('Rantai utuh: 5 entri');
      const rows = await page.$$eval('#trail-rows tr', (trs: any[]) => trs.map((tr) => [...tr.children].map((td: any) => td.textContent)));
      expect(rows.map((r) => r[2])).toEqual(['Diajukan', 'Diarahkan', 'Ditugaskan', 'Diterima petugas', 'Identitas pelapor dibuka']);
      expect(rows[4][3]).toContain(inspector.username);
      expect(rows[4][4]).toContain('Pemeriksaan dugaan laporan palsu nomor 3/2026.');
      expect(rows.every((r) => r[5].startsWith('utuh'))).toBe(true);
      expect(await page.textContent('body')).not.toContain('Warga Halaman');
      expect(await axe()).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'oversight-trail-1280.png'), fullPage: true });
    });
  });

  it('shows the integrity views and downloads the CSV', async () => {
    await step('views', async () => {
      await page.selectOption('#view-name', 'reveals');
      await page.click('#views-form button[type=submit]');
      await page.waitForSelector('#view-table:not([hidden])');
      expect(await page.textContent('#view-rows')).toContain('Pemeriksaan dugaan laporan palsu nomor 3/2026.');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#view-csv')]);
      expect(download.suggestedFilename()).toBe('aduan-reveals.csv');
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv).toContain(tn);
      expect(await axe()).toEqual([]);
    });
  });

  it('lists the triage queue and clears a complaint with a reason', async () => {
    await step('triage', async () => {
      const item = page.locator('.triage-item', { hasText: accusedTn });
      await item.waitFor();
      await item.getByRole('button', { name: 'Bukan tentang pejabat' }).click();
      expect(await item.locator('.error-text').textContent()).toBe('Tulis alasan paling sedikit 10 karakter.');
      await item.locator('textarea').fill('Bukan tentang pejabat: keluhan layanan biasa.');
      await item.getByRole('button', { name: 'Bukan tentang pejabat' }).click();
      await page.waitForSelector(`#triage-status:has-text("${accusedTn}: dinyatakan bukan tentang pejabat.")`);
      expect(await page.locator('.triage-item', { hasText: accusedTn }).count()).toBe(0);
    });
  });

  it('runs verify and shows the result', async () => {
    await step('verify', async () => {
      await page.click('#verify-run');
      await page.waitForSelector('#verify-result.intact, #verify-result.broken', { timeout: 60_000 });
      expect(await page.textContent('#verify-result')).toMatch(/Log utuh: \d+ entri diperiksa\./);
      expect(await axe()).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'oversight-views-1280.png'), fullPage: true });
    });
  });

  it('reads at 768 pixels, and in English', async () => {
    await step('tablet', async () => {
      await page.setViewportSize(TABLET);
      expect(await axe()).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'oversight-768.png'), fullPage: true });
      await page.click('#lang-switch');
      expect(await page.textContent('#trail-chain')).toContain('Chain intact: 5 entries');
      expect(await axe()).toEqual([]);
      await page.setViewportSize(LAPTOP);
      await page.click('#lang-switch');
    });
  });

  it('tells a handler the page is not theirs, and the API refuses them', async () => {
    await step('handler', async () => {
      await page.click('#logout');
      await page.waitForSelector('#login-view:not([hidden])');
      await page.fill('#username', lurah.username);
      await page.fill('#password', PASSWORD);
      await page.click('#login-submit');
      await page.waitForSelector('#not-inspector:not([hidden])');
      expect(await page.isHidden('#trail')).toBe(true);
      expect((await call(h, 'GET', `/api/v1/audit/complaints/${tn}`, { token: lurah.token })).status).toBe(403);
      expect(pageErrors).toEqual([]);
    });
  });
});
