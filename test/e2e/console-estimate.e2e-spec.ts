import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, Browser, layoutOverflow, listenOnPort, openBrowser, RESULTS, screenshotOnFailure, signIn } from '../support/browser';
import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

/** A kelurahan of Taktakan no other test file writes to: its inbox holds exactly what this file puts there. */
const UNIT = 'KEL.36.73.06.1013';
const OPEN = ['submitted', 'routed', 'in_progress', 'awaiting_info'];

/**
 * The console when the inbox holds more than the API counts (1,000): it says "more than" with the
 * number grouped as Bahasa Indonesia writes it (1.000), numbers the pages without a last one, and
 * still pages forward and back.
 */
describe('the console with more than 1,000 complaints in the inbox', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;
  let lurah: { token: string; username: string };

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    base = await listenOnPort(h);
    const admin = await loginAdmin(h);
    lurah = await officialIn(h, admin, UNIT);
    const [unit]: { id: string }[] = await h.db.query(`SELECT id FROM unit WHERE code = $1`, [UNIT]);
    // A rerun on the same database starts from an empty inbox.
    await h.db.query(`UPDATE complaint SET status = 'closed', current_unit_id = NULL WHERE current_unit_id = $1 AND status = ANY($2)`, [unit.id, OPEN]);
    const tag = String(Math.floor(Math.random() * 900_000) + 100_000);
    await h.db.query(
      `WITH r AS (SELECT gen_random_uuid() AS id, format('ADN-%s-%s', $2::text, lpad(i::text, 6, '0')) AS tn, i FROM generate_series(1, 1003) i),
       c AS (INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code, description,
                                    anonymous, confidential, status, channel, current_unit_id, current_tier, assigned_at, submitted_at, due_at, accused_unit_ids, updated_at)
             SELECT r.id, r.tn, 'x', '36.73', 'SAMPAH', u.area_code, left(u.area_code, 8), 'Uji kotak masuk yang penuh.', true, true, 'routed', 'web',
                    u.id, 'lurah', now() - make_interval(mins => r.i), now() - make_interval(mins => r.i), now() + make_interval(hours => r.i), '{}', now()
               FROM r CROSS JOIN unit u WHERE u.id = $1)
       INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, via)
       SELECT gen_random_uuid(), r.id, $1, 'lurah', gen_random_uuid(), now() - make_interval(mins => r.i), now() + interval '3 days', 'routed' FROM r`,
      [unit.id, tag],
    );
    browser = await openBrowser({ viewport: { width: 1280, height: 800 } });
    page = browser.page;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const inboxShows = (hash: string) => page.waitForSelector(`#inbox-view:not([hidden])[aria-busy="false"][data-shows="${hash}"]`);

  it('says "more than 1,000", numbers pages without a last one, and pages on', async () => {
    const api = await call(h, 'GET', '/api/v1/inbox?page_size=25', { token: lurah.token });
    expect(api.body).toMatchObject({ total: 1000, total_is_estimate: true });

    await screenshotOnFailure(page, 'console-estimate', 'first-page', async () => {
      await signIn(page, { url: `${base}/console`, username: lurah.username });
      await inboxShows('#/');
      expect(await page.textContent('#inbox-status')).toBe('Lebih dari 1.000 pengaduan · halaman 1');
      expect(await layoutOverflow(page, { fit: true })).toEqual([]);
      expect(await page.textContent('#page-info')).toBe('Halaman 1');
      expect(await page.isVisible('#page-next')).toBe(true);
      expect(await page.isVisible('#page-prev')).toBe(false);
      expect(await page.locator('#inbox-rows tr').count()).toBe(25);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'console-estimate-1280.png'), fullPage: true });
    });

    await screenshotOnFailure(page, 'console-estimate', 'next-page', async () => {
      await page.click('#page-next');
      await inboxShows('#/?page=2');
      expect(await page.textContent('#inbox-status')).toBe('Lebih dari 1.000 pengaduan · halaman 2');
      expect(await page.textContent('#page-info')).toBe('Halaman 2');
      expect(await page.isVisible('#page-prev')).toBe(true);
      const second = await call(h, 'GET', '/api/v1/inbox?page_size=25&page=2', { token: lurah.token });
      const shown = await page.locator('#inbox-rows tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-tracking-number')));
      expect(shown).toEqual(second.body.items.map((i: { tracking_number: string }) => i.tracking_number));
      expect(await axeViolations(page)).toEqual([]);
    });
    await screenshotOnFailure(page, 'console-estimate', 'english', async () => {
      await page.click('#lang-switch');
      expect(await page.textContent('#inbox-status')).toBe('More than 1,000 complaints · page 2');
      await page.click('#lang-switch');
    });
    expect(browser.errors).toEqual([]);
  });
});
