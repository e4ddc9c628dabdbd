import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, Browser, LAPTOP, layoutOverflow, listenOnPort, openBrowser, PHONE, RESULTS, screenshotOnFailure, signIn, TABLET } from '../support/browser';
import { call, complaintBody, fileAndRoute, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';


/**
 * The Inspektorat's workspace in real Chromium: an inspector signs in, opens a complaint and sees
 * its whole history with "Rantai utuh", reads the integrity views, clears a complaint in the
 * triage queue and runs verify — in Bahasa Indonesia first, at 1280, 768 and 360 pixels, with axe-core's
 * WCAG 2.1 AA rules finding nothing.
 */
describe('/oversight in Chromium', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;
  let inspector: { token: string; username: string };
  let lurah: { token: string; username: string };
  let tn: string;
  let accusedTn: string;

  beforeAll(async () => {
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
    browser = await openBrowser({ acceptDownloads: true });
    page = browser.page;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const step = (name: string, body: () => Promise<void>) => screenshotOnFailure(page, 'oversight', name, body);

  const axe = () => axeViolations(page);

  it('signs an inspector in like the console, in Bahasa Indonesia, with nothing for axe to find', async () => {
    await step('login', async () => {
      await page.goto(`${base}/oversight`);
      await page.waitForSelector('#login-view:not([hidden])');
      expect(await page.textContent('#login-heading')).toBe('Masuk ke ruang kerja Inspektorat');
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(await axe()).toEqual([]);
      await signIn(page, { username: inspector.username, ready: '#work-view:not([hidden])' });
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
      expect(await layoutOverflow(page)).toEqual([]);
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
      expect(await page.textContent('#verify-result')).toMatch(/Log utuh: \d{1,3}(\.\d{3})* entri diperiksa\./);
      expect(await axe()).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'oversight-views-1280.png'), fullPage: true });
    });
  });

  it('reads at 768 and 360 pixels, and in English', async () => {
    await step('tablet', async () => {
      await page.setViewportSize(TABLET);
      expect(await layoutOverflow(page)).toEqual([]);
      expect(await axe()).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'oversight-768.png'), fullPage: true });
      await page.setViewportSize(PHONE);
      expect(await layoutOverflow(page)).toEqual([]);
      expect(await axe()).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'oversight-360.png'), fullPage: true });
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
      await signIn(page, { username: lurah.username, ready: '#not-inspector:not([hidden])' });
      expect(await page.isHidden('#trail')).toBe(true);
      expect((await call(h, 'GET', `/api/v1/audit/complaints/${tn}`, { token: lurah.token })).status).toBe(403);
      expect(browser.errors).toEqual([]);
    });
  });
});
