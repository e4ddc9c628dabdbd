import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

/** The folder of the resident pages' files: beside this module, in apps/ under jest and in dist/. */
export const PUBLIC_DIR = join(__dirname, 'public');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** One file as served: its bytes, precompressed, with a content hash for ETag and cache busting. */
export interface WebAsset {
  name: string;
  type: string;
  version: string;
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/**
 * The resident pages, read once at start and held in memory (they are small). References between
 * files carry the referenced file's content hash (`/assets/form.js?v=…`, `from './common.js?v=…'`),
 * so the browser may keep assets for a year and still never runs a stale mix after a deploy.
 */
export class WebAssets {
  private readonly assets = new Map<string, WebAsset>();

  constructor(dir = PUBLIC_DIR) {
    const sources = new Map<string, string>();
    for (const name of readdirSync(dir)) if (TYPES[extname(name)]) sources.set(name, readFileSync(join(dir, name), 'utf8'));
    const resolving = new Set<string>();
    const resolve = (name: string): WebAsset => {
      const done = this.assets.get(name);
      if (done) return done;
      const source = sources.get(name);
      if (source === undefined) throw new Error(`web asset ${name} is referenced but missing`);
      if (resolving.has(name)) throw new Error(`web assets import each other in a cycle at ${name}`);
      resolving.add(name);
      const text = source
        .replace(/(from\s+'\.\/)([a-z0-9-]+\.js)(')/g, (_, head: string, file: string, tail: string) => `${head}${file}?v=${resolve(file).version}${tail}`)
        .replace(/((?:href|src)=")\/assets\/([a-z0-9-]+\.(?:js|css))(")/g, (_, head: string, file: string, tail: string) => `${head}/assets/${file}?v=${resolve(file).version}${tail}`);
      const identity = Buffer.from(text, 'utf8');
      const version = createHash('sha256').update(identity).digest('hex').slice(0, 12);
      const asset: WebAsset = {
        name,
        type: TYPES[extname(name)],
        version,
        etag: `"${version}"`,
        identity,
        gzip: gzipSync(identity, { level: 9 }),
        br: brotliCompressSync(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
      };
      this.assets.set(name, asset);
      resolving.delete(name);
      return asset;
    };
    for (const name of sources.keys()) resolve(name);
  }

  private static instance: WebAssets | undefined;

  /** The one set the api serves (built on first use), so pages elsewhere can name an asset's version. */
  static shared(): WebAssets {
    return (WebAssets.instance ??= new WebAssets());
  }

  get(name: string): WebAsset | undefined {
    return this.assets.get(name);
  }

  names(): string[] {
    return [...this.assets.keys()];
  }
}

/** The body to send for an Accept-Encoding header: brotli, then gzip, then none. */
export function negotiate(asset: WebAsset, acceptEncoding: string | undefined): { body: Buffer; encoding: 'br' | 'gzip' | null } {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim()))
      .map(([coding]) => coding.toLowerCase()),
  );
  if (accepted.has('br')) return { body: asset.br, encoding: 'br' };
  if (accepted.has('gzip')) return { body: asset.gzip, encoding: 'gzip' };
  return { body: asset.identity, encoding: null };
}
