import { join } from 'node:path';
import { OFFICIAL_ACTIONS } from '@aduan/complaints';
import type { Page } from 'playwright-core';
import { PAGE_CSP } from '../../apps/api/src/web/web.controller';
import { pngWithMetadata } from '../support/crafted-images';
import { axeViolations, Browser, collectPageErrors, layoutOverflow, listenOnPort, lowContrast as contrastFailures, OFFICIAL_PASSWORD as PASSWORD, openBrowser, PHONE, RESULTS, screenshotOnFailure, signIn as signInOn, TABLET } from '../support/browser';
import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

// Browser globals as the callbacks of page.evaluate see them; the type-check here has no DOM lib.
declare const document: any;
declare const localStorage: any;
declare const sessionStorage: any;
declare const window: any;
declare const Event: any;
declare const location: any;
declare const getComputedStyle: any;

const { STRINGS } = jest.requireActual<{ STRINGS: Record<'id' | 'en', Record<string, string>> }>('../../apps/api/src/web/public/strings.js');

const LAPTOP = { width: 1280, height: 800 };
const SESSION_KEY = 'aduan.console.session';
const UNIT = 'KEL.36.73.01.1001';

const HOSTILE = 'Lampu jalan <img src=x onerror="window.__pwned=1"> <b>mati</b> sejak tiga hari di gang masjid, gelap sekali.';
const QUESTION = 'Di gang mana tepatnya? <script>window.__pwned=2</script>';
const REPLY = 'Gang Melati, sebelah musala <i>Al-Ikhlas</i>.';
const RESOLUTION = 'Lampu sudah diganti oleh petugas kelurahan pada hari ini.';

type Summary = { open: number; new: number; overdue: number };

/**
 * The officials' console in a real browser (Debian's Chromium, driven by playwright-core) at
 * laptop size: a lurah signs in, finds the overdue complaint first and marked, asks the
 * resident, reads the reply and resolves it; plus conflicts, forwarding, another kelurahan's
 * lurah, the session's end, and the badge that refreshes itself.
 */
describe('the officials’ console in Chromium', () => {
  let h: Harness;
  let base: string;
  let browser: Browser;
  let page: Page;
  let lurah: { token: string; username: string };
  let neighbour: { token: string; username: string };
  const filed: Record<'overdue' | 'named' | 'order', { tn: string; code: string }> = {} as never;

  beforeAll(async () => {
    h = await startHarness();
    base = await listenOnPort(h);

    const admin = await loginAdmin(h);
    lurah = await officialIn(h, admin, UNIT);
    neighbour = await officialIn(h, admin, 'KEL.36.73.01.1002');
    // Categories the lurah handles by default, with no SLA drill left on them by other test files.
    const file = async (body: Record<string, unknown>) => {
      const res = await call(h, 'POST', '/api/v1/complaints', { body: { kelurahan: '36.73.01.1001', ...body } });
      if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { tn: res.body.tracking_number as string, code: res.body.access_code as string };
    };
    filed.overdue = await file({ category: 'LAINNYA', description: HOSTILE });
    filed.named = await file({
      category: 'BANTUAN_SOSIAL',
      description: 'Bantuan sembako bulan ini belum sampai ke keluarga kami, padahal nama kami terdaftar.',
      address: 'Jl. Melati No. 5 <u>RT 02</u>',
      lat: -6.1149,
      long: 106.1503,
      anonymous: false,
      reporter: { name: 'Budi <i>Santoso</i>', phone: '0812 3456 7890' },
    });
    filed.order = await file({ category: 'SAMPAH', description: 'Sampah rumah tangga dibuang ke selokan dan menyumbat aliran air setiap malam.' });
    // A busy inbox: more than one page of the console's 25 whatever else the database holds.
    for (let i = 0; i < 25; i += 1) await file({ category: 'LAINNYA', description: `Saluran air tersumbat di gang nomor ${i + 1}, air meluap ke jalan.` });
    await h.quiet();
    for (const { tn } of Object.values(filed)) {
      const view = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah.token });
      if (view.body?.handler?.code !== UNIT || view.body?.status !== 'routed') {
        throw new Error(`${tn} is not waiting at ${UNIT} (${view.status} ${JSON.stringify(view.body?.handler)} ${view.body?.status}): has a routing rule or SLA drill for its category been left in the test database?`);
      }
    }
    // Late only after it was assigned: the deadline the inbox sorts by and the assignment's own.
    const [{ id }]: { id: string }[] = await h.db.query(`UPDATE complaint SET due_at = now() - interval '2 hours' WHERE tracking_number = $1 RETURNING id`, [filed.overdue.tn]);
    await h.db.query(`UPDATE assignment SET first_response_due_at = now() - interval '2 hours' WHERE complaint_id = $1 AND ended_at IS NULL`, [id]);
    const photo = await h.api.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: `/api/v1/complaints/${filed.overdue.tn}/photos`,
      headers: { 'x-access-code': filed.overdue.code, 'content-type': 'image/png' },
      payload: pngWithMetadata(),
    });
    if (photo.statusCode !== 201) throw new Error(`photo upload failed: ${photo.statusCode} ${photo.body}`);
    await h.quiet();

    browser = await openBrowser({ viewport: LAPTOP });
    page = browser.page;
  }, 90_000);

  const watch = (tab: Page) => collectPageErrors(tab, browser.errors);
  const step = (name: string, body: () => Promise<void>, tab: Page = page) => screenshotOnFailure(tab, 'console', name, body);
  const lowContrast = (tab: Page = page) => contrastFailures(tab);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Form controls without a label the browser can name them by. */
  async function unlabelled(tab: Page = page): Promise<string[]> {
    return tab.evaluate(() =>
      ([...document.querySelectorAll('input, select, textarea')] as any[])
        .filter((e) => e.labels?.length === 0 && !e.getAttribute('aria-labelledby') && !e.getAttribute('aria-label'))
        .map((e) => e.id),
    );
  }

  const signIn = (tab: Page, username: string, password = PASSWORD) => signInOn(tab, { username, password });

  /** Waits until the inbox shows the list for this route (`#/`, `#/?status=…`). */
  async function inboxReady(tab: Page = page, shows = '#/'): Promise<void> {
    await tab.waitForSelector(`#inbox-view:not([hidden])[aria-busy="false"][data-shows="${shows}"]`);
  }

  async function complaintReady(tab: Page = page): Promise<void> {
    await tab.waitForSelector('#complaint-view:not([hidden]) #complaint-body:not([hidden])');
  }

  async function badge(tab: Page = page): Promise<{ new: number; overdue: number }> {
    return { new: Number(await tab.textContent('#badge-new')), overdue: Number(await tab.textContent('#badge-overdue')) };
  }

  async function summary(token = lurah.token): Promise<Summary> {
    const res = await call(h, 'GET', '/api/v1/inbox/summary', { token });
    expect(res.status).toBe(200);
    return res.body;
  }

  async function statusOf(tn: string): Promise<string> {
    return (await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah.token })).body.status;
  }

  /**
   * The badge shows the API's summary. Other work may change the counts in between (timers), so
   * a mismatch asks the page to reload (which refreshes the badge too) and looks again.
   */
  async function expectBadgeMatchesSummary(tab: Page = page): Promise<void> {
    let last: unknown;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const [shown, api] = [await badge(tab), await summary()];
      if (shown.new === api.new && shown.overdue === api.overdue) return;
      last = { shown, api };
      await tab.click((await tab.isVisible('#inbox-view')) ? '#inbox-refresh' : '#complaint-refresh');
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`badge does not match /api/v1/inbox/summary: ${JSON.stringify(last)}`);
  }

  it('serves /console like the resident pages: strict CSP, no Referer, every text in both languages', async () => {
    const res = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/console', headers: { 'accept-encoding': 'br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-encoding']).toBe('br');
    const plain = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/console' });
    expect(plain.body).toMatch(/href="\/assets\/console\.css\?v=[0-9a-f]{12}"/);
    expect(plain.body).toMatch(/src="\/assets\/console\.js\?v=[0-9a-f]{12}"/);
    expect(plain.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=/i);

    // Keys the console builds at run time, which the static scan of the pages cannot see.
    const dynamic = [
      ...['submitted', 'routed', 'in_progress', 'awaiting_info', 'resolved', 'closed', 'rejected'].map((s) => `officer_status.${s}`),
      // Every official action needs its button's words: a new name in OFFICIAL_ACTION_FROM fails here until strings.js has them.
      ...OFFICIAL_ACTIONS.map((a) => `action.${a.replace('-', '_')}`),
      ...['kelurahan', 'kecamatan', 'opd', 'inspektorat'].map((u) => `unit_type.${u}`),
      ...['submitted', 'routed', 'assigned', 'acknowledged', 'info_requested', 'question', 'resident_replied', 'reply', 'forwarded', 'returned', 'escalated',
        'deadline_missed', 'deadline_moved', 'deadline_recounted', 'resolved', 'resolution', 'rejected', 'rejection', 'reopened', 'closed', 'feedback', 'note', 'photo_added', 'reporter_revealed', 'reporter_erased'].map((e) => `event.${e}`),
    ];
    for (const key of dynamic) {
      expect([key, typeof STRINGS.id[key], typeof STRINGS.en[key]]).toEqual([key, 'string', 'string']);
    }
  });

  it('a lurah signs in, opens the overdue complaint first, asks the resident, reads the reply and resolves it', async () => {
    const { overdue, named, order } = filed;

    await step('login', async () => {
      const response = await page.goto(`${base}/console`);
      expect(response?.status()).toBe(200);
      await page.waitForSelector('#login-view:not([hidden])');
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(await page.textContent('#login-heading')).toBe('Masuk');
      expect(await unlabelled()).toEqual([]);
      expect(await lowContrast()).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
      // The password box is drawn like the name box above it (aduan.css once styled text, tel and email only).
      const look = (id: string) =>
        page.evaluate((el: string) => {
          const style = getComputedStyle(document.getElementById(el));
          return ['width', 'minHeight', 'borderTopWidth', 'borderTopStyle', 'borderTopColor', 'padding', 'fontSize', 'backgroundColor'].map((k) => `${k}=${style[k]}`);
        }, id);
      expect(await look('password')).toEqual(await look('username'));

      await signIn(page, lurah.username, 'bukan kata sandinya');
      await page.waitForSelector('#password-error:not([hidden])');
      expect(await page.textContent('#password-error')).toBe('Nama pengguna atau kata sandi salah.');
      expect(await page.getAttribute('#password', 'aria-invalid')).toBe('true');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'console-login-error-1280.png') });

      await page.fill('#password', PASSWORD);
      await page.keyboard.press('Enter');
      await inboxReady();
      // Tokens live in this tab's sessionStorage, never in localStorage.
      const stored = await page.evaluate((key: string) => ({ session: sessionStorage.getItem(key), local: JSON.stringify({ ...localStorage }) }), SESSION_KEY);
      const session = JSON.parse(stored.session);
      expect(session.access_token).toMatch(/\S{20,}/);
      expect(session.refresh_token).toMatch(/\S{20,}/);
      expect(session.official.unit).toBe(UNIT);
      expect(stored.local).not.toContain(session.access_token);
      expect(stored.local).not.toContain(session.refresh_token);
      await page.waitForFunction(() => /Kelurahan Serang/.test(document.getElementById('who')?.textContent ?? ''));
      expect(await page.textContent('#inbox-unit')).toBe('Pengaduan yang dipegang unit Kelurahan Serang, batas waktu terdekat di atas.');
    });

    await step('inbox', async () => {
      const rows = await page.$$eval('#inbox-rows tr', (trs: any[]) =>
        trs.map((tr) => ({ tn: tr.dataset.trackingNumber, overdue: tr.classList.contains('overdue'), text: tr.textContent })),
      );
      const api = await call(h, 'GET', '/api/v1/inbox?page_size=25', { token: lurah.token });
      // The API's order (nearest deadline first), and the late one, two hours past, on top.
      expect(rows).toHaveLength(25);
      expect(rows.map((r) => r.tn)).toEqual(api.body.items.map((i: { tracking_number: string }) => i.tracking_number));
      expect(rows[0].tn).toBe(overdue.tn);
      expect(rows[0].overdue).toBe(true);
      // Marked in words and with a sign, not by colour alone.
      expect(rows[0].text).toContain('⚠ Terlambat');
      expect(rows[0].text).toMatch(/2 jam yang lalu/);
      expect(rows[0].text).toContain('Lainnya');
      expect(rows[0].text).toContain('Serang');
      expect(rows[0].text).toContain('Baru — belum ditanggapi');
      for (const row of rows.filter((r) => !r.overdue)) expect(row.text).not.toContain('Terlambat');
      const pages = Math.ceil(api.body.total / 25);
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(await page.textContent('#inbox-status')).toBe(`${api.body.total} pengaduan · halaman 1 dari ${pages}`);

      await expectBadgeMatchesSummary();
      expect((await badge()).overdue).toBeGreaterThanOrEqual(1);
      expect(await page.getAttribute('#badge-overdue-link', 'class')).toContain('hot');

      expect(await unlabelled()).toEqual([]);
      expect(await lowContrast()).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(LAPTOP.width);
      await page.screenshot({ path: join(RESULTS, 'console-inbox-1280.png'), fullPage: true });
    });

    await step('paging', async () => {
      expect(await page.isHidden('#page-prev')).toBe(true);
      await page.click('#page-next');
      await inboxReady(page, '#/?page=2');
      const api = await call(h, 'GET', '/api/v1/inbox?page_size=25&page=2', { token: lurah.token });
      const shown = await page.$$eval('#inbox-rows tr', (trs: any[]) => trs.map((tr) => tr.dataset.trackingNumber));
      expect(shown).toEqual(api.body.items.map((i: { tracking_number: string }) => i.tracking_number));
      expect(await page.isVisible('#page-prev')).toBe(true);
      await page.click('#page-prev');
      await inboxReady(page, '#/');
    });

    await step('filters', async () => {
      const rowsNow = () =>
        page.$$eval('#inbox-rows tr', (trs: any[]) => trs.map((tr) => ({ tn: tr.dataset.trackingNumber, overdue: tr.classList.contains('overdue'), text: tr.textContent })));
      await page.selectOption('#filter-category', 'BANTUAN_SOSIAL');
      await inboxReady(page, '#/?category=BANTUAN_SOSIAL');
      let rows = await rowsNow();
      expect(rows.find((r) => r.tn === named.tn)).toMatchObject({ overdue: false });
      expect(rows.map((r) => r.tn)).not.toContain(overdue.tn);
      expect(rows.map((r) => r.tn)).not.toContain(order.tn);
      expect(rows.every((r) => r.text.includes('Bantuan sosial'))).toBe(true);

      await page.click('#filter-reset');
      await inboxReady(page, '#/');
      await page.check('#filter-overdue');
      await inboxReady(page, '#/?overdue=true');
      rows = await rowsNow();
      expect(rows[0].tn).toBe(overdue.tn);
      expect(rows.map((r) => r.tn)).not.toContain(named.tn);
      expect(rows.every((r) => r.overdue && r.text.includes('Terlambat'))).toBe(true);

      await page.selectOption('#filter-status', 'in_progress');
      await inboxReady(page, '#/?status=in_progress&overdue=true');
      rows = await rowsNow();
      expect(rows.every((r) => r.overdue && r.text.includes('Sedang ditangani'))).toBe(true);
      expect(rows.map((r) => r.tn)).not.toContain(overdue.tn);
      // Complaints about an official's conduct never reach a lurah: an empty list, said in words.
      await page.selectOption('#filter-category', 'PUNGLI');
      await inboxReady(page, '#/?status=in_progress&category=PUNGLI&overdue=true');
      expect(await page.isVisible('#inbox-empty')).toBe(true);
      expect(await page.isHidden('#inbox-table')).toBe(true);
      expect(await page.textContent('#inbox-empty')).toBe('Tidak ada pengaduan yang cocok.');
      // The back button walks back through the filters.
      await page.goBack();
      await inboxReady(page, '#/?status=in_progress&overdue=true');
      expect(await page.inputValue('#filter-category')).toBe('');
      await page.click('#filter-reset');
      await inboxReady(page, '#/');
    });

    await step('open-by-keyboard', async () => {
      await page.focus(`#inbox-rows a[href="#/pengaduan/${overdue.tn}"]`);
      await page.keyboard.press('Enter');
      await complaintReady();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('complaint-heading');
      expect(await page.textContent('#c-tn')).toBe(overdue.tn);
      expect(await page.textContent('#c-status')).toBe('Baru — belum ditanggapi');
      expect(await page.isVisible('#c-overdue')).toBe(true);
      expect(await page.textContent('#c-overdue')).toContain('Terlambat');
      // The resident's words come back as text: no element was made of them, nothing ran.
      expect(await page.textContent('#c-description')).toBe(HOSTILE);
      expect(await page.locator('#c-description *').count()).toBe(0);
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      expect(await page.isHidden('#c-readonly')).toBe(true);
      // Every action a routed complaint allows.
      for (const action of ['acknowledge', 'request-info', 'forward', 'return', 'resolve', 'reject']) {
        expect([action, await page.isVisible(`#action-${action}`)]).toEqual([action, true]);
      }
      expect(await page.textContent('#c-timeline')).toContain('Masuk kotak masuk');
      // The resident's photo, fetched with the bearer token, decodes in the browser (2×2 PNG).
      await page.waitForSelector('#c-photos img');
      expect(await page.$eval('#c-photos img', (img: any) => img.decode().then(() => img.naturalWidth))).toBe(2);
      expect(await page.getAttribute('#c-photos img', 'alt')).toBe('Foto 1 dari warga');
      expect(await unlabelled()).toEqual([]);
      expect(await lowContrast()).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(LAPTOP.width);
      await page.screenshot({ path: join(RESULTS, 'console-complaint-1280.png'), fullPage: true });
    });

    await step('reasons-required', async () => {
      await page.click('#action-forward');
      expect(await page.getAttribute('#action-forward', 'aria-expanded')).toBe('true');
      await page.waitForSelector('#fw-unit optgroup', { state: 'attached' });
      const groups = await page.$$eval('#fw-unit optgroup', (gs: any[]) => gs.map((g) => g.label));
      expect(groups).toEqual(expect.arrayContaining(['Kelurahan/desa', 'Kecamatan', 'OPD (dinas, badan, sekretariat)', 'Inspektorat']));
      const units = await page.$$eval('#fw-unit option', (os: any[]) => os.map((o) => o.value));
      expect(units).toContain('KEC.36.73.01');
      expect(units).toContain('OPD.36.73.PUPR');
      expect(units).not.toContain(UNIT);
      await page.click('#form-forward button[type=submit]');
      expect(await page.textContent('#fw-unit-error')).toBe('Pilih unit tujuan.');
      expect(await page.textContent('#fw-reason-error')).toBe('Tulis paling sedikit 5 karakter.');
      expect(await page.getAttribute('#fw-unit', 'aria-invalid')).toBe('true');
      expect(await axeViolations(page)).toEqual([]);
      await page.click('#form-forward [data-cancel]');
      expect(await page.isHidden('#form-forward')).toBe(true);

      await page.click('#action-reject');
      expect(await page.isHidden('#rj-duplicate-field')).toBe(true);
      await page.check('#rj-reason-duplicate');
      expect(await page.isVisible('#rj-duplicate-of')).toBe(true);
      await page.fill('#rj-note', 'Sudah dilaporkan sebelumnya.');
      await page.click('#form-reject button[type=submit]');
      expect(await page.textContent('#rj-duplicate-of-error')).toContain('nomor pengaduan yang asli');
      expect(await lowContrast()).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'console-reject-form-1280.png') });
      await page.check('#rj-reason-invalid');
      expect(await page.isHidden('#rj-duplicate-field')).toBe(true);
      await page.click('#form-reject [data-cancel]');
      expect(await statusOf(overdue.tn)).toBe('routed');
    });

    await step('ask', async () => {
      // By keyboard: the button opens its form and puts the focus in the question.
      await page.focus('#action-request-info');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('ri-question');
      await page.keyboard.type(QUESTION);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('action-status')?.textContent !== 'Menyimpan…');
      expect(await page.textContent('#action-status')).toBe('Tersimpan: Tanya warga.');
      await page.waitForFunction(() => document.getElementById('c-status')?.textContent === 'Menunggu jawaban warga');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('action-status');
    });

    await step('asked', async () => {
      expect(await statusOf(overdue.tn)).toBe('awaiting_info');
      // Only a rejection fits while the resident is asked; the deadline stands still, so it is no longer late.
      expect(await page.isVisible('#action-reject')).toBe(true);
      for (const action of ['acknowledge', 'request-info', 'forward', 'return', 'resolve']) {
        expect([action, await page.isVisible(`#action-${action}`)]).toEqual([action, false]);
      }
      expect(await page.isHidden('#c-overdue')).toBe(true);
      expect(await page.locator('#c-timeline li[data-type="question"]').count()).toBe(1);
      // The event and the question it carries show as one entry.
      expect(await page.locator('#c-timeline li[data-type="info_requested"]').count()).toBe(0);
      const item = (await call(h, 'GET', '/api/v1/inbox?status=awaiting_info&page_size=200', { token: lurah.token })).body.items.find(
        (i: { tracking_number: string }) => i.tracking_number === overdue.tn,
      );
      expect(item).toMatchObject({ status: 'awaiting_info', overdue: false });
      await expectBadgeMatchesSummary();
    });

    await step('question-as-text', async () => {
      const view = await call(h, 'GET', `/api/v1/complaints/${overdue.tn}`, { token: lurah.token });
      expect(view.body.timeline.filter((i: { type: string }) => i.type === 'question').map((i: { message: string }) => i.message)).toEqual([QUESTION]);
      expect(await page.textContent('#c-timeline li[data-type="question"] p')).toBe(QUESTION);
      expect(await page.locator('#c-timeline script').count()).toBe(0);
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    });

    await step('reply', async () => {
      const replied = await call(h, 'POST', `/api/v1/complaints/${overdue.tn}/replies`, { headers: { 'x-access-code': overdue.code }, body: { message: REPLY } });
      expect(replied.status).toBe(200);
      await page.click('#complaint-refresh');
      await page.waitForSelector('#c-timeline li[data-type="reply"]');
      expect(await page.textContent('#c-timeline li[data-type="reply"] p')).toBe(REPLY);
      expect(await page.locator('#c-timeline li[data-type="reply"] i').count()).toBe(0);
      expect(await page.textContent('#c-timeline li[data-type="reply"] .who')).toBe('Jawaban warga');
      expect(await page.locator('#c-timeline li[data-type="resident_replied"]').count()).toBe(0);
      expect(await page.textContent('#c-status')).toBe('Sedang ditangani');
      expect(await page.isVisible('#action-resolve')).toBe(true);
      expect(await page.isVisible('#action-acknowledge')).toBe(false);
    });

    await step('resolve', async () => {
      await page.click('#action-resolve');
      await page.fill('#rs-resolution', 'Beres.');
      await page.click('#form-resolve button[type=submit]');
      expect(await page.textContent('#rs-resolution-error')).toBe('Tulis paling sedikit 10 karakter.');
      expect(await statusOf(overdue.tn)).toBe('in_progress');
      await page.fill('#rs-resolution', RESOLUTION);
      await page.click('#form-resolve button[type=submit]');
      await page.waitForFunction(() => document.getElementById('c-status')?.textContent === 'Selesai — menunggu tanggapan warga');
      expect(await page.textContent('#action-status')).toBe('Tersimpan: Selesaikan.');
      expect(await page.isVisible('#actions-none')).toBe(true);
      expect(await page.textContent('#c-timeline li[data-type="resolution"] p')).toBe(RESOLUTION);
      const view = await call(h, 'GET', `/api/v1/complaints/${overdue.tn}`, { token: lurah.token });
      expect(view.body.status).toBe('resolved');
      const said = view.body.timeline.filter((i: { type: string }) => ['question', 'reply', 'resolution'].includes(i.type));
      expect(said.map((i: { type: string; message: string }) => [i.type, i.message])).toEqual([
        ['question', QUESTION],
        ['reply', REPLY],
        ['resolution', RESOLUTION],
      ]);
      const resident = await call(h, 'GET', `/api/v1/complaints/${overdue.tn}`, { headers: { 'x-access-code': overdue.code } });
      expect(resident.body.status).toBe('resolved');
    });

    await step('conflict', async () => {
      // The page offers "acknowledge"; meanwhile someone acknowledged it: the server says 409 and the page shows why and what is now.
      await page.goto(`${base}/console#/pengaduan/${named.tn}`);
      await complaintReady();
      expect(await page.textContent('#c-facts')).toContain('Budi <i>Santoso</i> · 0812 3456 7890');
      expect(await page.textContent('#c-facts')).toContain('Jl. Melati No. 5 <u>RT 02</u>');
      expect(await page.textContent('#c-facts')).toContain('-6.114900, 106.150300');
      expect(await page.locator('#c-facts i, #c-facts u').count()).toBe(0);
      expect(await page.isVisible('#action-acknowledge')).toBe(true);
      expect((await call(h, 'POST', `/api/v1/complaints/${named.tn}/acknowledge`, { token: lurah.token, body: {} })).status).toBe(200);
      await page.click('#action-acknowledge');
      await page.click('#form-acknowledge button[type=submit]');
      await page.waitForFunction(() => /tidak mengizinkan/.test(document.getElementById('action-status')?.textContent ?? ''));
      // The problem's own detail is shown, as the API says it.
      const again = await call(h, 'POST', `/api/v1/complaints/${named.tn}/acknowledge`, { token: lurah.token, body: {} });
      expect(again.status).toBe(409);
      expect(await page.textContent('#action-status')).toBe(`Status pengaduan tidak mengizinkan tindakan ini (mungkin baru saja berubah). ${again.body.detail}`);
      expect(await page.textContent('#c-status')).toBe('Sedang ditangani');
      expect(await page.isVisible('#action-acknowledge')).toBe(false);
      expect(await page.isHidden('#form-acknowledge')).toBe(true);
    });

    await step('forward-read-only', async () => {
      // Words typed for one complaint never carry over to the next one opened.
      await page.click('#action-resolve');
      await page.fill('#rs-resolution', 'Bantuan untuk keluarga Budi sudah dicairkan.');
      await page.goto(`${base}/console#/pengaduan/${order.tn}`);
      await complaintReady();
      expect(await page.textContent('#c-tn')).toBe(order.tn);
      await page.click('#action-resolve');
      expect(await page.inputValue('#rs-resolution')).toBe('');
      await page.click('#form-resolve [data-cancel]');
      await page.click('#action-forward');
      await page.waitForSelector('#fw-unit option[value="KEC.36.73.01"]', { state: 'attached' });
      await page.selectOption('#fw-unit', 'KEC.36.73.01');
      await page.fill('#fw-reason', 'Perlu penertiban bersama trantib kecamatan.');
      await page.click('#form-forward button[type=submit]');
      await page.waitForSelector('#c-readonly:not([hidden])');
      expect(await page.textContent('#c-readonly')).toMatch(/^Hanya baca/);
      expect(await page.isHidden('#actions')).toBe(true);
      expect(await page.textContent('#c-facts')).toContain('Kecamatan Serang');
      const view = await call(h, 'GET', `/api/v1/complaints/${order.tn}`, { token: lurah.token });
      expect(view.body).toMatchObject({ status: 'routed', can_act: false, handler: { code: 'KEC.36.73.01' } });
      await page.screenshot({ path: join(RESULTS, 'console-read-only-1280.png'), fullPage: true });
    });

    await step('tablet-and-phone', async () => {
      await page.setViewportSize(TABLET);
      await page.goto(`${base}/console#/pengaduan/${overdue.tn}`);
      await complaintReady();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(TABLET.width);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'console-complaint-768.png'), fullPage: true });
      await page.goto(`${base}/console#/`);
      await inboxReady();
      expect(await layoutOverflow(page)).toEqual([]);
      // The deadline, the column the list is sorted by, is on screen without scrolling the table.
      const due = await page.locator('#inbox-rows tr:first-child td.due').boundingBox();
      expect(due!.x + due!.width).toBeLessThanOrEqual(TABLET.width);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'console-inbox-768.png'), fullPage: true });
      await page.setViewportSize(PHONE);
      await inboxReady();
      expect(await layoutOverflow(page)).toEqual([]);
      expect(await lowContrast()).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(RESULTS, 'console-inbox-360.png') });
      await page.setViewportSize(LAPTOP);
    });

    await step('session', async () => {
      // A reload keeps the session (this tab's sessionStorage) and the place.
      await page.goto(`${base}/console#/pengaduan/${named.tn}`);
      await page.reload();
      await complaintReady();
      expect(await page.textContent('#c-status')).toBe('Sedang ditangani');
      const draft = 'Bantuan sembako sudah diantar ke rumah keluarga pelapor hari ini.';
      await page.click('#action-resolve');
      await page.fill('#rs-resolution', draft);
      // The session ends elsewhere (logout in another place): the next call is 401 and the page asks to sign in.
      const token = await page.evaluate((key: string) => JSON.parse(sessionStorage.getItem(key)).access_token, SESSION_KEY);
      expect((await call(h, 'POST', '/api/v1/auth/logout', { token })).status).toBe(204);
      await page.click('#complaint-refresh');
      await page.waitForSelector('#login-view:not([hidden])');
      expect(await page.textContent('#login-notice')).toBe('Sesi Anda sudah berakhir. Silakan masuk lagi.');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('username');
      expect(await page.isHidden('#badge')).toBe(true);
      expect(await page.evaluate((key: string) => sessionStorage.getItem(key), SESSION_KEY)).toBeNull();
      expect(await page.textContent('body')).not.toContain('Budi');
      // Signing in again lands where the official was, with the half-written resolution still there.
      await signIn(page, lurah.username);
      await complaintReady();
      expect(await page.textContent('#c-tn')).toBe(named.tn);
      expect(await page.isVisible('#form-resolve')).toBe(true);
      expect(await page.inputValue('#rs-resolution')).toBe(draft);
      expect(await statusOf(named.tn)).toBe('in_progress');

      // Signing out forgets the draft and ends the session on the server.
      const fresh = await page.evaluate((key: string) => JSON.parse(sessionStorage.getItem(key)).access_token, SESSION_KEY);
      await page.click('#logout');
      await page.waitForSelector('#login-view:not([hidden])');
      expect(await page.textContent('#login-notice')).toBe('Anda sudah keluar.');
      expect(await page.evaluate((key: string) => sessionStorage.getItem(key), SESSION_KEY)).toBeNull();
      expect((await call(h, 'GET', '/api/v1/inbox/summary', { token: fresh })).status).toBe(401);
      await signIn(page, lurah.username);
      await complaintReady();
      expect(await page.isHidden('#form-resolve')).toBe(true);
      expect(await page.inputValue('#rs-resolution')).toBe('');
      await page.click('#logout');
      await page.waitForSelector('#login-view:not([hidden])');
    });

    await step('no-errors', async () => {
      expect(browser.errors).toEqual([]);
    });
  }, 240_000);

  it('a lurah of another kelurahan sees none of these complaints, in either language', async () => {
    await step('neighbour', async () => {
      await page.goto(`${base}/console`);
      await page.evaluate(() => sessionStorage.clear());
      await page.reload();
      await signIn(page, neighbour.username);
      await inboxReady();
      const shown = await page.$$eval('#inbox-rows tr', (trs: any[]) => trs.map((tr) => tr.dataset.trackingNumber));
      for (const { tn } of Object.values(filed)) expect(shown).not.toContain(tn);
      const own = await summary(neighbour.token);
      expect(await badge()).toEqual({ new: own.new, overdue: own.overdue });

      await page.fill('#open-number', 'ADN-1234');
      await page.press('#open-number', 'Enter');
      expect(await page.textContent('#open-number-error')).toBe('Nomor pengaduan berbentuk ADN-261122-7K3QX9.');
      await page.fill('#open-number', filed.named.tn.toLowerCase());
      await page.press('#open-number', 'Enter');
      await page.waitForFunction((tn: string) => location.hash === `#/pengaduan/${tn}`, filed.named.tn);
      await page.waitForFunction(() => /tidak dapat Anda lihat/.test(document.getElementById('complaint-status')?.textContent ?? ''));
      expect(await page.isHidden('#complaint-body')).toBe(true);
      expect(await page.textContent('body')).not.toContain('Budi');

      await page.click('#lang-switch');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.waitForFunction(() => /cannot see it/.test(document.getElementById('complaint-status')?.textContent ?? ''));
      await page.click('#back-link');
      await inboxReady();
      expect(await page.textContent('#inbox-heading')).toBe('Inbox');
      expect(await page.textContent('#filter-overdue + label')).toBe('Overdue only');
      expect(await page.textContent('#badge-overdue-link')).toContain('Overdue');
      expect(await lowContrast()).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.click('#lang-switch');
      expect(await page.textContent('#inbox-heading')).toBe('Kotak masuk');
      await page.click('#logout');
      await page.waitForSelector('#login-view:not([hidden])');
      expect(browser.errors).toEqual([]);
    });
  }, 60_000);

  it('refreshes the badge every 30 seconds without reloading, not while the tab is hidden, and the token before it runs out', async () => {
    const tab = await browser.context.newPage();
    watch(tab);
    const polls: number[] = [];
    tab.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/inbox/summary') polls.push(Date.now());
    });
    try {
      await step(
        'badge',
        async () => {
          await tab.clock.install();
          await tab.goto(`${base}/console`);
          await signIn(tab, lurah.username);
          await inboxReady(tab);
          await tab.evaluate(() => {
            window.__samePage = true;
          });
          const before = await badge(tab);
          expect(before).toEqual({ new: (await summary()).new, overdue: (await summary()).overdue });

          // A new complaint reaches the unit; the badge counts it at the next tick, with no reload.
          const res = await call(h, 'POST', '/api/v1/complaints', { body: { category: 'LAINNYA', kelurahan: '36.73.01.1001', description: 'Pohon tumbang menutup separuh jalan di depan sekolah.' } });
          expect(res.status).toBe(201);
          await h.quiet();
          const polled = polls.length;
          await tab.clock.fastForward(30_000);
          await tab.waitForFunction((n: number) => document.getElementById('badge-new')?.textContent === String(n), before.new + 1);
          expect(polls.length).toBeGreaterThan(polled);
          expect(await tab.evaluate(() => window.__samePage)).toBe(true);

          // Hidden: no polling at all; visible again: one refresh at once.
          await tab.evaluate(() => {
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
            document.dispatchEvent(new Event('visibilitychange'));
          });
          const whileHidden = polls.length;
          await tab.clock.fastForward(95_000);
          await new Promise((r) => setTimeout(r, 500));
          expect(polls.length).toBe(whileHidden);
          await tab.evaluate(() => {
            Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
            Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
            document.dispatchEvent(new Event('visibilitychange'));
          });
          for (let i = 0; i < 20 && polls.length === whileHidden; i += 1) await new Promise((r) => setTimeout(r, 100));
          expect(polls.length).toBe(whileHidden + 1);

          // A minute before the 15-minute access token runs out, the page trades its refresh token for new ones.
          const read = () => tab.evaluate((key: string) => JSON.parse(sessionStorage.getItem(key)), SESSION_KEY);
          const old = await read();
          await tab.clock.fastForward(14 * 60_000);
          for (let i = 0; i < 50 && (await read()).refresh_token === old.refresh_token; i += 1) await new Promise((r) => setTimeout(r, 100));
          const renewed = await read();
          expect(renewed.refresh_token).not.toBe(old.refresh_token);
          expect((await call(h, 'GET', '/api/v1/inbox/summary', { token: renewed.access_token })).status).toBe(200);
          // The old refresh token is spent: a second tab using it at once gets the very same successor.
          const twin = await call(h, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: old.refresh_token } });
          expect(twin.status).toBe(200);
          expect(twin.body.refresh_token).toBe(renewed.refresh_token);
          expect(await tab.isVisible('#inbox-view')).toBe(true);
          expect(browser.errors).toEqual([]);
        },
        tab,
      );
    } finally {
      await tab.close();
    }
  }, 90_000);
});
