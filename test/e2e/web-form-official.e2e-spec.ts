import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, Browser, listenOnPort, lowContrast, openBrowser, PHONE, RESULTS, screenshotOnFailure } from '../support/browser';
import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

// Browser globals as the callbacks of page.evaluate see them; the type-check here has no DOM lib.
declare const document: any;

const EXAMPLE = 'Pak Lurah Serang menolak mengangkut sampah kecuali diberi uang rokok.';

/**
 * The resident's path for a complaint about an official, on a 360 px phone in Chromium: say it
 * is about an official's conduct, pick who from the offices of the chosen kelurahan/desa and
 * kecamatan (or write it in), optionally a name; the complaint becomes anonymous and confidential,
 * and it lands with the Inspektorat, out of the accused lurah's sight.
 */
describe('the web form’s path for a complaint about an official', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    base = await listenOnPort(h);
    browser = await openBrowser({ viewport: PHONE, isMobile: true, hasTouch: true });
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const step = (name: string, body: () => Promise<void>) => screenshotOnFailure(page, 'web-form-official', name, body);
  const options = (selector: string) => page.$$eval(`${selector} option`, (nodes: any[]) => nodes.map((n) => ({ value: n.value, text: n.textContent })));

  async function choosePlace(tenant: string, kecamatan: string, kelurahan: string): Promise<void> {
    await page.selectOption('#tenant', tenant);
    await page.waitForSelector(`#kecamatan:not([disabled]) option[value="${kecamatan}"]`, { state: 'attached' });
    await page.selectOption('#kecamatan', kecamatan);
    await page.waitForSelector(`#kelurahan:not([disabled]) option[value="${kelurahan}"]`, { state: 'attached' });
    await page.selectOption('#kelurahan', kelurahan);
  }

  it('names the lurah by position, locks the privacy on, and sends it to the Inspektorat', async () => {
    let trackingNumber = '';

    await step('open', async () => {
      await page.goto(`${base}/`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
      expect(await page.isHidden('#official-who')).toBe(true);
      expect(await page.isChecked('#about-official')).toBe(false);
      await choosePlace('36.73', '36.73.01', '36.73.01.1001');
      await page.selectOption('#category', 'SAMPAH');
      await page.uncheck('#anonymous');
      await page.uncheck('#confidential');
    });

    await step('tick', async () => {
      await page.check('#about-official');
      expect(await page.isVisible('#official-who')).toBe(true);
      expect(await page.getAttribute('#about-official', 'aria-expanded')).toBe('true');
      // Always anonim and rahasia, and the form says why.
      expect(await page.isVisible('#official-notice')).toBe(true);
      expect(await page.isChecked('#anonymous')).toBe(true);
      expect(await page.isChecked('#confidential')).toBe(true);
      expect(await page.isDisabled('#anonymous')).toBe(true);
      expect(await page.isDisabled('#confidential')).toBe(true);
      // The offices of the chosen kelurahan and kecamatan, "don't know" and "other".
      expect(await options('#accused-position')).toEqual([
        { value: '', text: 'Pilih…' },
        { value: 'kel:head', text: 'Lurah Serang' },
        { value: 'kel:secretary', text: 'Sekretaris Kelurahan Serang' },
        { value: 'kel:staff', text: 'Staf Kelurahan Serang' },
        { value: 'kel:rtrw', text: 'Ketua RT/RW di Kelurahan Serang' },
        { value: 'kec:head', text: 'Camat Serang' },
        { value: 'kec:secretary', text: 'Sekretaris Kecamatan Serang' },
        { value: 'kec:staff', text: 'Staf Kecamatan Serang' },
        { value: 'unknown', text: 'Tidak tahu jabatannya' },
        { value: 'other', text: 'Lainnya (tulis sendiri)' },
      ]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      expect(await lowContrast(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'web-form-official-360.png'), fullPage: true });
      // The part a resident reads on the phone's screen, at its real size.
      await page.evaluate(() => document.getElementById('official-notice').scrollIntoView({ block: 'start', behavior: 'instant' }));
      await page.screenshot({ path: join(RESULTS, 'web-form-official-360-screen.png') });
    });

    await step('untick-restores', async () => {
      await page.uncheck('#about-official');
      expect(await page.isHidden('#official-who')).toBe(true);
      expect(await page.isHidden('#official-notice')).toBe(true);
      expect(await page.isChecked('#anonymous')).toBe(false);
      expect(await page.isChecked('#confidential')).toBe(false);
      await page.check('#about-official');
    });

    await step('checks', async () => {
      await page.fill('#description', EXAMPLE);
      await page.click('#submit');
      await page.waitForSelector('#accused-position-error:not([hidden])');
      expect(await page.textContent('#accused-position-error')).toBe('Pilih siapa petugasnya, atau “Tidak tahu jabatannya”.');
      expect(await page.getAttribute('#accused-position', 'aria-invalid')).toBe('true');
      await page.selectOption('#accused-position', 'other');
      expect(await page.isVisible('#accused-other')).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('accused-other');
      await page.click('#submit');
      await page.waitForSelector('#accused-other-error:not([hidden])');
      expect(await page.textContent('#accused-other-error')).toBe('Tulis jabatan atau kantor petugas.');
      await page.selectOption('#accused-position', 'kel:head');
      expect(await page.isHidden('#accused-other-field')).toBe(true);
      await page.fill('#accused-name', 'Pak Ahmad');
    });

    await step('english', async () => {
      await page.click('#lang-switch');
      expect(await page.textContent('label[for=about-official] strong')).toBe('This is about an official’s conduct');
      expect(await page.$eval('#accused-position', (s: any) => s.selectedOptions[0].textContent)).toBe('Lurah — head of Kelurahan Serang');
      await page.evaluate(() => document.getElementById('about-official').scrollIntoView({ block: 'start', behavior: 'instant' }));
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'web-form-official-360-en.png') });
      await page.click('#lang-switch');
      expect(await page.$eval('#accused-position', (s: any) => s.selectedOptions[0].textContent)).toBe('Lurah Serang');
    });

    await step('submit', async () => {
      await page.click('#submit');
      await page.waitForSelector('#done:not([hidden])');
      trackingNumber = (await page.textContent('#done-tn')) ?? '';
      expect(trackingNumber).toMatch(/^ADN-/);
      expect(await page.textContent('#done-privacy')).toBe('Anonim, rahasia');
      await page.screenshot({ path: join(RESULTS, 'web-form-official-360-done.png'), fullPage: true });
    });

    await step('stored-and-routed', async () => {
      const [row]: { accused: unknown; anonymous: boolean; confidential: boolean }[] = await h.db.query(
        `SELECT accused, anonymous, confidential FROM complaint WHERE tracking_number = $1`,
        [trackingNumber],
      );
      expect(row).toEqual({ accused: { name: 'Pak Ahmad', position: 'Lurah', unit: 'KEL.36.73.01.1001' }, anonymous: true, confidential: true });
      await h.quiet();
      const admin = await loginAdmin(h);
      const lurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
      const inspector = await officialIn(h, admin, 'INSP.36.73', ['inspector']);
      expect((await call(h, 'GET', `/api/v1/complaints/${trackingNumber}`, { token: lurah.token })).status).toBe(404);
      expect((await call(h, 'GET', `/api/v1/complaints/${trackingNumber}`, { token: inspector.token })).body.handler.code).toBe('INSP.36.73');
    });
    expect(browser.errors).toEqual([]);
  }, 120_000);

  it('offers a desa’s own titles, holds the box for a category about an official, and takes a position written in', async () => {
    await step('desa', async () => {
      await page.goto(`${base}/`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
      await choosePlace('36.04', '36.04.05', '36.04.05.2002');
      await page.selectOption('#category', 'PUNGLI');
      // A category about an official's conduct ticks the box and holds it.
      expect(await page.isChecked('#about-official')).toBe(true);
      expect(await page.isDisabled('#about-official')).toBe(true);
      expect(await page.isVisible('#official-who')).toBe(true);
      const texts = (await options('#accused-position')).map((o) => o.text);
      expect(texts).toEqual(expect.arrayContaining(['Kepala Desa Margasana', 'Sekretaris Desa Margasana', 'Perangkat/staf Desa Margasana', 'Camat Kramatwatu']));
      expect(texts).not.toContain('Lurah Margasana');
      await page.click('#accused-position');
      await page.evaluate(() => document.getElementById('category').scrollIntoView({ block: 'start', behavior: 'instant' }));
      await page.screenshot({ path: join(RESULTS, 'web-form-official-360-desa.png') });
      await page.selectOption('#category', 'SAMPAH');
      expect(await page.isChecked('#about-official')).toBe(false);
      expect(await page.isDisabled('#about-official')).toBe(false);
    });

    await step('written-in', async () => {
      await page.check('#about-official');
      await page.selectOption('#accused-position', 'other');
      await page.fill('#accused-other', 'Petugas truk sampah DLH');
      await page.fill('#description', 'Petugas truk sampah minta uang bensin setiap minggu, kalau tidak dibayar sampah tidak diangkut.');
      await page.click('#submit');
      await page.waitForSelector('#done:not([hidden])');
      const trackingNumber = (await page.textContent('#done-tn')) ?? '';
      const [row]: { accused: unknown }[] = await h.db.query(`SELECT accused FROM complaint WHERE tracking_number = $1`, [trackingNumber]);
      expect(row.accused).toEqual({ position: 'Petugas truk sampah DLH' });
      await h.quiet();
      const [routed]: { code: string }[] = await h.db.query(
        `SELECT u.code FROM complaint c JOIN unit u ON u.id = c.current_unit_id WHERE c.tracking_number = $1`,
        [trackingNumber],
      );
      expect(routed.code).toBe('INSP.36.04');
    });
    expect(browser.errors).toEqual([]);
  }, 120_000);
});
