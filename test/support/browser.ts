import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Harness } from './harness';

// Browser globals as the callbacks of page.evaluate see them; the type-check here has no DOM lib.
declare const document: any;
declare const getComputedStyle: any;
declare const Node: any;
declare const window: any;

/** Debian's Chromium, as .ci/run installs it; the flags keep it off the closed network. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Screenshots of failed steps (and the ones a test takes on purpose); gitignored. */
export const RESULTS = join(__dirname, '../../test-results');

/** Fails loudly rather than skipping: a browser test that cannot run is a red test. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's chromium (apt-get install -y chromium); .ci/run installs it`);
  }
  mkdirSync(RESULTS, { recursive: true });
}

/** Puts the harness's api on a real port (a browser cannot use inject); returns its base URL. */
export async function listenOnPort(h: Harness): Promise<string> {
  await h.api.listen(0, '127.0.0.1');
  const { port } = h.api.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** The sizes the pages are tested at: a laptop, a tablet, a phone. */
export const LAPTOP = { width: 1280, height: 900 };
export const TABLET = { width: 768, height: 1024 };
export const PHONE = { width: 360, height: 740 };

/** What `officialIn` gives every official it creates. */
export const OFFICIAL_PASSWORD = 'kata sandi yang cukup panjang';

export interface Browser {
  context: BrowserContext;
  /** the first tab, its script errors collected into `errors` */
  page: Page;
  errors: string[];
  /** closes Chromium and removes its profile */
  close(): Promise<void>;
}

/**
 * Chromium as a resident of Banten runs it (id-ID, Asia/Jakarta, 1× pixels, LAPTOP) in a fresh
 * profile, after `requireChromium`; `o` overrides any of it (a phone's viewport and touch, downloads).
 */
export async function openBrowser(o: Parameters<typeof chromium.launchPersistentContext>[1] = {}): Promise<Browser> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'aduan-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: LAPTOP, deviceScaleFactor: 1, locale: 'id-ID', timezoneId: 'Asia/Jakarta', ...o,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  collectPageErrors(page, errors);
  return {
    context, page, errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Signs an official in on the page's own form (/console or /oversight, already open or opened
 * from `url`), and waits for `ready`.
 */
export async function signIn(tab: Page, o: { username: string; password?: string; url?: string; ready?: string }): Promise<void> {
  if (o.url) await tab.goto(o.url);
  await tab.waitForSelector('#login-view:not([hidden])');
  await tab.fill('#username', o.username);
  await tab.fill('#password', o.password ?? OFFICIAL_PASSWORD);
  await tab.click('#login-submit');
  if (o.ready) await tab.waitForSelector(o.ready);
}

/** Collects script errors of a tab; a 4xx answer (logged as "Failed to load resource") is not one. */
export function collectPageErrors(tab: Page, sink: string[]): void {
  tab.on('pageerror', (error) => sink.push(error.message));
  tab.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) sink.push(message.text());
  });
}

/**
 * Runs a step, checks the page state it leaves with axe-core (WCAG 2.1 AA), and leaves a
 * screenshot `<prefix>-<name>-failure.png` in test-results/ when either fails.
 */
export async function screenshotOnFailure(tab: Page, prefix: string, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    expect(await axeViolations(tab)).toEqual([]);
  } catch (error) {
    await tab.screenshot({ path: join(RESULTS, `${prefix}-${name}-failure.png`), fullPage: true }).catch(() => undefined);
    throw error;
  }
}

/** The rule sets of WCAG 2.0 and 2.1, levels A and AA, as axe-core tags them. */
export const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
let axeSource: string | undefined;

/**
 * Accessibility violations of the page as it is now: axe-core's WCAG 2.1 AA rules, one line per
 * rule and element (`rule: selector — help`). Injected through the debugger protocol, which the
 * pages' Content-Security-Policy does not govern.
 */
export async function axeViolations(tab: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await tab.evaluate(() => typeof window.axe === 'object'))) await tab.evaluate(axeSource);
  return tab.evaluate(async (tags: string[]) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.flatMap((v: any) => v.nodes.map((n: any) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
  }, WCAG21AA);
}

/**
 * Visible text whose contrast with its background is under WCAG AA (4.5:1, or 3:1 for large
 * text). Backgrounds are the nearest opaque ancestor's; enabled controls only.
 */
export function lowContrast(tab: Page): Promise<string[]> {
  return tab.evaluate(() => {
    const rgba = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (node: any): number[] => {
      for (let e = node; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c;
      }
      return [255, 255, 255];
    };
    const out: string[] = [];
    for (const e of document.querySelectorAll('body *') as any[]) {
      const own = [...e.childNodes].some((n: any) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
      if (!own || e.getClientRects().length === 0 || e.disabled) continue;
      const style = getComputedStyle(e);
      if (style.visibility === 'hidden' || e.closest('.skip')) continue;
      const [l1, l2] = [luminance(rgba(style.color)), luminance(background(e))].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`${e.tagName.toLowerCase()}#${e.id} ${ratio.toFixed(2)}: ${e.textContent.trim().slice(0, 40)}`);
    }
    return out;
  });
}

/**
 * What is cut off sideways: the page itself wider than the window, or a table wider than its box
 * where that box is not a scroll region a keyboard can reach (tabindex 0, role region, a name).
 * `fit`: any table wider than its box counts (paper cannot scroll; a laptop should not have to).
 */
export function layoutOverflow(tab: Page, o: { fit?: boolean } = {}): Promise<string[]> {
  return tab.evaluate((fit: boolean) => {
    const out: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) out.push(`page: ${root.scrollWidth} px wide in ${root.clientWidth}`);
    for (const table of document.querySelectorAll('table') as any[]) {
      if (table.getClientRects().length === 0) continue;
      const box = table.parentElement;
      const name = `table ${table.closest('[id]')?.id ?? ''}`;
      if (table.scrollWidth <= box.clientWidth + 1) continue;
      const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
      if (fit || !scrolls) out.push(`${name}: ${table.scrollWidth} px in ${box.clientWidth}, cut off`);
      else if (box.getAttribute('tabindex') !== '0' || box.getAttribute('role') !== 'region' || !(box.getAttribute('aria-label') || box.getAttribute('aria-labelledby'))) {
        out.push(`${name}: scrolls in a box without tabindex 0, role region and a name`);
      }
    }
    return out;
  }, Boolean(o.fit));
}
