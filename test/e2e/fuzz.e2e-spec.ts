import { deflateSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { complaintBody, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

/*
 * Random and hostile requests to every endpoint the running app has (read from Fastify's route
 * table and the OpenAPI document, so endpoints added later are covered without being listed
 * here). Per case: no 5xx; errors are problem+json under /api (Open311's own format under
 * /open311); nothing leaks; HTML and XML never carry the injected markup raw; and the database
 * does not change unless the request succeeded, and then only as the success explains.
 *
 * Reproduce a failure with the printed seed: FUZZ_SEED=<seed> (FUZZ_CASES to change the count);
 * the same seed gives the same requests as long as the app has the same routes.
 * It compares whole-database fingerprints before and after each case, so it needs its database
 * to itself: `npm test` runs e2e files one at a time.
 */

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const XSS = '<script>alert(1)</script><img src=x onerror=alert(1)>';
const RAW_MARKERS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>'];
/** Internals that must never reach a client: stack frames, SQL errors, file paths, error classes. */
const LEAK = /QueryFailedError|node_modules|\/work\/|\.ts:\d+|\.js:\d+:\d+|\n\s+at \S|relation "|column "|violates|syntax error at or near|invalid input syntax|invalid byte sequence|SQLSTATE|ZodError|TypeError|RangeError|ReferenceError|Maximum call stack|Cannot read prop|ECONNREFUSED/;

// ---------------------------------------------------------------- deterministic randomness

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rand {
  constructor(private readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** printable ASCII, Latin-1 and a few wider code points */
  text(max: number): string {
    const n = this.int(max + 1);
    let s = '';
    for (let i = 0; i < n; i += 1) {
      const r = this.int(10);
      s += String.fromCharCode(r < 6 ? 0x20 + this.int(95) : r < 8 ? 0xa0 + this.int(96) : r < 9 ? 0x100 + this.int(0x2f00) : this.int(0x20));
    }
    return s;
  }
  /** header-safe: what a real client could put on the wire (Latin-1, no CR/LF) */
  headerText(max: number): string {
    const n = 1 + this.int(max);
    let s = '';
    for (let i = 0; i < n; i += 1) s += String.fromCharCode(this.chance(0.8) ? 0x20 + this.int(95) : 0xa0 + this.int(96));
    return s;
  }
}

// ---------------------------------------------------------------- hostile material

const SQL = [
  "' OR 1=1 --",
  "'; DROP TABLE complaint; --",
  '; DROP TABLE complaint;',
  '" OR ""="',
  "1; SELECT pg_sleep(5)",
  "') UNION SELECT password_hash, username FROM official --",
  "admin'--",
  '$1',
  '$$; DELETE FROM audit_entry; $$',
  "\\'; --",
  '%27%20OR%201%3D1',
];
const MARKUP = [
  XSS,
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  ']]><x>',
  '<!--',
  '{{7*7}}${7*7}',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '&lt;&amp;&#0;',
];
const ODD_TEXT = [
  '',
  ' ',
  '\u0000',
  'jalan\u0000rusak parah sekali',
  '\ud800',
  'lubang di jalan \udfff besar sekali',
  'x\ud83dy',
  '\u202egnp.exe',
  '\ufeff',
  '\u200b'.repeat(20),
  'e\u0301'.repeat(30),
  '𝕏'.repeat(40),
  'ﷺ'.repeat(200),
  '\r\n\r\nHTTP/1.1 200 OK',
  '\u2028\u2029',
  '\u001b[31mred',
  '%00',
  '../../../../etc/passwd',
];
/** numbers JSON can carry but JavaScript cannot hold exactly (sent as raw tokens) */
const RAW_NUMBERS = ['1e309', '-1e309', '-0', '9007199254740993', '1e-400', '123456789012345678901234567890', '-90.00000000000000000001', '1E400', '0.0000001'];
const CONTENT_TYPES: (string | undefined)[] = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json;charset=utf-16',
  'APPLICATION/JSON',
  'application/json, text/html',
  'application/vnd.api+json',
  'application/json-patch+json',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----aduan',
  'application/octet-stream',
  'image/png',
  'image/jpeg',
  'image/svg+xml',
  '',
  ';;;',
  undefined,
];
const INVALID_UTF8 = [[0xc3, 0x28], [0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const MAGIC = [
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1'),
  Buffer.from('GIF89a'),
  Buffer.from('%PDF-1.7\n'),
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">${XSS}</svg>`),
  Buffer.from('MZ\u0090\u0000', 'latin1'),
];

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser would send it). */
function enc(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// ---------------------------------------------------------------- the app's endpoints

interface Route {
  method: string;
  path: string;
  /** false when the OpenAPI document marks it bearer-only */
  public: boolean;
  queryNames: string[];
}

/** Parses `printRoutes({ commonPrefix: false })`: one line per node, four columns per level. */
function routeTable(tree: string): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack[depth] = (depth === 0 ? '' : stack[depth - 1]) + m[2];
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      if (method !== 'HEAD' && method !== 'OPTIONS') out.push({ method, path: stack[depth] });
    }
  }
  return out;
}

async function discoverRoutes(h: Harness): Promise<Route[]> {
  const fastify = h.api.getHttpAdapter().getInstance();
  const table = routeTable(fastify.printRoutes({ commonPrefix: false }));
  const doc = JSON.parse((await fastify.inject({ method: 'GET', url: '/api/docs/openapi.json' })).body);
  const ops = new Map<string, { security?: unknown[]; parameters?: { in: string; name: string }[] }>();
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) ops.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, op);
  }
  return table.map(({ method, path }) => {
    const op = ops.get(`${method} ${path}`);
    return {
      method,
      path,
      // The queue board (not in the OpenAPI document) opens only with its own signed cookie.
      public: !path.startsWith('/admin/queues/') && !(op?.security && op.security.length > 0),
      queryNames: (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    };
  });
}

// ---------------------------------------------------------------- one request

interface Case {
  n: number;
  route: Route;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  kind: string;
}

interface Known {
  tn: string;
  accessCode: string;
  photoId: string | null;
  apiKey: string | null;
}

const RAW_TOKEN = /"@@RAW:(.*?)@@"/g;

/** JSON text with raw number tokens and own `__proto__`/`constructor` keys where the value asks for them. */
function json(value: unknown): string {
  return JSON.stringify(value).replace(RAW_TOKEN, '$1');
}

function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
}

function nested(r: Rand, depth: number): unknown {
  let v: unknown = r.pick([1, 'x', null, {}]);
  for (let i = 0; i < depth; i += 1) v = r.chance(0.5) ? [v] : { a: v };
  return v;
}

function hostileValue(r: Rand, valid: unknown): unknown {
  switch (r.int(11)) {
    case 0:
      return r.pick(SQL);
    case 1:
      return r.pick(MARKUP);
    case 2:
      return r.pick(ODD_TEXT);
    case 3:
      return `@@RAW:${r.pick(RAW_NUMBERS)}@@`;
    case 4:
      return r.pick([null, true, false, 0, -1, 1.5, [], {}, [[]], { a: 1 }, 'true', '1', Number.MAX_SAFE_INTEGER]);
    case 5:
      return 'x'.repeat(r.pick([4001, 5000, 20_000, 60_000]));
    case 6:
      return nested(r, r.pick([5, 50, 500]));
    case 7:
      return withKey({}, r.pick(['__proto__', 'constructor', 'prototype']), { polluted: true, prototype: { polluted: true } });
    case 8:
      // valid text with something hostile inside it: often a valid request
      return typeof valid === 'string' ? `${valid} ${r.pick([...SQL, ...MARKUP, ...ODD_TEXT])}` : r.text(40);
    case 9:
      return r.text(r.pick([10, 200, 3000]));
    default:
      return [valid, valid];
  }
}

function mutate(r: Rand, base: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { ...base };
  const keys = Object.keys(body);
  const rounds = 1 + r.int(3);
  for (let i = 0; i < rounds; i += 1) {
    const op = r.int(10);
    if (op < 6 && keys.length > 0) {
      const key = r.pick(keys);
      body[key] = hostileValue(r, body[key]);
    } else if (op < 7 && keys.length > 0) {
      delete body[r.pick(keys)];
    } else if (op < 9) {
      withKey(body, r.pick(['__proto__', 'constructor', 'status', 'id', 'tracking_number', 'access_code_hash', 'isAdmin', r.text(8)]), hostileValue(r, 'x'));
    } else {
      body.reporter = hostileValue(r, { name: 'Budi' });
    }
  }
  return body;
}

function formText(r: Rand, fields: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    const value = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
    parts.push(`${enc(k)}=${r.chance(0.9) ? enc(value) : value}`);
  }
  if (r.chance(0.2)) parts.push(r.pick(['__proto__[polluted]=1', 'constructor[prototype][x]=1', '%zz=%', 'a', '=', '&&&', `attribute[${'x'.repeat(300)}]=1`]));
  return parts.join('&');
}

function rawJsonBody(r: Rand): { payload: string | Buffer; kind: string } {
  const deep = r.pick([1000, 10_000, 32_000]);
  const choices: (() => { payload: string | Buffer; kind: string })[] = [
    () => ({ payload: '['.repeat(deep) + ']'.repeat(deep), kind: `nested-arrays-${deep}` }),
    () => ({ payload: '{"a":'.repeat(Math.min(deep, 10_000)) + '1' + '}'.repeat(Math.min(deep, 10_000)), kind: 'nested-objects' }),
    () => ({
      payload: `{"category":"SAMPAH","kelurahan":"36.73.01.1001","description":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      kind: 'nested-in-field',
    }),
    () => ({
      payload: `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},${json(complaintBody()).slice(1)}`,
      kind: 'prototype-keys',
    }),
    () => ({ payload: r.pick(['{', '{"a":', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}', '// c\n{}', 'NaN', '{"a":NaN}', '{"a":Infinity}', '{"a":01}', '{"a":"\\x41"}', '{"a":"\\u12"}']), kind: 'broken-json' }),
    () => ({ payload: r.pick(['null', 'true', '0', '-0', '1e309', '[]', '"teks"', '"\\ud800"', ' ', '\ufeff{}', '{}']), kind: 'json-non-object' }),
    () => {
      const bytes = r.pick(INVALID_UTF8);
      const text = json(complaintBody({ description: 'Jalan rusak parah di depan pasar XX' }));
      const at = text.indexOf('XX');
      return { payload: Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at + 2))]), kind: 'invalid-utf8' };
    },
    () => ({ payload: Buffer.from(json(complaintBody()), 'utf16le'), kind: 'utf16' }),
    () => ({ payload: `{"category":"SAMPAH","category":${json(r.pick(SQL))},"kelurahan":"36.73.01.1001","description":"duplikat kunci dalam json"}`, kind: 'duplicate-keys' }),
    () => ({ payload: `{"lat":${r.pick(RAW_NUMBERS)},"long":${r.pick(RAW_NUMBERS)},${json(complaintBody()).slice(1)}`, kind: 'raw-numbers' }),
    () => ({ payload: Buffer.from(Array.from({ length: r.int(2000) }, () => r.int(256))), kind: 'random-bytes' }),
  ];
  return r.pick(choices)();
}

function pathValue(r: Rand, name: string, known: Known): string {
  if (r.chance(0.45)) {
    const valid: Record<string, string[]> = {
      trackingNumber: [known.tn],
      file: [`${known.tn}.json`, `${known.tn}.xml`, 'SAMPAH.json', 'SAMPAH.xml'],
      photoId: known.photoId ? [known.photoId] : ['00000000-0000-4000-8000-000000000000'],
      name: ['common.js', 'aduan.css', 'form.js'],
    };
    const options = Object.hasOwn(valid, name) ? valid[name] : ['x'];
    return enc(r.pick(options));
  }
  const hostile = r.pick([...SQL, ...MARKUP, ...ODD_TEXT, 'x'.repeat(3000), `${known.tn}' OR '1'='1`, `${known.tn}.xml.json`, 'ADN-000000-000000']);
  return r.chance(0.85) ? enc(hostile) : r.pick(['%', '%zz', '%c0%af', '%ff', '%00', '..%2f..%2f', '%2e%2e', 'a%2fb', '%E2%80%AE', '%ED%A0%80']);
}

function queryString(r: Rand, route: Route): string {
  const validValues: Record<string, string[]> = {
    jurisdiction_id: ['36.73', 'serangkota.go.id', '36.71'],
    parent: ['36.73', '36.73.01'],
    tenant: ['36.73'],
    status: ['open', 'closed', 'open,closed', 'submitted'],
    service_code: ['SAMPAH', 'JALAN_RUSAK'],
    start_date: ['2026-11-01T00:00:00+07:00'],
    end_date: ['2026-11-30T00:00:00+07:00'],
    page: ['1'],
    page_size: ['50'],
    v: ['1'],
  };
  const names = [...route.queryNames, 'jurisdiction_id', r.text(6), '__proto__', 'constructor[prototype]', 'a[]'];
  const parts: string[] = [];
  const count = r.int(5);
  for (let i = 0; i < count; i += 1) {
    const name = r.pick(names);
    const value = r.chance(0.5) && Object.hasOwn(validValues, name) ? r.pick(validValues[name]) : String(hostileValue(r, 'x'));
    parts.push(`${enc(name)}=${r.chance(0.9) ? enc(value.slice(0, 5000)) : value.slice(0, 200).replace(/[#\s]/g, '')}`);
  }
  if (r.chance(0.05)) parts.push(Array.from({ length: 500 }, (_, i) => `k${i}=${i}`).join('&'));
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function headersFor(r: Rand, known: Known): Record<string, string> {
  const headers: Record<string, string> = {};
  if (r.chance(0.5)) headers['x-access-code'] = r.chance(0.4) ? known.accessCode : r.chance(0.5) ? r.headerText(r.pick([4, 14, 64, 3000])) : r.pick(["' OR 1=1 --", '<script>', 'AAAA-BBBB-CCCC', '']);
  if (r.chance(0.15)) headers['idempotency-key'] = r.chance(0.5) ? `fuzz-${r.int(5)}` : r.headerText(r.pick([8, 300, 5000]));
  if (r.chance(0.2)) headers['accept-language'] = r.pick(['en', 'id', 'en-US,en;q=0.9', '*', r.headerText(30)]);
  if (r.chance(0.15)) headers.accept = r.pick(['application/xml', 'text/html', '*/*', 'application/problem+json', r.headerText(20)]);
  if (r.chance(0.1)) headers.authorization = r.pick(['Bearer', 'Bearer x.y.z', 'Basic YWRtaW46YWRtaW4=', `Bearer ${r.headerText(400)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwidHlwIjoiYWNjZXNzIn0.']);
  if (r.chance(0.1)) headers['x-forwarded-for'] = r.pick(['1.2.3.4', r.headerText(40), '::1, 10.0.0.1']);
  if (r.chance(0.05)) headers['if-none-match'] = r.headerText(50);
  if (r.chance(0.05)) headers['accept-encoding'] = r.pick(['gzip', 'br', 'identity;q=0', r.headerText(20)]);
  if (r.chance(0.1)) headers[`x-fuzz-${r.int(1000)}`] = r.headerText(100);
  return headers;
}

function baseBody(route: Route, known: Known): Record<string, unknown> | Buffer {
  const p = route.path;
  if (p === '/api/v1/complaints') return complaintBody({ anonymous: false, confidential: false, address: 'Jl. Veteran No. 1', lat: -6.12, long: 106.15, reporter: { name: 'Budi', phone: '+62 812 3456 7890', email: 'budi@example.id' } });
  if (p === '/api/v1/auth/login') return { username: 'admin', password: 'bukan kata sandi admin' };
  if (p.endsWith('/replies')) return { message: 'Tambahan: lubangnya sekarang lebih besar dan dalam.' };
  if (p.endsWith('/feedback')) return { satisfied: true, rating: 5, comment: 'Terima kasih, sudah diperbaiki.' };
  if (p.endsWith('/photos')) return PNG_1X1;
  if (p.startsWith('/open311/') && p.includes('requests')) {
    return {
      api_key: known.apiKey ?? 'no-key',
      jurisdiction_id: '36.73',
      service_code: 'SAMPAH',
      description: 'Sampah menumpuk di pinggir jalan depan pasar.',
      'attribute[kelurahan]': '36.73.01.1001',
      lat: '-6.12',
      long: '106.15',
      email: 'warga@example.id',
    };
  }
  return { a: 1 };
}

function buildCase(r: Rand, n: number, route: Route, known: Known): Case {
  const path = route.path
    .replace(/:(\w+)/g, (_, name: string) => pathValue(r, name, known))
    .replace(/\*$/, () => (r.chance(0.5) ? 'index.html' : enc(r.pick([...ODD_TEXT, ...MARKUP, '../../package.json']))));
  const url = path + queryString(r, route);
  const headers = headersFor(r, known);
  const c: Case = { n, route, method: route.method, url, headers, kind: 'no-body' };
  if (route.method === 'GET' || route.method === 'DELETE') {
    if (r.chance(0.05)) {
      c.payload = json(mutate(r, { a: 1 }));
      headers['content-type'] = 'application/json';
      c.kind = 'get-with-body';
    }
    return c;
  }
  const base = baseBody(route, known);
  const form = route.path.startsWith('/open311/');
  const roll = r.int(100);
  if (Buffer.isBuffer(base)) {
    // an upload: the body is the file
    const variants: (() => [Buffer, string])[] = [
      () => [base, 'image-valid'],
      () => [Buffer.concat([r.pick(MAGIC), Buffer.from(Array.from({ length: r.int(3000) }, () => r.int(256)))]), 'image-magic-junk'],
      () => [base.subarray(0, r.int(base.length)), 'image-truncated'],
      () => [Buffer.concat([base, Buffer.from(XSS)]), 'image-trailing-markup'],
      () => [Buffer.alloc(r.pick([70 * 1024, 5 * 1024 * 1024 + 1]), 0x41), 'image-oversize'],
      () => [Buffer.alloc(0), 'image-empty'],
      () => [Buffer.from(json(complaintBody())), 'image-json'],
    ];
    const [payload, kind] = r.pick(variants)();
    c.payload = payload;
    c.kind = kind;
    const type = r.chance(0.7) ? r.pick(['image/png', 'image/jpeg', 'image/webp', 'application/octet-stream']) : r.pick(CONTENT_TYPES);
    if (type !== undefined) headers['content-type'] = type;
    return c;
  }
  if (roll < 50) {
    const body = mutate(r, base);
    c.kind = 'mutated';
    if (form && r.chance(0.85)) {
      c.payload = formText(r, body);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else {
      c.payload = json(body);
      headers['content-type'] = r.chance(0.9) ? 'application/json' : (r.pick(CONTENT_TYPES) ?? 'application/json');
    }
  } else if (roll < 75) {
    const raw = rawJsonBody(r);
    c.payload = raw.payload;
    c.kind = raw.kind;
    headers['content-type'] = form && r.chance(0.5) ? 'application/x-www-form-urlencoded' : r.chance(0.85) ? 'application/json' : (r.pick(CONTENT_TYPES) ?? 'application/json');
  } else if (roll < 88) {
    const type = r.pick(CONTENT_TYPES);
    c.payload = r.pick([json(base), formText(r, base as Record<string, unknown>), r.text(300), `<x>${XSS}</x>`, '------aduan\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n------aduan--']);
    if (type !== undefined) headers['content-type'] = type;
    else delete headers['content-type'];
    c.kind = `content-type:${type ?? 'none'}`;
  } else if (roll < 95) {
    const size = r.pick([64 * 1024 + 1, 100_000, 1_000_000]);
    c.payload = form ? `description=${'x'.repeat(size)}` : json({ ...(base as Record<string, unknown>), description: 'y'.repeat(size) });
    headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
    c.kind = 'oversize';
  } else {
    if (r.chance(0.5)) headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
    if (r.chance(0.3)) {
      c.payload = deflateSync(Buffer.from(json(base)));
      headers['content-encoding'] = 'deflate';
      c.kind = 'compressed';
    } else {
      c.payload = r.chance(0.5) ? '' : undefined;
      c.kind = 'empty';
    }
  }
  if (r.chance(0.03) && c.payload !== undefined) {
    headers['content-length'] = String(r.pick([0, 1, 10_000_000]));
    c.kind += '+wrong-length';
  }
  return c;
}

// ---------------------------------------------------------------- "nothing written"

/** Rows and their xmin per table: any insert, update or delete changes it. */
async function fingerprintQuery(db: DataSource): Promise<string> {
  const tables: { table_name: string }[] = await db.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name`,
  );
  return `SELECT ${tables.map(({ table_name: t }) => `(SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM "${t}") AS "${t}"`).join(', ')}`;
}

function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((t) => before[t] !== after[t]);
}

function rows(value: string): number {
  return Number(value.split(':')[0]);
}

// ---------------------------------------------------------------- the test

describe(`fuzz: hostile requests to every endpoint (FUZZ_SEED=${SEED})`, () => {
  let h: Harness;
  let known: Known;
  let routes: Route[];
  let lurah: string;
  let xss: { tn: string; accessCode: string };
  const hasRoute = (method: string, path: string) => routes.some((r) => r.method === method && r.path === path);

  beforeAll(async () => {
    h = await startHarness();
    routes = await discoverRoutes(h);
    const admin = await loginAdmin(h);
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    const inject = h.api.getHttpAdapter().getInstance().inject.bind(h.api.getHttpAdapter().getInstance());

    const filed = JSON.parse((await inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(), headers: { 'content-type': 'application/json' } })).body);
    known = { tn: filed.tracking_number, accessCode: filed.access_code, photoId: null, apiKey: null };
    if (hasRoute('POST', '/api/v1/complaints/:trackingNumber/photos')) {
      const photo = await inject({ method: 'POST', url: `/api/v1/complaints/${known.tn}/photos`, payload: PNG_1X1, headers: { 'content-type': 'image/png', 'x-access-code': known.accessCode } });
      if (photo.statusCode < 300) known.photoId = JSON.parse(photo.body).id;
    }
    if (hasRoute('POST', '/api/v1/admin/api-keys')) {
      const key = await inject({ method: 'POST', url: '/api/v1/admin/api-keys', payload: { name: 'fuzz' }, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' } });
      if (key.statusCode === 201) known.apiKey = JSON.parse(key.body).api_key;
    }
    const x = await inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: { 'content-type': 'application/json' },
      payload: complaintBody({ description: `Jalan berlubang ${XSS} di depan pasar`, address: `Jl. ${XSS} No. 1`, anonymous: false, confidential: false, reporter: { name: XSS } }),
    });
    expect(x.statusCode).toBe(201);
    xss = { tn: JSON.parse(x.body).tracking_number, accessCode: JSON.parse(x.body).access_code };
    await h.quiet();
    // From here on the database changes only by this file's requests: the worker would add its
    // own writes in between and blur which request wrote what.
    await h.stopWorker();
  });

  afterAll(async () => {
    // The complaints filed by valid cases are routed before the next test file runs.
    await h.startWorker();
    await h.quiet(30_000).catch(() => undefined);
    await h.close();
  }, 90_000);

  it('finds the endpoints it is meant to cover', () => {
    for (const [method, path] of [['POST', '/api/v1/complaints'], ['GET', '/api/v1/complaints/:trackingNumber'], ['POST', '/api/v1/auth/login'], ['GET', '/api/v1/categories']]) {
      expect(hasRoute(method, path)).toBe(true);
    }
    expect(routes.find((r) => r.path === '/api/v1/inbox')?.public).toBe(false);
  });

  it('answers every public POST that is too large, of the wrong type or malformed with a clear error, and writes nothing', async () => {
    const fastify = h.api.getHttpAdapter().getInstance();
    const fingerprint = await fingerprintQuery(h.db);
    const before = (await h.db.query(fingerprint))[0];
    const posts = routes.filter((r) => r.method === 'POST' && r.public);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    for (const route of posts) {
      const url = route.path.replace(/:(\w+)/g, (_, name: string) => (name === 'trackingNumber' ? known.tn : 'x'));
      const headers = { 'x-access-code': known.accessCode };
      const photo = route.path.endsWith('/photos');
      const open311 = route.path.startsWith('/open311/');
      const cases: [string, string, string | Buffer, number][] = photo
        ? [
            ['too large', 'image/png', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41), 413],
            ['wrong type', 'text/plain', 'bukan foto', 415],
            ['malformed JSON', 'application/json', '{"a":', 400],
          ]
        : open311
          ? [
              ['too large', 'application/x-www-form-urlencoded', `description=${'x'.repeat(70_000)}`, 413],
              ['wrong type', 'application/json', '{"service_code":"SAMPAH"}', 400],
              ['malformed form without api_key', 'application/x-www-form-urlencoded', '%zz=%&&=', 403],
            ]
          : [
              ['too large', 'application/json', JSON.stringify({ description: 'x'.repeat(70_000) }), 413],
              ['wrong type', 'text/plain', 'tolong', 415],
              ['form-encoded', 'application/x-www-form-urlencoded', 'a=b', 415],
              ['malformed JSON', 'application/json', '{"a":', 400],
              ['not an object', 'application/json', '[1,2]', 400],
              ['10k nested arrays', 'application/json', '['.repeat(10_000) + ']'.repeat(10_000), 400],
              ['prototype keys', 'application/json', '{"__proto__":{"polluted":true}}', 400],
              ['10k nested arrays in a field', 'application/json', `{"description":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 422],
            ];
      for (const [what, type, payload, status] of cases) {
        const res = await fastify.inject({ method: 'POST', url, headers: { ...headers, 'content-type': type }, payload });
        expect(`${route.path} ${what} → ${res.statusCode}`).toBe(`${route.path} ${what} → ${status}`);
        if (open311) {
          expect(res.body).toMatch(/<errors>|^\[\{"code":\d+,"description":|"status":\d+/);
        } else {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(res.body)).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
        }
      }
    }
    expect((await h.db.query(fingerprint))[0]).toEqual(before);
  });

  it('shows HTML in a valid description as text everywhere it appears', async () => {
    const inject = h.api.getHttpAdapter().getInstance().inject.bind(h.api.getHttpAdapter().getInstance());
    const expectJson = (res: { headers: Record<string, unknown> }) => {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    };

    const official = await inject({ method: 'GET', url: `/api/v1/complaints/${xss.tn}`, headers: { authorization: `Bearer ${lurah}` } });
    expect(official.statusCode).toBe(200);
    expectJson(official);
    const view = JSON.parse(official.body);
    expect(view.description).toBe(`Jalan berlubang ${XSS} di depan pasar`);
    expect(view.address).toBe(`Jl. ${XSS} No. 1`);
    expect(view.reporter?.name).toBe(XSS);

    const resident = await inject({ method: 'GET', url: `/api/v1/complaints/${xss.tn}`, headers: { 'x-access-code': xss.accessCode } });
    expect(resident.statusCode).toBe(200);
    expectJson(resident);
    // Wherever the resident's view carries the text, it is the text itself, not escaped HTML.
    expect(resident.body).not.toContain('&lt;');

    for (const url of ['/', '/lacak', `/lacak?tn=${enc(XSS)}#${enc(XSS)}`, `/?q=${enc(XSS)}`]) {
      const page = await inject({ method: 'GET', url });
      if (page.statusCode === 404) continue; // the web form is not there yet
      expect(page.statusCode).toBe(200);
      for (const marker of RAW_MARKERS) expect(page.body).not.toContain(marker);
    }

    if (hasRoute('GET', '/open311/v2/requests/:file')) {
      const one = await inject({ method: 'GET', url: `/open311/v2/requests/${xss.tn}.xml?jurisdiction_id=36.73` });
      expect(one.statusCode).toBe(200);
      expect(one.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(one.body).not.toContain('<script');
      expect(one.body).not.toContain('<img');
      const oneJson = await inject({ method: 'GET', url: `/open311/v2/requests/${xss.tn}.json?jurisdiction_id=36.73` });
      expect(oneJson.statusCode).toBe(200);
      expect(JSON.parse(oneJson.body)[0].description).toBe(`Jalan berlubang ${XSS} di depan pasar`);
      for (const url of [`/open311/v2/requests.xml?jurisdiction_id=36.73&service_request_id=${xss.tn}`, '/open311/v2/requests.xml?jurisdiction_id=36.73', '/open311/v2/servicerequestupdates.xml?jurisdiction_id=36.73']) {
        const list = await inject({ method: 'GET', url });
        expect(list.statusCode).toBe(200);
        expect(list.body).not.toContain('<script');
        expect(list.body).not.toContain('<img');
      }
    }
  });

  it(`survives ${CASES} hostile requests: no 5xx, clean errors, nothing written by a failure`, async () => {
    const fastify = h.api.getHttpAdapter().getInstance();
    const r = new Rand(prng(SEED));
    const fingerprint = await fingerprintQuery(h.db);
    const snapshot = async (): Promise<Record<string, string>> => (await h.db.query(fingerprint))[0];

    const weighted = routes.flatMap((route) => Array<Route>(!route.public ? 1 : route.method === 'GET' ? 4 : 12).fill(route));
    const perRoute = new Map<string, { cases: number; statuses: Record<number, number>; wrote: number }>();
    const failures: string[] = [];
    const submitted = new Set<string>();
    let before = await snapshot();
    const started = Date.now();

    for (let n = 0; n < CASES; n += 1) {
      const c = buildCase(r, n, r.pick(weighted), known);
      const key = `${c.method} ${c.route.path}`;
      const stats = perRoute.get(key) ?? { cases: 0, statuses: {}, wrote: 0 };
      perRoute.set(key, stats);
      stats.cases += 1;
      const fail = (why: string, body = '') =>
        failures.push(`#${n} ${c.method} ${c.url.slice(0, 200)} [${c.kind}; ${JSON.stringify(c.headers).slice(0, 300)}] → ${why} ${body.slice(0, 300)}`);

      let res;
      try {
        res = await fastify.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, payload: c.payload });
      } catch (error) {
        fail(`inject threw ${(error as Error).message}`);
        continue;
      }
      const status = res.statusCode;
      stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
      const type = String(res.headers['content-type'] ?? '');
      const path = c.url.split('?')[0];
      const body = res.body;

      // The worker is stopped for these requests (see beforeAll): readiness rightly says so, and only that.
      const workerDown = path === '/health/ready' && status === 503 && /"detail":"Not ready: worker(, outbox)?\."/.test(body);
      if (status >= 500 && !workerDown) fail(`status ${status}`, body);
      if (status >= 400 && path.startsWith('/api/')) {
        let doc: any = null;
        try {
          doc = JSON.parse(body);
        } catch {
          // reported below
        }
        const ok = type.startsWith('application/problem+json') && doc && typeof doc.type === 'string' && typeof doc.title === 'string' && doc.status === status && typeof doc.detail === 'string';
        if (!ok) fail(`not a problem document (${status}, ${type})`, body);
      }
      if (status >= 400 && path.startsWith('/open311/')) {
        const open311 = /xml/.test(type) ? /<errors>\s*<error>/.test(body) : /^\[\{"code":\d+,"description":/.test(body);
        if (!open311) fail(`not an Open311 error (${status}, ${type})`, body);
      }
      if ((status >= 400 || /json|xml/.test(type)) && LEAK.test(body)) fail('leaks internals', body.slice(Math.max(0, body.search(LEAK) - 100)));
      if (/html|xml|svg/.test(type) && RAW_MARKERS.some((m) => body.includes(m))) fail(`reflects markup raw in ${type}`);

      const after = await snapshot();
      const tables = changed(before, after);
      // A refused sign-in to an account that exists is audited, and that is its only write.
      const auditedRefusal = c.route.path === '/api/v1/auth/login' && (status === 401 || status === 429) && tables.join() === 'audit_entry';
      if (tables.length > 0 && !auditedRefusal) {
        if (status >= 400 || c.method === 'GET') {
          fail(`status ${status} but wrote to ${tables.join(', ')}`, body);
        } else {
          stats.wrote += 1;
          // A new complaint is one complaint row; a replayed one (same idempotency key) is none.
          const tn = /"(?:tracking_number|service_request_id)":"([^"]+)"/.exec(body)?.[1] ?? /<service_request_id>([^<]+)</.exec(body)?.[1];
          const isSubmit = c.route.path === '/api/v1/complaints' || c.route.path.startsWith('/open311/');
          const expected = isSubmit && tn !== undefined && !submitted.has(tn) ? 1 : 0;
          if (tn !== undefined && isSubmit) submitted.add(tn);
          const delta = rows(after.complaint) - rows(before.complaint);
          if (delta !== expected) fail(`complaint rows changed by ${delta}, expected ${expected}`, body);
        }
      }
      before = after;
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const table = [...perRoute.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, s]) => `  ${String(s.cases).padStart(5)}  ${k.padEnd(58)} wrote ${String(s.wrote).padStart(3)}  ${JSON.stringify(s.statuses)}`)
      .join('\n');
    console.log(`fuzz: FUZZ_SEED=${SEED}, ${CASES} cases over ${perRoute.size} endpoints in ${seconds} s\n${table}`);
    expect(failures.slice(0, 15)).toEqual([]);
    // `__proto__` and `constructor` keys were data, never the prototype of anything.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    const health = await fastify.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
  }, 180_000);
});
