import { call, eventually, fileAndRoute, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';
import { Fixture, recount, writeFixture } from '../support/response-times-fixture';

const PERIOD = `from=${encodeURIComponent('2026-08-01T00:00:00+07:00')}&to=${encodeURIComponent('2026-10-01T00:00:00+07:00')}`;
const KEL = 'KEL.36.04.09.2001';
const KEC = 'KEC.36.04.09';

/**
 * The Inspektorat's response times and missed deadlines over HTTP, on the hand-counted fixture
 * (docs/response-times.md, "The fixture"), projected by the worker as it runs; and every access
 * rule tried by someone it should stop.
 */
describe('response times and missed deadlines', () => {
  let h: Harness;
  let f: Fixture;
  let platform: string;
  let inspector: string;
  let otherInspector: string;
  let kecOfficial: string;
  let kelOfficial: string;
  let tenantAdmin: string;

  const get = (url: string, token?: string, headers: Record<string, string> = {}) => call(h, 'GET', url, { token, headers });
  const raw = (url: string, token: string, accept = 'text/csv') =>
    h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, accept } });
  const row = (items: { key: string }[], key: string) => items.find((r) => r.key === key);

  beforeAll(async () => {
    h = await startHarness();
    platform = await loginAdmin(h);
    inspector = (await officialIn(h, platform, 'INSP.36.04', ['inspector'])).token;
    otherInspector = (await officialIn(h, platform, 'INSP.36.73', ['inspector'])).token;
    kecOfficial = (await officialIn(h, platform, KEC)).token;
    kelOfficial = (await officialIn(h, platform, KEL)).token;
    tenantAdmin = (await officialIn(h, platform, 'OPD.36.04.SETDA', ['admin'])).token;
    f = await writeFixture(h.db);
    // The worker seals the new entries and projects them, as it does for every change.
    await eventually(async () => {
      const rows: { n: string }[] = await h.db.query(`SELECT count(*) AS n FROM response_time_assignment WHERE complaint_id = ANY($1)`, [[f.a.id, f.b.id]]);
      return Number(rows[0].n) === 4;
    }, 20_000, 'the worker to project the fixture');
  });
  afterAll(() => h.close());

  it('gives the fixture\'s figures per unit, as counted by hand', async () => {
    const res = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=unit`, inspector);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenant: '36.04', group_by: 'unit', next_offset: null });
    // Hours are the middle of the value's bucket (docs/response-times.md): the hand-counted 144 h 55 min,
    // 311 h, 166 h and 674 h read 142.93, 311.47, 164.27 and 674.13; hari kerja are exact.
    expect(row(res.body.items, KEL)).toMatchObject({
      stays: 2, acknowledged: 1, filed: 2, resolved: 0,
      first_response_median_hours: 142.93, first_response_p90_hours: 142.93, first_response_median_working_days: 3,
      first_response_within_share: 0.5, breached_first_response: 1,
      end_to_end_median_hours: 311.47, end_to_end_median_working_days: 7, paused_hours: 96, forwards: 1, escalations: 1,
      resolution_median_hours: null, open_now: 0, first_response_deadline_min_working_days: 3, first_response_deadline_max_working_days: 3,
    });
    expect(row(res.body.items, KEC)).toMatchObject({
      name: 'Kecamatan Ciruas', stays: 2, acknowledged: 1, filed: 0, resolved: 1,
      first_response_median_hours: 164.27, first_response_median_working_days: 4, first_response_within_share: 0, breached_first_response: 2,
      resolution_median_hours: 674.13, resolution_p90_hours: 674.13, resolution_median_working_days: 18, resolution_within_share: 1, breached_resolution: 0,
      reopen_rate: 1, satisfaction: 0.5, rating_mean: 3, open_now: 1, overdue_now: 1, oldest_open_submitted_at: '2026-09-01T01:00:00.000Z',
    });
    // The unit that misses most comes first when asked.
    const worst = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=unit&sort=missed_first_response&limit=1`, inspector);
    expect(worst.body.items.map((r: { key: string }) => r.key)).toEqual([KEC]);
    expect(worst.body.next_offset).toBe(1);
  });

  it('counts a period that starts mid-month as the month less the days before it', async () => {
    // From 14 Aug (UTC): August less 1–13 Aug. A's stay at the kelurahan (13 Aug) and its submission fall outside.
    const from = encodeURIComponent('2026-08-14T00:00:00Z');
    const res = await get(`/api/v1/oversight/response-times?from=${from}&to=${encodeURIComponent('2026-10-01T00:00:00+07:00')}&group_by=unit`, inspector);
    expect(row(res.body.items, KEL)).toMatchObject({ stays: 1, acknowledged: 0, filed: 1, first_response_median_working_days: null, breached_first_response: 1 });
    expect(row(res.body.items, KEC)).toMatchObject({ stays: 2, acknowledged: 1, first_response_median_working_days: 4 });
  });

  it('counts a period read through a quarter or a year less its days as the same figures', async () => {
    // 1 Jul to 30 Sep 12:00 UTC: the third quarter less 30 September, and its first twelve hours from the rows.
    // The fixture's two units only: another file's complaint still open in the tenant adds a row (open now) to every period.
    const fixture = (items: { key: string }[]) => items.filter((r) => r.key === KEL || r.key === KEC).sort((a, b) => a.key.localeCompare(b.key));
    const quarter = await get(`/api/v1/oversight/response-times?from=2026-07-01T00:00:00Z&to=2026-09-30T12:00:00Z&group_by=unit`, inspector);
    const months = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=unit`, inspector);
    expect(fixture(quarter.body.items)).toHaveLength(2);
    expect(fixture(quarter.body.items)).toEqual(fixture(months.body.items));
    // The whole of 2026 less 31 December: the year's cell less a day's.
    const year = await get(`/api/v1/oversight/response-times?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z&group_by=unit`, inspector);
    expect(fixture(year.body.items)).toEqual(fixture(months.body.items));
  });

  it('groups by kecamatan, category and tenant, and filters', async () => {
    const kec = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=kecamatan`, inspector);
    expect(row(kec.body.items, '36.04.09')).toMatchObject({ name: 'Ciruas', stays: 4, acknowledged: 2, filed: 2, resolved: 1, breached_first_response: 3 });
    const cat = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=category&kecamatan=36.04.09`, inspector);
    expect(cat.body.items.map((r: { key: string; stays: number }) => [r.key, r.stays])).toEqual([['JALAN_RUSAK', 2], ['SAMPAH', 2]]);
    expect(cat.body.items.map((r: { first_response_deadline_max_working_days: number }) => r.first_response_deadline_max_working_days)).toEqual([3, 3]);
    const tenant = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=tenant&unit=${KEC}`, inspector);
    expect(tenant.body.items).toEqual([expect.objectContaining({ key: '36.04', stays: 2, resolved: 1, open_now: 1 })]);
  });

  it('gives the shortest and longest first-response deadline each group\'s stays were given', async () => {
    // The kecamatan's first stay had a category with a 5-day deadline.
    await h.db.query(`UPDATE assignment SET first_response_working_days = 5 WHERE id = $1`, [f.a.second]);
    await recount(h.api, [f.a.id]);
    try {
      const res = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=unit`, inspector);
      expect(row(res.body.items, KEC)).toMatchObject({ first_response_deadline_min_working_days: 3, first_response_deadline_max_working_days: 5 });
      expect(row(res.body.items, KEL)).toMatchObject({ first_response_deadline_min_working_days: 3, first_response_deadline_max_working_days: 3 });
      const detail = await get(`/api/v1/oversight/response-times/units/${KEC}?${PERIOD}`, inspector);
      expect(detail.body.figures).toMatchObject({ first_response_deadline_min_working_days: 3, first_response_deadline_max_working_days: 5 });
      expect(detail.body.by_category.map((r: { key: string; first_response_deadline_max_working_days: number }) => [r.key, r.first_response_deadline_max_working_days])).toEqual([['JALAN_RUSAK', 3], ['SAMPAH', 5]]);
    } finally {
      await h.db.query(`UPDATE assignment SET first_response_working_days = 3 WHERE id = $1`, [f.a.second]);
      await recount(h.api, [f.a.id]);
    }
  });

  it('gives one unit\'s detail, by category', async () => {
    const res = await get(`/api/v1/oversight/response-times/units/${KEC}?${PERIOD}`, inspector);
    expect(res.status).toBe(200);
    expect(res.body.figures).toMatchObject({ key: KEC, stays: 2, resolved: 1 });
    expect(res.body.by_category.map((r: { key: string; resolved: number }) => [r.key, r.resolved])).toEqual([['JALAN_RUSAK', 0], ['SAMPAH', 1]]);
  });

  it('lists each missed deadline with who held the complaint and what happened next', async () => {
    const res = await get(`/api/v1/oversight/breaches?${PERIOD}`, inspector);
    expect(res.status).toBe(200);
    const mine = res.body.items.filter((b: { tracking_number: string }) => [f.a.tn, f.b.tn].includes(b.tracking_number));
    expect(mine).toEqual([
      expect.objectContaining({ tracking_number: f.b.tn, kind: 'first_response', held_by: KEL, next: 'escalated', next_unit: KEC, status_now: 'routed', held_by_now: KEC, breached_at: '2026-09-04T17:00:03.000Z' }),
      expect.objectContaining({ tracking_number: f.a.tn, kind: 'first_response', held_by: KEC, held_by_name: 'Kecamatan Ciruas', next: 'answered_late', next_at: '2026-08-26T01:00:00.000Z', status_now: 'closed', due_at: '2026-08-24T16:59:59.999Z' }),
    ]);
    const page = await get(`/api/v1/oversight/breaches?${PERIOD}&limit=1`, inspector);
    expect(page.body.items).toHaveLength(1);
    const next = await get(`/api/v1/oversight/breaches?${PERIOD}&limit=1&before=${encodeURIComponent(page.body.next_before)}`, inspector);
    expect(next.body.items[0].breach_id).not.toBe(page.body.items[0].breach_id);
    expect(next.body.items[0].breached_at < page.body.items[0].breached_at).toBe(true);
  });

  it('streams CSV a spreadsheet opens: header, one line per row, the fixture\'s numbers', async () => {
    const res = await raw(`/api/v1/oversight/response-times?${PERIOD}&group_by=unit`, inspector);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="aduan-response-times.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0].startsWith('\uFEFF"key","name","filed","stays","acknowledged","resolved","first_response_median_hours"')).toBe(true);
    expect(lines[0].endsWith('"first_response_deadline_min_working_days","first_response_deadline_max_working_days"')).toBe(true);
    expect(lines.find((l) => l.startsWith(`"${KEC}"`))).toMatch(/^"KEC\.36\.04\.09","Kecamatan Ciruas","0","2","1","1","164.27",/);
    const breaches = await raw(`/api/v1/oversight/breaches?${PERIOD}&format=csv`, inspector, 'application/json');
    expect(breaches.headers['content-type']).toMatch(/^text\/csv/);
    expect(breaches.body.split('\r\n').filter((l) => l.includes(f.a.tn) || l.includes(f.b.tn))).toHaveLength(2);
    // Complaint text is never in these files; the fixture's description starts with '='.
    expect(res.body + breaches.body).not.toContain('SUM(1+1)');
  });

  it('writes a cell a spreadsheet would run as a formula as text, and refuses before the file starts', async () => {
    const [unit]: { name: string }[] = await h.db.query(`SELECT name FROM unit WHERE code = $1`, [KEC]);
    await h.db.query(`UPDATE unit SET name = '=HYPERLINK("http://contoh.invalid","buka")' WHERE code = $1`, [KEC]);
    try {
      const figures = await raw(`/api/v1/oversight/response-times?${PERIOD}&group_by=unit`, inspector);
      expect(figures.body).toContain(`"KEC.36.04.09","'=HYPERLINK(""http://contoh.invalid"",""buka"")"`);
      const breaches = await raw(`/api/v1/oversight/breaches?${PERIOD}`, inspector);
      expect(breaches.body).toContain(`"'=HYPERLINK(""http://contoh.invalid"",""buka"")"`);
    } finally {
      await h.db.query(`UPDATE unit SET name = $2 WHERE code = $1`, [KEC, unit.name]);
    }
    const refused = await raw(`/api/v1/oversight/breaches?${PERIOD}&unit=${KEL}`, kecOfficial);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('shows a unit\'s officials their own unit only', async () => {
    const own = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=unit`, kecOfficial);
    expect(own.status).toBe(200);
    expect(own.body.items.map((r: { key: string }) => r.key)).toEqual([KEC]);
    const byCategory = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=category`, kelOfficial);
    expect(byCategory.body.items.reduce((n: number, r: { stays: number; resolved: number }) => n + r.stays + r.resolved, 0)).toBe(2);
    expect((await get(`/api/v1/oversight/response-times?${PERIOD}&unit=${KEL}`, kecOfficial)).status).toBe(403);
    expect((await get(`/api/v1/oversight/response-times/units/${KEL}?${PERIOD}`, kecOfficial)).status).toBe(403);
    expect((await get(`/api/v1/oversight/response-times/units/${KEC}?${PERIOD}`, kecOfficial)).status).toBe(200);
    const breaches = await get(`/api/v1/oversight/breaches?${PERIOD}`, kecOfficial);
    expect(breaches.body.items.map((b: { held_by: string }) => b.held_by)).toEqual([KEC]);
    expect((await get(`/api/v1/oversight/breaches?${PERIOD}&unit=${KEL}`, kecOfficial)).status).toBe(403);
  });

  it('gives administrators the figures, never which complaint', async () => {
    const figures = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=unit`, tenantAdmin);
    expect(row(figures.body.items, KEC)).toMatchObject({ stays: 2, resolved: 1 });
    const breaches = await get(`/api/v1/oversight/breaches?${PERIOD}`, tenantAdmin);
    expect(breaches.status).toBe(200);
    expect(breaches.body.items.length).toBeGreaterThanOrEqual(2);
    expect(breaches.body.items.every((b: { tracking_number: string | null }) => b.tracking_number === null)).toBe(true);
    const csv = await raw(`/api/v1/oversight/breaches?${PERIOD}`, tenantAdmin);
    expect(csv.body).not.toContain(f.a.tn);
    expect(csv.body).not.toContain(f.b.tn);
    // The platform admin names the tenant; without one the request is incomplete.
    expect((await get(`/api/v1/oversight/response-times?${PERIOD}`, platform)).status).toBe(422);
    expect(row((await get(`/api/v1/oversight/response-times?${PERIOD}&tenant=36.04`, platform)).body.items, KEC)).toMatchObject({ stays: 2 });
    expect((await get(`/api/v1/oversight/response-times?${PERIOD}&tenant=36.73`, tenantAdmin)).status).toBe(403);
  });

  it('keeps other tenants and strangers out', async () => {
    expect((await get(`/api/v1/oversight/response-times?${PERIOD}&tenant=36.04`, otherInspector)).status).toBe(403);
    expect((await get(`/api/v1/oversight/breaches?${PERIOD}&tenant=36.04`, otherInspector)).status).toBe(403);
    const own = await get(`/api/v1/oversight/response-times?${PERIOD}&group_by=unit`, otherInspector);
    expect(own.body.tenant).toBe('36.73');
    expect(row(own.body.items, KEC)).toBeUndefined();
    expect((await get(`/api/v1/oversight/response-times`)).status).toBe(401);
    expect((await raw(`/api/v1/oversight/breaches`, 'not-a-token')).statusCode).toBe(401);
  });

  it('leaves out of an inspector\'s breach list a complaint that may accuse the Inspektorat', async () => {
    const [insp]: { id: string }[] = await h.db.query(`SELECT id FROM unit WHERE code = 'INSP.36.04'`);
    await h.db.query(`UPDATE complaint SET accused_unit_ids = ARRAY[$2::uuid] WHERE id = $1`, [f.b.id, insp.id]);
    try {
      const tns = (await get(`/api/v1/oversight/breaches?${PERIOD}`, inspector)).body.items.map((b: { tracking_number: string }) => b.tracking_number);
      expect(tns).toContain(f.a.tn);
      expect(tns).not.toContain(f.b.tn);
    } finally {
      await h.db.query(`UPDATE complaint SET accused_unit_ids = '{}' WHERE id = $1`, [f.b.id]);
    }
  });

  it('refuses bad filters with the documented error', async () => {
    for (const query of ['group_by=desa', 'from=yesterday', 'limit=0', 'unit=%3Bdrop', 'sort=worst', 'extra=1']) {
      const res = await get(`/api/v1/oversight/response-times?${query}`, inspector);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await get(`/api/v1/oversight/response-times?from=2026-10-01T00:00:00Z&to=2026-08-01T00:00:00Z`, inspector)).status).toBe(422);
    expect((await get(`/api/v1/oversight/response-times?unit=KEC.99.99.99`, inspector)).status).toBe(422);
    expect((await get(`/api/v1/oversight/breaches?before=x`, inspector)).status).toBe(422);
  });

  it('follows a complaint through the real pipeline: the worker projects each step', async () => {
    const { tn } = await fileAndRoute(h, { kelurahan: '36.04.09.2002', category: 'SAMPAH' });
    const lurah = (await officialIn(h, platform, 'KEL.36.04.09.2002')).token;
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/acknowledge`, { token: lurah, body: {} })).status).toBe(200);
    const projected = await eventually(async () => {
      const rows: { responded_at: Date | null; met: boolean | null; first_response_at: Date | null }[] = await h.db.query(
        `SELECT a.responded_at, a.met, c.first_response_at FROM response_time_assignment a JOIN response_time_complaint c USING (complaint_id)
          JOIN complaint x ON x.id = a.complaint_id WHERE x.tracking_number = $1`, [tn]);
      return rows[0]?.responded_at ? rows[0] : null;
    }, 20_000, 'the acknowledgement to be projected');
    expect(projected.met).toBe(true);
    expect(projected.first_response_at).toEqual(projected.responded_at);
  });
});
