import { randomUUID } from 'node:crypto';
import { decodeInboxCursor, InboxFilter, inboxStatements } from '@aduan/complaints';
import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

/**
 * The inbox walked page by page, by cursor and by page number: every filter and every access rule
 * holds on every page, nothing is skipped or repeated (ties in the order, microseconds apart), and
 * the total is exact up to its bound. Rows are written by SQL into kelurahan of Taktakan that no
 * other test file uses, so the expected inbox is known exactly.
 */
const X = 'KEL.36.73.06.1001';
const Y = 'KEL.36.73.06.1002';
const BIG = 'KEL.36.73.06.1003';
const OPEN = ['submitted', 'routed', 'in_progress', 'awaiting_info'];

interface Seeded {
  id: string;
  tn: string;
  unit: string;
  status: string;
  category: string;
  due: string | null;
  submitted: string;
  accused: string[];
}

describe('inbox: pages, cursors and the rules on every page', () => {
  let h: Harness;
  let units: Record<string, { id: string; parent: string }>;
  let lurahX: string;
  let lurahY: string;
  let lurahBig: string;
  const rows: Seeded[] = [];
  const tag = String(Math.floor(Math.random() * 900_000) + 100_000);
  let counter = 0;

  const seed = (r: Omit<Seeded, 'id' | 'tn'>) => {
    counter += 1;
    rows.push({ ...r, id: randomUUID(), tn: `ADN-${tag}-${String(counter).padStart(6, '0')}` });
  };

  async function insert(list: Seeded[]): Promise<void> {
    await h.db.query(
      `WITH r AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, tn text, unit text, status text, category text, due timestamptz, submitted timestamptz, accused uuid[])),
       c AS (INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code, description,
                                    anonymous, confidential, status, channel, current_unit_id, current_tier, assigned_at, submitted_at, due_at, accused_unit_ids, updated_at)
             SELECT r.id, r.tn, 'x', '36.73', r.category, u.area_code, left(u.area_code, 8), 'Uji halaman kotak masuk.', true, true, r.status, 'web',
                    u.id, 'lurah', r.submitted, r.submitted, r.due, r.accused, now()
               FROM r JOIN unit u ON u.code = r.unit)
       INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, via)
       SELECT gen_random_uuid(), r.id, u.id, 'lurah', gen_random_uuid(), r.submitted, r.submitted + interval '3 days', 'routed' FROM r JOIN unit u ON u.code = r.unit`,
      [JSON.stringify(list)],
    );
  }

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const admin = await loginAdmin(h);
    const found: { code: string; id: string; parent_id: string }[] = await h.db.query(`SELECT code, id, parent_id FROM unit WHERE code = ANY($1)`, [[X, Y, BIG]]);
    units = Object.fromEntries(found.map((u) => [u.code, { id: u.id, parent: u.parent_id }]));
    // A rerun on the same database starts from empty inboxes in these units.
    await h.db.query(`UPDATE complaint SET status = 'closed', current_unit_id = NULL WHERE current_unit_id = ANY($1) AND status = ANY($2)`, [found.map((u) => u.id), OPEN]);

    const now = Date.now();
    const at = (minutes: number, micros = 0) => `${new Date(now + minutes * 60_000).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
    const categories = ['SAMPAH', 'JALAN_RUSAK', 'PUNGLI'];
    const statuses = ['routed', 'in_progress', 'awaiting_info'];
    for (let i = 0; i < 120; i += 1) {
      // Deadlines from two days overdue to four days ahead, every fifth without one; groups of
      // four share a deadline and a submission time down to the millisecond, apart by microseconds or not at all.
      const due = i % 5 === 0 ? null : at(-2873 + Math.floor(i / 4) * 120);
      seed({ unit: X, status: statuses[i % 3], category: categories[i % 3 === 0 ? 0 : (i % 7) % 3], due, submitted: at(-10_000 + Math.floor(i / 8), i % 4 === 3 ? 1 : 0), accused: [] });
    }
    // Conflict of interest: naming the unit itself or the kecamatan above it keeps a complaint out; naming another unit does not.
    for (let i = 0; i < 3; i += 1) seed({ unit: X, status: 'routed', category: 'PUNGLI', due: at(-60), submitted: at(-9000 - i), accused: [units[X].id] });
    for (let i = 0; i < 2; i += 1) seed({ unit: X, status: 'in_progress', category: 'PUNGLI', due: at(30), submitted: at(-9100 - i), accused: [units[X].parent] });
    for (let i = 0; i < 2; i += 1) seed({ unit: X, status: 'routed', category: 'PUNGLI', due: at(45), submitted: at(-9200 - i), accused: [units[Y].id] });
    // Not open: never in any inbox.
    for (const status of ['resolved', 'closed', 'rejected']) seed({ unit: X, status, category: 'SAMPAH', due: at(10), submitted: at(-8000), accused: [] });
    for (let i = 0; i < 25; i += 1) seed({ unit: Y, status: 'routed', category: 'SAMPAH', due: at(i * 10), submitted: at(-7000 + i), accused: [] });
    await insert(rows);
    const big: Seeded[] = [];
    for (let i = 0; i < 1003; i += 1) {
      counter += 1;
      big.push({ id: randomUUID(), tn: `ADN-${tag}-${String(counter).padStart(6, '0')}`, unit: BIG, status: 'routed', category: 'SAMPAH', due: at(i % 50), submitted: at(-5000 + (i % 7)), accused: [] });
    }
    await insert(big);
    rows.push(...big);

    lurahX = (await officialIn(h, admin, X)).token;
    lurahY = (await officialIn(h, admin, Y)).token;
    lurahBig = (await officialIn(h, admin, BIG)).token;
  });
  afterAll(async () => {
    // Out of every inbox and every sweep of waiting deadlines, for the files that run after this one.
    const ids = rows.map((r) => r.id);
    await h.db.query(`UPDATE assignment SET ended_at = now() WHERE complaint_id = ANY($1) AND ended_at IS NULL`, [ids]);
    await h.db.query(`UPDATE complaint SET status = 'closed', current_unit_id = NULL WHERE id = ANY($1)`, [ids]);
    await h.close();
  });

  /** What the unit's inbox must show under a filter: open, not accusing the unit or its parent, in deadline order. */
  function expected(unit: string, filter: { status?: string; category?: string; overdue?: boolean }): string[] {
    const u = units[unit];
    const ms = (iso: string) => Date.parse(`${iso.slice(0, 23)}Z`);
    const key = (r: Seeded) => (r.due === null ? Number.POSITIVE_INFINITY : ms(r.due));
    const micros = (iso: string) => ms(iso) * 1000 + Number(iso.slice(23, 26));
    return rows
      .filter((r) => r.unit === unit && OPEN.includes(r.status) && !r.accused.some((a) => a === u.id || a === u.parent))
      .filter((r) => (filter.status ? r.status === filter.status : true))
      .filter((r) => (filter.category ? r.category === filter.category : true))
      .filter((r) => (filter.overdue === undefined ? true : (r.due !== null && ms(r.due) < Date.now()) === filter.overdue))
      .sort((a, b) => key(a) - key(b) || micros(a.submitted) - micros(b.submitted) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((r) => r.tn);
  }

  async function walkByCursor(token: string, query: string, pageSize: number) {
    const seen: string[] = [];
    const pages: { page: number; total: number; estimate: boolean; items: any[] }[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 500; n += 1) {
      const url: string = `/api/v1/inbox?page_size=${pageSize}${query}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call(h, 'GET', url, { token });
      expect(res.status).toBe(200);
      pages.push({ page: res.body.page, total: res.body.total, estimate: res.body.total_is_estimate, items: res.body.items });
      seen.push(...res.body.items.map((i: { tracking_number: string }) => i.tracking_number));
      cursor = res.body.next_cursor;
      if (!cursor) return { seen, pages };
    }
    throw new Error('the walk did not end');
  }

  const filters: { query: string; filter: { status?: string; category?: string; overdue?: boolean } }[] = [
    { query: '', filter: {} },
    { query: '&status=routed', filter: { status: 'routed' } },
    { query: '&status=awaiting_info', filter: { status: 'awaiting_info' } },
    { query: '&category=PUNGLI', filter: { category: 'PUNGLI' } },
    { query: '&category=JALAN_RUSAK&status=in_progress', filter: { category: 'JALAN_RUSAK', status: 'in_progress' } },
    { query: '&overdue=true', filter: { overdue: true } },
    { query: '&overdue=false&category=SAMPAH', filter: { overdue: false, category: 'SAMPAH' } },
  ];

  it.each(filters)('walks the whole inbox by cursor with filter "$query": every row once, in order, and only the unit\'s own', async ({ query, filter }) => {
    const want = expected(X, filter);
    expect(want.length).toBeGreaterThan(3);
    const { seen, pages } = await walkByCursor(lurahX, query, 7);
    expect(seen).toEqual(want);
    expect(pages.map((p) => p.page)).toEqual(pages.map((_p, i) => i + 1));
    for (const p of pages) {
      expect(p).toMatchObject({ total: want.length, estimate: false });
      for (const item of p.items) {
        if (filter.status) expect(item.status).toBe(filter.status);
        if (filter.category) expect(item.category).toBe(filter.category);
        if (filter.overdue !== undefined) expect(item.overdue).toBe(filter.overdue);
        // Times as toISOString writes them: UTC, milliseconds (the seed's microseconds cut off).
        const own = rows.find((r) => r.tn === item.tracking_number)!;
        expect({ due_at: item.due_at, assigned_at: item.assigned_at }).toEqual({ due_at: own.due && `${own.due.slice(0, 23)}Z`, assigned_at: `${own.submitted.slice(0, 23)}Z` });
      }
    }
  });

  it('gives the same pages by page number as by cursor', async () => {
    const { pages } = await walkByCursor(lurahX, '&status=routed', 6);
    for (const p of pages) {
      const res = await call(h, 'GET', `/api/v1/inbox?page_size=6&status=routed&page=${p.page}`, { token: lurahX });
      expect(res.body.items).toEqual(p.items);
      expect(res.body.page).toBe(p.page);
    }
    const beyond = await call(h, 'GET', `/api/v1/inbox?page_size=6&status=routed&page=${pages.length + 1}`, { token: lurahX });
    // An empty page has no row to carry the total: it is counted on its own, and still exact.
    expect(beyond.body).toMatchObject({ items: [], next_cursor: null, total: expected(X, { status: 'routed' }).length, total_is_estimate: false });
  });

  it('never shows a complaint that accuses the unit or the unit above it, on any page, nor counts it', async () => {
    const hidden = rows.filter((r) => r.unit === X && r.accused.some((a) => a === units[X].id || a === units[X].parent)).map((r) => r.tn);
    expect(hidden).toHaveLength(5);
    const { seen } = await walkByCursor(lurahX, '&category=PUNGLI', 2);
    expect(seen.filter((tn) => hidden.includes(tn))).toEqual([]);
    expect(seen.filter((tn) => rows.find((r) => r.tn === tn)!.accused.length > 0)).toHaveLength(2);
    const summary = await call(h, 'GET', '/api/v1/inbox/summary', { token: lurahX });
    const visible = expected(X, {});
    expect(summary.body).toEqual({ open: visible.length, new: expected(X, { status: 'routed' }).length, overdue: expected(X, { overdue: true }).length });
  });

  it("keeps another unit's cursor to the caller's own inbox", async () => {
    const first = await call(h, 'GET', '/api/v1/inbox?page_size=5', { token: lurahX });
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const { seen } = await walkByCursor(lurahY, '', 5);
    expect(seen).toEqual(expected(Y, {}));
    const borrowed = await call(h, 'GET', `/api/v1/inbox?page_size=50&cursor=${first.body.next_cursor}`, { token: lurahY });
    expect(borrowed.status).toBe(200);
    const ownY = new Set(expected(Y, {}));
    expect(borrowed.body.items.length).toBeGreaterThan(0);
    for (const item of borrowed.body.items) expect(ownY.has(item.tracking_number)).toBe(true);
  });

  it('bounds the total: above 1,000 it says so, and the cursor still reaches every row', async () => {
    const want = expected(BIG, {});
    expect(want).toHaveLength(1003);
    const { seen, pages } = await walkByCursor(lurahBig, '', 200);
    expect(seen).toEqual(want);
    expect(pages).toHaveLength(6);
    for (const p of pages) expect(p).toMatchObject({ total: 1000, estimate: true });
    const few = await call(h, 'GET', '/api/v1/inbox?page_size=10&overdue=false&page=2', { token: lurahBig });
    expect(few.body.total_is_estimate).toBe(expected(BIG, { overdue: false }).length > 1000);
  });

  it('refuses a malformed or tampered cursor, and a cursor with a page number, with the documented 422', async () => {
    const first = await call(h, 'GET', '/api/v1/inbox?page_size=5', { token: lurahX });
    const cursor: string = first.body.next_cursor;
    const [due, submitted, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as string[];
    for (const bad of [
      'garbage',
      'eyJ9',
      Buffer.from(JSON.stringify([`${due}'; DROP TABLE complaint; --`, submitted, id, 2])).toString('base64url'),
      Buffer.from(JSON.stringify([due, submitted, id, 0])).toString('base64url'),
      'A'.repeat(500),
    ]) {
      const res = await call(h, 'GET', `/api/v1/inbox?cursor=${encodeURIComponent(bad)}`, { token: lurahX });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ status: 422, errors: [expect.objectContaining({ field: 'cursor' })] });
    }
    const both = await call(h, 'GET', `/api/v1/inbox?page=2&cursor=${cursor}`, { token: lurahX });
    expect(both.status).toBe(422);
    expect(both.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });

  it('answers every kind of page and the total from complaint_inbox_order_idx alone, in its order, without a sort or a join', async () => {
    const first = await call(h, 'GET', '/api/v1/inbox?page_size=5', { token: lurahX });
    const cursor = decodeInboxCursor(first.body.next_cursor) ?? undefined;
    expect(cursor).toBeDefined();
    const kinds: Partial<InboxFilter>[] = [{}, { page: 40 }, { cursor }, { status: 'routed' }, { category: 'PUNGLI', status: 'in_progress' }, { overdue: true }, { overdue: false, category: 'SAMPAH', cursor }];
    const nodes = (plan: any): any[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];
    await h.db.query('ANALYZE complaint');
    for (const kind of kinds) {
      const statements = inboxStatements(units[X].id, { page: 1, page_size: 50, ...kind } as InboxFilter);
      for (const [name, st] of Object.entries(statements)) {
        // Without other ways to read the table, and with sorting priced out: a sort left in the plan means the index cannot give the order.
        const plan = await h.db.transaction(async (m) => {
          await m.query('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off');
          const [row] = await m.query(`EXPLAIN (FORMAT JSON) ${st.sql}`, st.params);
          return row['QUERY PLAN'][0].Plan;
        });
        const all = nodes(plan);
        const scans = all.filter((n) => n['Relation Name'] === 'complaint' && n['Index Name'] === 'complaint_inbox_order_idx');
        // The page statement walks the index twice: once for its rows, once (an InitPlan) for the bounded total.
        const walks = name === 'page' ? ['Index Only Scan', 'Index Only Scan'] : ['Index Only Scan'];
        expect({ kind, name, scans: scans.map((n) => n['Node Type']) }).toEqual({ kind, name, scans: walks });
        expect({ kind, name, sorts: all.filter((n) => /Sort/.test(n['Node Type'])).length }).toEqual({ kind, name, sorts: 0 });
        // Every column a page shows is in the index: no row of complaint or assignment is read besides it (unit: the conflict-of-interest rule's lookup).
        const reads = all.filter((n) => n['Relation Name']).map((n) => `${n['Relation Name']}:${n['Index Name'] ?? n['Node Type']}`);
        expect({ kind, name, reads: reads.filter((r) => !r.startsWith('unit:')) }).toEqual({ kind, name, reads: walks.map(() => 'complaint:complaint_inbox_order_idx') });
      }
    }
  });
});
