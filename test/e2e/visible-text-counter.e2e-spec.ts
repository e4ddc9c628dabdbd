import { visibleLength } from '@aduan/platform';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Browser, listenOnPort, openBrowser, PHONE, RESULTS, screenshotOnFailure } from '../support/browser';
import { call, complaintBody, Harness, startHarness } from '../support/harness';
import { VISIBLE_LENGTH_CASES } from '../support/visible-text-cases';

// Browser globals as the callbacks of page.evaluate see them; the type-check here has no DOM lib.
declare const document: any;

/**
 * The form's description counter, in Chromium, counts what the server counts: invisible
 * characters are not text, so ten zero-width spaces are 0 and padding cannot reach the minimum.
 * The browser's own Unicode tables are not Node's, so the agreement is checked here, in the
 * browser, for every case the server's definition is tested with.
 */
describe('the form’s counter in Chromium counts visible characters as the server does', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    base = await listenOnPort(h);
    browser = await openBrowser({ viewport: PHONE });
    page = browser.page;
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const counted = async (text: string): Promise<number> => {
    await page.fill('#description', text);
    const shown = (await page.textContent('#description-count')) ?? '';
    return Number(/^([\d.]+) \/ 4\.000/.exec(shown)?.[1]?.replaceAll('.', ''));
  };

  it.each(VISIBLE_LENGTH_CASES)('%s', async (_, text, n) => {
    await screenshotOnFailure(page, 'visible-text', 'case', async () => {
      expect(await counted(text)).toBe(n);
      expect(visibleLength(text)).toBe(n);
    });
  });

  it('shows padding for what it is, refuses it before sending, and the server refuses it too', async () => {
    await screenshotOnFailure(page, 'visible-text', 'padding', async () => {
      const padded = `Jalan${'\u200b'.repeat(20)}`;
      await page.fill('#description', padded);
      expect(await page.textContent('#description-count')).toBe('5 / 4.000 karakter — perlu 5 lagi');
      await page.click('#submit');
      await page.waitForSelector('#description-error:not([hidden])');
      expect(await page.textContent('#description-error')).toBe('Uraian paling sedikit 10 karakter.');
      expect(await page.evaluate(() => document.getElementById('description').getAttribute('aria-invalid'))).toBe('true');
      await page.screenshot({ path: join(RESULTS, 'visible-text-counter.png'), fullPage: true });
      const server = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ description: padded }) });
      expect(server.status).toBe(422);
      expect(server.body.errors).toEqual([{ field: 'description', message: 'must contain at least 10 visible characters' }]);
      expect(browser.errors).toEqual([]);
    });
  });
});
