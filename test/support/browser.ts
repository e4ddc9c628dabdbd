import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
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
