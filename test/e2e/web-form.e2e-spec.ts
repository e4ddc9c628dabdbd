import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { GPS_LATITUDE_BYTES, withJpegMetadata } from '../support/crafted-images';
import { axeViolations, Browser, listenOnPort, lowContrast, openBrowser, PHONE, RESULTS, screenshotOnFailure } from '../support/browser';
import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

// Browser globals as the callbacks of page.evaluate see them; the type-check here has no DOM lib.
declare const document: any;
declare const getComputedStyle: any;
declare const localStorage: any;
declare const performance: any;

const HERE = { latitude: -6.1149, longitude: 106.1503 };
const DESCRIPTION = 'Sampah <b>x</b> menumpuk di depan pasar sejak seminggu, baunya sampai ke rumah warga.';

/**
 * The resident's path in a real browser (Debian's Chromium, driven by playwright-core) on a
 * 360 px phone: file a complaint with a photo, keep the tracking number and access code, open
 * the tracking page, answer the officer's question, and say the problem is not solved.
 */
describe('the web form and the tracking page in Chromium', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;
  const requests: { url: string; referer: string | undefined }[] = [];

  beforeAll(async () => {
    h = await startHarness();
    base = await listenOnPort(h);
    browser = await openBrowser({ viewport: PHONE, isMobile: true, hasTouch: true, permissions: ['geolocation'], geolocation: HERE });
    page = browser.page;
    page.on('request', (request) => {
      void request.allHeaders().then((headers) => requests.push({ url: request.url(), referer: headers.referer }));
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const step = (name: string, body: () => Promise<void>) => screenshotOnFailure(page, 'web-form', name, body);

  async function ready(): Promise<void> {
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  }

  /** A real JPEG, drawn by Chromium's canvas, with EXIF (and GPS), XMP, IPTC and a comment put in. */
  async function phonePhoto(): Promise<Buffer> {
    const dataUrl = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 48;
      const g = canvas.getContext('2d');
      g.fillStyle = '#2a7';
      g.fillRect(0, 0, 64, 48);
      g.fillStyle = '#c33';
      g.fillRect(8, 8, 24, 24);
      return canvas.toDataURL('image/jpeg', 0.9);
    });
    // Orientation 6 (turned 90°): kept through the stripping, so the browser shows it 48 wide.
    return withJpegMetadata(Buffer.from(dataUrl.split(',')[1], 'base64'), 6);
  }

  it('files a complaint with a photo, then follows, answers and reopens it on the tracking page', async () => {
    let trackingNumber = '';
    let accessCode = '';

    await step('open', async () => {
      const response = await page.goto(`${base}/`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(response?.headers()['referrer-policy']).toBe('no-referrer');
      await ready();
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(await page.textContent('h1')).toBe('Sampaikan pengaduan');
      // Nothing wider than the phone: no sideways scrolling at 360 px.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: join(RESULTS, 'web-form-360.png'), fullPage: true });

      const transfer = await page.evaluate(() => {
        const entries: any[] = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
        return entries.map((e) => ({ name: new URL(e.name).pathname, transfer: e.transferSize, decoded: e.decodedBodySize }));
      });
      const total = transfer.reduce((sum, e) => sum + e.transfer, 0);
      writeFileSync(join(RESULTS, 'web-form-transfer.json'), JSON.stringify({ total_transfer_bytes: total, entries: transfer }, null, 2));
      expect(transfer.map((e) => e.name)).toEqual(expect.arrayContaining(['/', '/assets/aduan.css', '/assets/form.js', '/assets/common.js', '/assets/strings.js', '/api/v1/tenants', '/api/v1/categories']));
      expect(total).toBeLessThan(100 * 1024);
    });

    await step('labels-and-keyboard', async () => {
      const unlabelled = await page.evaluate(() =>
        ([...document.querySelectorAll('input, select, textarea')] as any[])
          .filter((e) => e.labels?.length === 0 && !e.getAttribute('aria-labelledby'))
          .map((e) => e.id),
      );
      expect(unlabelled).toEqual([]);
      expect(await lowContrast(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('lang-switch');
      // The focus ring is visible (an outline, not the browser default none).
      expect(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)).toBe('solid');
    });

    await step('client-checks', async () => {
      await page.click('#submit');
      await page.waitForSelector('#form-errors:not([hidden])');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-errors');
      expect(await page.textContent('#tenant-error')).toBe('Pilih kota/kabupaten.');
      expect(await page.getAttribute('#tenant', 'aria-invalid')).toBe('true');
      expect(await page.textContent('#category-error')).toBe('Pilih jenis masalah.');
      // Counted as the server counts: visible characters of the trimmed text (five emoji are five).
      await page.fill('#description', '  😀😀😀😀😀  ');
      expect(await page.textContent('#description-count')).toBe('5 / 4.000 karakter — perlu 5 lagi');
      // Numbers as Bahasa Indonesia writes them: a thousand is "1.000".
      await page.fill('#description', 'a'.repeat(4001));
      expect(await page.textContent('#description-count')).toBe('4.001 / 4.000 karakter — kelebihan 1');
    });

    await step('pickers', async () => {
      await page.selectOption('#tenant', '36.73');
      await page.waitForSelector('#kecamatan:not([disabled]) option[value="36.73.01"]', { state: 'attached' });
      await page.selectOption('#kecamatan', '36.73.01');
      await page.waitForSelector('#kelurahan:not([disabled]) option[value="36.73.01.1001"]', { state: 'attached' });
      await page.selectOption('#kelurahan', '36.73.01.1001');

      // A complaint about an official's conduct is always anonim and rahasia, and the form says so.
      await page.uncheck('#confidential');
      await page.selectOption('#category', 'PUNGLI');
      expect(await page.isVisible('#official-notice')).toBe(true);
      expect(await page.isChecked('#anonymous')).toBe(true);
      expect(await page.isChecked('#confidential')).toBe(true);
      expect(await page.isDisabled('#anonymous')).toBe(true);
      expect(await page.isDisabled('#confidential')).toBe(true);
      await page.selectOption('#category', 'SAMPAH');
      expect(await page.isVisible('#official-notice')).toBe(false);
      expect(await page.isDisabled('#confidential')).toBe(false);
      expect(await page.isChecked('#confidential')).toBe(false);
      await page.check('#confidential');
      expect(await page.textContent('#category-description')).toMatch(/\S{10,}/);
    });

    await step('fields', async () => {
      await page.fill('#description', DESCRIPTION);
      expect(await page.textContent('#description-count')).toBe(`${[...DESCRIPTION].length} / 4.000 karakter`);
      await page.fill('#address', 'Depan Pasar Rau');
      await page.click('#location-use');
      await page.waitForSelector('#location-clear:not([hidden])');
      expect(await page.textContent('#location-value')).toContain('-6.114900, 106.150300');
      await page.click('#location-clear');
      expect(await page.textContent('#location-value')).toBe('');
      await page.click('#location-use');
      await page.waitForSelector('#location-clear:not([hidden])');

      const photo = await phonePhoto();
      expect(photo.includes(GPS_LATITUDE_BYTES)).toBe(true);
      const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1');
      await page.setInputFiles('#photos', [
        { name: 'jalan.jpg', mimeType: 'image/jpeg', buffer: photo },
        { name: 'catatan.txt', mimeType: 'text/plain', buffer: Buffer.from('bukan foto') },
      ]);
      expect(await page.textContent('#photos-error')).toBe('catatan.txt bukan foto JPEG, PNG atau WebP.');
      // Named and declared as a JPEG, but the bytes are a GIF: only the server can tell.
      await page.setInputFiles('#photos', [{ name: 'palsu.jpg', mimeType: 'image/jpeg', buffer: gif }]);
      expect(await page.locator('#photo-list li').count()).toBe(2);

      await page.fill('#name', 'Siti <i>Aminah</i>');
      await page.fill('#phone', '0812 3456 7890');
      // The browser accepts this address; the server does not, and says so next to the field.
      await page.fill('#email', 'siti@desa');
      await page.click('#submit');
      await page.waitForSelector('#email-error:not([hidden])');
      expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');
      expect(await page.isHidden('#done')).toBe(true);
      await page.fill('#email', 'siti@example.id');
    });

    await step('submit', async () => {
      await page.click('#submit');
      await page.waitForSelector('#done:not([hidden])');
      trackingNumber = (await page.textContent('#done-tn')) ?? '';
      accessCode = (await page.textContent('#done-code')) ?? '';
      expect(trackingNumber).toMatch(/^ADN-\d{6}-[0-9A-Z]{6}$/);
      expect(accessCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(await page.isHidden('#complaint-form')).toBe(true);
      // The resident's words come back as text: the <b> is shown, not obeyed.
      expect(await page.textContent('#done-description')).toBe(DESCRIPTION);
      expect(await page.locator('#done-description b').count()).toBe(0);
      expect(await page.innerHTML('#done-description')).toContain('&lt;b&gt;x&lt;/b&gt;');
      const href = (await page.getAttribute('#done-link', 'href')) ?? '';
      expect(href).toBe(`/lacak#${trackingNumber}:${accessCode}`);

      await page.waitForSelector('#photo-upload-list li.ok');
      await page.waitForSelector('#photo-upload-list li.error-text');
      expect(await page.textContent('#photo-upload-list li.ok')).toBe('jalan.jpg: tersimpan.');
      expect(await page.textContent('#photo-upload-list li.error-text')).toMatch(/^palsu\.jpg: tidak tersimpan — /);
      await page.screenshot({ path: join(RESULTS, 'web-form-360-done.png'), fullPage: true });
      expect(await lowContrast(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
    });

    await step('stored', async () => {
      const [row]: { lat: number; long: number; anonymous: boolean; confidential: boolean; description: string }[] = await h.db.query(
        `SELECT lat, long, anonymous, confidential, description FROM complaint WHERE tracking_number = $1`,
        [trackingNumber],
      );
      expect(row).toEqual({ lat: HERE.latitude, long: HERE.longitude, anonymous: true, confidential: true, description: DESCRIPTION });
      const photos: { media_type: string; bytes: Buffer }[] = await h.db.query(
        `SELECT a.media_type, a.bytes FROM attachment a JOIN complaint c ON c.id = a.complaint_id WHERE c.tracking_number = $1`,
        [trackingNumber],
      );
      expect(photos).toHaveLength(1);
      expect(photos[0].media_type).toBe('image/jpeg');
      expect(photos[0].bytes.includes(GPS_LATITUDE_BYTES)).toBe(false);
      expect(photos[0].bytes.includes(Buffer.from('GPS-TEST-PHONE'))).toBe(false);
    });

    await step('english', async () => {
      await page.click('#lang-switch');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.textContent('#done-heading')).toBe('We have received your complaint');
      expect(await page.textContent('#lang-switch')).toBe('Bahasa Indonesia');
      expect(await page.evaluate(() => localStorage.getItem('aduan.lang'))).toBe('en');
    });

    const admin = await loginAdmin(h);
    const lurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
    await h.quiet();

    await step('tracking', async () => {
      await page.click('#done-link');
      await page.waitForURL(`${base}/lacak#${trackingNumber}:${accessCode}`);
      await page.waitForSelector('#complaint:not([hidden])');
      // The language choice persisted.
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.textContent('#view-status')).toBe('Passed to an office');
      expect(await page.textContent('#view-handler')).toBe('Kelurahan Serang');
      expect(await page.textContent('#view-due')).toMatch(/\d{4}/);
      expect(await page.textContent('#view-kelurahan')).toBe('Serang');
      expect(await page.locator('#view-timeline li').count()).toBeGreaterThanOrEqual(3);
      // The stored photo, stripped, still decodes in the browser, the right way up (64×48 turned 90°).
      await page.waitForSelector('#photo-thumbs img');
      expect(await page.$eval('#photo-thumbs img', (img: any) => img.decode().then(() => img.naturalWidth))).toBe(48);
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.getElementById('view-status')?.textContent === 'Diteruskan ke petugas');
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      await page.screenshot({ path: join(RESULTS, 'web-tracking-360.png'), fullPage: true });
    });

    await step('question-and-reply', async () => {
      const question = 'Di sisi jalan yang mana? <script>alert(1)</script>';
      const asked = await call(h, 'POST', `/api/v1/complaints/${trackingNumber}/request-info`, { token: lurah.token, body: { question } });
      expect(asked.status).toBe(200);
      await page.click('#refresh');
      await page.waitForSelector('#question-panel:not([hidden])');
      expect(await page.textContent('#view-status')).toBe('Menunggu jawaban Anda');
      expect(await page.textContent('#question-text')).toBe(question);
      expect(await page.locator('#question-text script, #view-timeline script').count()).toBe(0);
      expect(await page.textContent('#reply-heading')).toBe('Jawab pertanyaan petugas');
      expect(await lowContrast(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'web-tracking-question-360.png'), fullPage: true });
      await page.fill('#reply-message', 'Sisi utara, dekat gerbang pasar.');
      await page.click('#reply-form button[type=submit]');
      await page.waitForFunction(() => document.getElementById('reply-status')?.textContent === 'Terkirim.');
      expect(await page.isHidden('#question-panel')).toBe(true);
      expect(await page.textContent('#view-timeline')).toContain('Sisi utara, dekat gerbang pasar.');
      const official = await call(h, 'GET', `/api/v1/complaints/${trackingNumber}`, { token: lurah.token });
      expect(official.body.status).not.toBe('awaiting_info');
      expect(official.body.timeline.map((i: { message: string }) => i.message)).toContain('Sisi utara, dekat gerbang pasar.');
    });

    await step('feedback', async () => {
      const resolved = await call(h, 'POST', `/api/v1/complaints/${trackingNumber}/resolve`, { token: lurah.token, body: { resolution: 'Sampah sudah diangkut.' } });
      expect(resolved.status).toBe(200);
      await page.click('#refresh');
      await page.waitForSelector('#feedback-form:not([hidden])');
      expect(await page.isHidden('#reply-form')).toBe(true);
      await page.check('#satisfied-no');
      await page.check('#rating-2');
      await page.fill('#feedback-comment', 'Masih ada sisa sampah di selokan.');
      await page.click('#feedback-form button[type=submit]');
      await page.waitForFunction(() => document.getElementById('feedback-status')?.textContent === 'Terima kasih atas tanggapan Anda.');
      expect(await page.isHidden('#feedback-form')).toBe(true);
      expect(await page.textContent('#view-status')).not.toMatch(/Selesai|Ditutup/);
      const official = await call(h, 'GET', `/api/v1/complaints/${trackingNumber}`, { token: lurah.token });
      expect(['in_progress', 'routed']).toContain(official.body.status);
      expect(official.body.timeline.map((i: { type: string }) => i.type)).toContain('reopened');
    });

    await step('privacy', async () => {
      // The access code never left the browser in a URL, and no request carried a Referer.
      expect(requests.length).toBeGreaterThan(10);
      expect(requests.filter((r) => r.url.includes(accessCode))).toEqual([]);
      expect(requests.filter((r) => r.referer)).toEqual([]);
      // No script errors and no CSP violations on either page.
      expect(browser.errors).toEqual([]);
    });
  }, 180_000);

  it('opens the tracking page from the form fields when there is no fragment, and refuses a wrong code', async () => {
    await step('lookup', async () => {
      await page.goto(`${base}/lacak`);
      await ready();
      await page.fill('#tracking-number', 'ADN-000101-AAAAAA');
      await page.fill('#access-code', 'AAAA-BBBB-CCCC');
      await page.click('#lookup-form button[type=submit]');
      await page.waitForFunction(() => /tidak cocok|do not match/.test(document.getElementById('lookup-status')?.textContent ?? ''));
      expect(await page.isHidden('#complaint')).toBe(true);
      expect(browser.errors).toEqual([]);
    });
  }, 60_000);

  it('the accessibility check every step runs finds a label taken away and a language dropped', async () => {
    await page.goto(`${base}/`);
    await ready();
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(() => {
      document.querySelector('label[for="description"]').remove();
      document.documentElement.removeAttribute('lang');
    });
    const found = await axeViolations(page);
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/^label: #description /), expect.stringMatching(/^html-has-lang: html /)]));
  }, 60_000);
});
