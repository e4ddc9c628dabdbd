import { fallbackHolidays, localDate, SlaDeadlinePolicy, workingDaysBetween } from '@aduan/sla';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, Browser, listenOnPort, lowContrast, openBrowser, RESULTS, screenshotOnFailure, signIn as signInOn } from '../support/browser';
import { call, eventually, fileAndRoute, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';
import { TEST_ADMIN } from '../support/test-env';

const TENANT = '36.73';
const PASSWORD = 'kata sandi yang cukup panjang';
type Entry = { date: string; kind: string; name: string };

/**
 * What people see of the holiday calendar, in Chromium: the banner that tells a signed-in admin
 * a year's official table is missing (and goes once it is loaded), and provisional deadlines in
 * the officials' inbox, on the complaint, and on the resident's tracking page.
 */
describe('the holiday calendar in the console and on /lacak', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;
  let admin: string;
  /** Tables this file changes, to put back (null: there was none). */
  const original = new Map<number, Entry[] | null>();
  /** The calendar's version when this file started: every revision after it is this file's. */
  let startSeq = '0';

  beforeAll(async () => {
    h = await startHarness({ env: { SLA_REARM_DELAY_SECONDS: '3' } });
    base = await listenOnPort(h);
    admin = await loginAdmin(h);
    [{ seq: startSeq }] = await h.db.query(`SELECT COALESCE(max(seq), 0) AS seq FROM holiday_revision`);
    browser = await openBrowser({ viewport: { width: 1280, height: 800 } });
    page = browser.page;
  }, 90_000);

  afterAll(async () => {
    await h.db.query(`DELETE FROM sla_policy WHERE tenant_code = $1 AND category_code = 'LAMPU_JALAN_MATI'`, [TENANT]);
    for (const [year, entries] of original) {
      if (entries) await call(h, 'PUT', `/api/v1/admin/holidays/${year}`, { token: admin, body: entries });
      else await call(h, 'DELETE', `/api/v1/admin/holidays/${year}`, { token: admin });
    }
    await eventually(async () => (await h.db.query(`SELECT 1 FROM holiday_revision WHERE seq > $1 AND rearm_status = 'pending'`, [startSeq])).length === 0, 60_000, 'this file’s re-arms');
    await browser?.close();
    await h?.close();
  });

  const step = (name: string, body: () => Promise<void>) => screenshotOnFailure(page, 'calendar', name, body);
  const warnings = async (): Promise<{ year: number; message: string; message_en: string }[]> => (await call(h, 'GET', '/api/v1/admin/holidays', { token: admin })).body.warnings;

  async function signIn(username: string, password: string): Promise<void> {
    await page.goto(`${base}/console`);
    await page.evaluate(() => (globalThis as any).sessionStorage.clear());
    await page.reload();
    await signInOn(page, { username, password, ready: '#inbox-view:not([hidden])[aria-busy="false"]' });
  }

  async function signOut(): Promise<void> {
    await page.click('#logout');
    await page.waitForSelector('#login-view:not([hidden])');
  }

  async function setTable(year: number, entries: Entry[] | null): Promise<void> {
    const current: Entry[] = (await call(h, 'GET', `/api/v1/admin/holidays/${year}`, { token: admin })).body;
    if (!original.has(year)) original.set(year, current.length ? current : null);
    const [{ seq }]: { seq: string }[] = await h.db.query(`SELECT COALESCE(max(seq), 0) AS seq FROM holiday_revision`);
    const res = entries ? await call(h, 'PUT', `/api/v1/admin/holidays/${year}`, { token: admin, body: entries }) : await call(h, 'DELETE', `/api/v1/admin/holidays/${year}`, { token: admin });
    expect([200, 204]).toContain(res.status);
    await eventually(async () => (await h.db.query(`SELECT 1 FROM holiday_revision WHERE seq > $1 AND rearm_status = 'done'`, [seq])).length > 0, 60_000, 're-arm');
  }

  it('shows a signed-in admin which official table is missing, in both languages, and not once it is loaded', async () => {
    let expected = await warnings();
    if (expected.length === 0) {
      // Before 1 October with this year's table loaded nothing is missing: withdraw this year's to see the banner.
      await setTable(Number(localDate(new Date(), 'Asia/Jakarta').slice(0, 4)), null);
      expected = await warnings();
    }
    expect(expected.length).toBeGreaterThan(0);

    await step('banner', async () => {
      await signIn(TEST_ADMIN.username, TEST_ADMIN.password);
      await page.waitForSelector('#calendar-warning[data-checked="true"]:not([hidden])');
      expect(await page.textContent('#calendar-warning-heading')).toContain('Kalender hari libur belum lengkap');
      expect(await page.$$eval('#calendar-warning-list li', (items: any[]) => items.map((li) => li.textContent))).toEqual(expected.map((w) => w.message));
      // A region a screen reader lists by its heading; the ⚠ is decoration, the words carry the meaning.
      const region = page.getByRole('region', { name: /Kalender hari libur belum lengkap/ });
      expect(await region.isVisible()).toBe(true);
      expect(await lowContrast(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'calendar-console-warning.png'), fullPage: true });
      await page.click('#lang-switch');
      await page.waitForFunction(() => (globalThis as any).document.getElementById('calendar-warning-heading')?.textContent.includes('incomplete'));
      expect(await page.$$eval('#calendar-warning-list li', (items: any[]) => items.map((li) => li.textContent))).toEqual(expected.map((w) => w.message_en));
      await page.click('#lang-switch');
    });

    // A handler is not an administrator: no banner.
    const handler = await officialIn(h, admin, 'KEL.36.73.01.1001');
    await step('no-banner-for-handlers', async () => {
      await signOut();
      await signIn(handler.username, PASSWORD);
      await page.waitForSelector('#calendar-warning[data-checked="true"]', { state: 'attached' });
      expect(await page.isHidden('#calendar-warning')).toBe(true);
      await signOut();
    });

    // The admin loads the missing tables (this file's own: no SKB ships for them) and the warning goes.
    for (const w of expected) {
      await setTable(w.year, fallbackHolidays(w.year).map((date) => ({ date, kind: 'libur_nasional', name: `Libur uji ${w.year} (bukan SKB)` })));
    }
    expect(await warnings()).toEqual([]);
    await step('banner-gone', async () => {
      await signIn(TEST_ADMIN.username, TEST_ADMIN.password);
      await page.waitForSelector('#calendar-warning[data-checked="true"]', { state: 'attached' });
      expect(await page.isHidden('#calendar-warning')).toBe(true);
      await signOut();
    });
    expect(browser.errors).toEqual([]);
  });

  it('marks a provisional deadline in the inbox, on the complaint and on the tracking page', async () => {
    // A first response that runs three working days into next year, which has no official table.
    const now = new Date();
    const thisYear = Number(localDate(now, 'Asia/Jakarta').slice(0, 4));
    for (const year of [thisYear + 1]) {
      const current = (await call(h, 'GET', `/api/v1/admin/holidays/${year}`, { token: admin })).body;
      if (current.length) await setTable(year, null);
    }
    const cal = (await h.api.get(SlaDeadlinePolicy).readCalendars(h.db.manager)).forTenant(TENANT);
    const days = workingDaysBetween(now, new Date(`${thisYear}-12-31T16:00:00Z`), cal) + 3;
    expect((await call(h, 'PUT', `/api/v1/admin/sla/LAMPU_JALAN_MATI?tenant=${TENANT}`, { token: admin, body: { first_response: { working_days: days }, resolution: { working_days: 2 } } })).status).toBe(200);
    const { tn, code } = await fileAndRoute(h, { category: 'LAMPU_JALAN_MATI', description: 'Lampu jalan di depan sekolah mati sejak minggu lalu.' });
    const [{ unit }]: { unit: string }[] = await h.db.query(`SELECT u.code AS unit FROM complaint c JOIN unit u ON u.id = c.current_unit_id WHERE c.tracking_number = $1`, [tn]);
    const holder = await officialIn(h, admin, unit);

    await step('inbox', async () => {
      await signIn(holder.username, PASSWORD);
      // The category's list, so other files' complaints in this office's inbox cannot push it off the page.
      await page.evaluate(() => ((globalThis as any).location.hash = '#/?category=LAMPU_JALAN_MATI'));
      await page.waitForSelector('#inbox-view[aria-busy="false"][data-shows="#/?category=LAMPU_JALAN_MATI"]');
      const row = page.locator(`tr[data-tracking-number="${tn}"]`);
      await row.waitFor();
      expect(await row.locator('.provisional-tag').textContent()).toBe('Sementara');
      expect(await page.isVisible('#inbox-provisional')).toBe(true);
      expect(await lowContrast(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'calendar-console-provisional.png'), fullPage: true });
    });
    await step('complaint', async () => {
      await page.click(`tr[data-tracking-number="${tn}"] a`);
      await page.waitForSelector('#complaint-view:not([hidden]) #complaint-body:not([hidden])');
      expect(await page.textContent('#c-facts')).toContain('Sementara');
      expect(await page.textContent('#c-facts .provisional-note')).toContain('belum dimuat');
      await signOut();
    });
    await step('lacak', async () => {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto(`${base}/lacak#${tn}:${code}`);
      await page.waitForSelector('#complaint:not([hidden])');
      expect(await page.textContent('#view-due')).toContain('(sementara)');
      expect(await page.isVisible('#view-provisional-note')).toBe(true);
      expect(await lowContrast(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'calendar-lacak-provisional-360.png'), fullPage: true });
      await page.click('#lang-switch');
      await page.waitForFunction(() => (globalThis as any).document.getElementById('view-due')?.textContent.includes('(provisional)'));
      await page.click('#lang-switch');
      await page.setViewportSize({ width: 1280, height: 800 });
    });
    expect(browser.errors).toEqual([]);
  });
});
