import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, Harness, startHarness } from '../support/harness';

const DOC = readFileSync(join(__dirname, '../../docs/api.md'), 'utf8');
// A "Not served yet" paragraph, when there is one, ends at the next section.
const NOT_SERVED = DOC.includes('Not served yet') ? DOC.slice(DOC.indexOf('Not served yet')).split('\n## ')[0] : '';

/** `/api/v1/complaints/{tracking_number}/ACTION` and `/api/v1/complaints/{trackingNumber}/{action}` alike: `/api/v1/complaints/{}/{}`. */
const shape = (path: string) =>
  path
    .replace(/\?.*$/, '')
    .replace(/\{[^}]*\}|\b[A-Z][A-Z_]+\b/g, '{}')
    .replace(/[.,;:)]+$/, '');

/** The paths of the API and of /health that a text names. */
const pathsIn = (text: string) => new Set([...text.matchAll(/(\/api\/v1\/[A-Za-z0-9_{}./-]*|\/health(?:\/ready)?)/g)].map((m) => shape(m[1])));

/** docs/api.md is the product's contract: it names every path the OpenAPI document serves, and only those. */
describe('docs/api.md and the OpenAPI document', () => {
  let h: Harness;
  let served: Set<string>;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const spec = await call(h, 'GET', '/api/docs/openapi.json');
    expect(spec.status).toBe(200);
    served = new Set(Object.keys(spec.body.paths).filter((p) => p.startsWith('/api/v1/') || p.startsWith('/health')).map(shape));
  });
  afterAll(() => h?.close());

  it('documents every path the API serves', () => {
    const documented = pathsIn(DOC);
    expect([...served].filter((p) => !documented.has(p)).sort()).toEqual([]);
  });

  it('documents no path as served that the API does not serve, and serves none it calls "not served yet"', () => {
    const notServed = pathsIn(NOT_SERVED);
    if (NOT_SERVED) expect(notServed.size).toBeGreaterThan(0);
    const claimed = [...pathsIn(DOC.replace(NOT_SERVED, ''))];
    expect(claimed.filter((p) => !served.has(p)).sort()).toEqual([]);
    expect([...notServed].filter((p) => served.has(p)).sort()).toEqual([]);
  });
});
