import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { PAGE_CSP } from '../../apps/api/src/web/web.controller';
import { PUBLIC_DIR } from '../../apps/api/src/web/web-assets';
import { Harness, startHarness } from '../support/harness';

const { STRINGS } = jest.requireActual<{ STRINGS: Record<'id' | 'en', Record<string, string>> }>('../../apps/api/src/web/public/strings.js');

type Res = { status: number; headers: Record<string, unknown>; raw: Buffer; text: string };

/** The resident pages as HTTP serves them: headers, caching, compression, and what they contain. */
describe('the resident pages over HTTP', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(() => h.close());

  async function get(url: string, headers: Record<string, string> = {}): Promise<Res> {
    const res = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers });
    return { status: res.statusCode, headers: res.headers, raw: res.rawPayload, text: res.body };
  }

  it.each(['/', '/lacak', '/statistik'])('%s is HTML with a strict CSP, no Referer, and revalidated caching', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(PAGE_CSP).toContain("script-src 'self'");
    expect(PAGE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{12}"$/);
    expect(res.text).toContain('<html lang="id">');
    expect(res.text).toContain('<meta name="referrer" content="no-referrer">');
    expect(res.text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    // Nothing inline for the CSP to refuse, and nothing from another origin.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\//);

    const again = await get(url, { 'if-none-match': res.headers.etag as string });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
  });

  it('versions every asset it references, and those versions may be cached for good', async () => {
    const page = await get('/');
    const refs = [...page.text.matchAll(/(?:src|href)="(\/assets\/[a-z0-9-]+\.(?:js|css)\?v=[0-9a-f]{12})"/g)].map((m) => m[1]);
    expect(refs).toEqual([expect.stringMatching(/^\/assets\/aduan\.css\?v=/), expect.stringMatching(/^\/assets\/form\.js\?v=/)]);
    const form = await get(refs[1]);
    expect(form.status).toBe(200);
    expect(form.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(form.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(form.headers['content-security-policy']).toBe(PAGE_CSP);
    // Imports between modules carry versions too, so a cached module never meets a newer one.
    const imports = new Map([...form.text.matchAll(/from '\.\/([a-z-]+\.js)\?v=([0-9a-f]{12})'/g)].map((m) => [m[1], m[2]]));
    expect([...imports.keys()].sort()).toEqual(['accused.js', 'common.js']);
    const common = await get(`/assets/common.js?v=${imports.get('common.js')}`);
    expect(common.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(common.text).toMatch(/from '\.\/strings\.js\?v=[0-9a-f]{12}'/);
    const accused = await get(`/assets/accused.js?v=${imports.get('accused.js')}`);
    expect(accused.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(accused.text).toMatch(/from '\.\/common\.js\?v=[0-9a-f]{12}'/);

    const unversioned = await get('/assets/form.js');
    expect(unversioned.headers['cache-control']).toBe('no-cache');
    const stale = await get('/assets/form.js?v=000000000000');
    expect(stale.headers['cache-control']).toBe('no-cache');
  });

  it('sends brotli or gzip when the browser takes them, with the same bytes inside', async () => {
    const plain = await get('/');
    const br = await get('/', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.raw).equals(plain.raw)).toBe(true);
    expect(br.raw.length).toBeLessThan(plain.raw.length / 2);
    const gzip = await get('/', { 'accept-encoding': 'gzip;q=1.0, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.raw).equals(plain.raw)).toBe(true);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it.each(['/assets/nothing.js', '/assets/index.html', '/assets/..%2Fweb.controller.ts', '/assets/web-assets.ts', '/lacak/extra', '/index.html'])(
    '%s is 404',
    async (url) => {
      const res = await get(url);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    },
  );

  it('has every text of the pages in both languages of the one dictionary', () => {
    expect(Object.keys(STRINGS.en).sort()).toEqual(Object.keys(STRINGS.id).sort());
    const used = new Set<string>();
    for (const file of readdirSync(PUBLIC_DIR)) {
      const text = readFileSync(join(PUBLIC_DIR, file), 'utf8');
      for (const m of text.matchAll(/data-i18n="([a-z_.]+)"/g)) used.add(m[1]);
      for (const m of text.matchAll(/\bt\('([a-z_]+\.[a-z_]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const key of used) {
      expect([key, typeof STRINGS.id[key]]).toEqual([key, 'string']);
      expect([key, typeof STRINGS.en[key]]).toEqual([key, 'string']);
    }
    for (const status of ['submitted', 'routed', 'in_progress', 'awaiting_info', 'resolved', 'closed', 'rejected']) {
      expect(STRINGS.id[`status.${status}`]).toBeTruthy();
      expect(STRINGS.en[`status_hint.${status}`]).toBeTruthy();
    }
  });

  it('ships in dist/ exactly as written (the build copies the pages, it does not compile them)', () => {
    const dist = join(__dirname, '../../dist/apps/api/src/web/public');
    for (const file of readdirSync(PUBLIC_DIR)) {
      expect([file, existsSync(join(dist, file))]).toEqual([file, true]);
      expect(readFileSync(join(dist, file)).equals(readFileSync(join(PUBLIC_DIR, file)))).toBe(true);
    }
  });
});
