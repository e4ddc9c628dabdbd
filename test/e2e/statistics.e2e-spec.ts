import { randomUUID } from 'node:crypto';
import { call, complaintBody, eventually, Harness, startHarness } from '../support/harness';

const DAY = 86_400_000;
const KEL = { a: 'KEL.36.71.01.1001', b: 'KEL.36.71.01.1002', c: 'KEL.36.71.01.1003', d: 'KEL.36.71.01.1004', e: 'KEL.36.71.01.1005' };
const KEC = 'KEC.36.71.02';
const KEC3 = 'KEC.36.71.03';

type Row = { code: string; received: number | null; first_response_median_working_days: number | null; first_response_within_share: number | null; finished: number | null; ratings: number | null; rating_mean: number | null; hidden: string[] };

/**
 * The public statistics of Kota Tangerang over HTTP: figures counted from read-model rows this file
 * writes (the other files do not file in 36.71.01), small counts hidden with their complements,
 * a confidential complaint counted, a complaint about an official counted against the unit that
 * handled it and never the accused; cacheable.
 */
describe('GET /api/v1/statistics', () => {
  let h: Harness;
  const unitId = new Map<string, string>();
  const tns: string[] = [];

  /** `n` stays at a unit, `days` working days each to the first response (null: never), met or not. */
  async function stays(code: string, list: { days: number | null; met: boolean | null }[]) {
    for (const s of list) {
      const assigned = new Date(Date.now() - 20 * DAY);
      await h.db.query(
        `INSERT INTO response_time_assignment (assignment_id, complaint_id, tenant_code, category_code, kelurahan_code, kecamatan_code, unit_id, via,
            assigned_at, due_at, responded_at, response_ms, response_working_days, met)
         VALUES ($1, $2, '36.71', 'SAMPAH', '36.71.01.1001', '36.71.01', $3, 'routed', $4, $5, $6, $7, $8, $9)`,
        [randomUUID(), randomUUID(), unitId.get(code), assigned, new Date(assigned.getTime() + 3 * DAY), s.days === null ? null : new Date(assigned.getTime() + s.days * DAY),
          s.days === null ? null : s.days * DAY, s.days, s.met],
      );
    }
  }
  async function finished(code: string, ratings: (number | null)[]) {
    for (const rating of ratings) {
      await h.db.query(
        `INSERT INTO response_time_complaint (complaint_id, tenant_code, category_code, kelurahan_code, kecamatan_code, submitted_at, status, open,
            resolved_at, resolved_by_unit_id, satisfied_verdicts, rating_sum, rating_count)
         VALUES ($1, '36.71', 'SAMPAH', '36.71.01.1001', '36.71.01', $2, 'closed', false, $3, $4, $5, $6, $7)`,
        [randomUUID(), new Date(Date.now() - 30 * DAY), new Date(Date.now() - 10 * DAY), unitId.get(code), rating === null ? 0 : 1, rating ?? 0, rating === null ? 0 : 1],
      );
    }
  }
  const unitRow = (body: { groups: { units: (Row & { code: string })[] }[] }, code: string) => body.groups.flatMap((g) => g.units).find((u) => u.code === code)!;

  let body: any;
  let raw: { statusCode: number; headers: Record<string, unknown>; body: string; rawPayload: Buffer };

  beforeAll(async () => {
    h = await startHarness();
    for (const r of (await h.db.query(`SELECT id, code FROM unit WHERE tenant_code = '36.71'`)) as { id: string; code: string }[]) unitId.set(r.code, r.id);
    // A clean tenant: the read model is a projection, and this file is the only one counting 36.71.
    await h.db.query(`DELETE FROM response_time_assignment WHERE tenant_code = '36.71'`);
    await h.db.query(`DELETE FROM response_time_complaint WHERE tenant_code = '36.71'`);
    // A: 12 stays (8 within, 4 late); B: 2 (hidden); C: 7; a kecamatan office 6, and one older than 90 days.
    await stays(KEL.a, [0, 1, 1, 1, 1, 2, 2, 3].map((days): { days: number | null; met: boolean } => ({ days, met: true })).concat([5, 6, 7, null].map((days) => ({ days, met: false }))));
    await stays(KEL.b, [{ days: 0, met: true }, { days: 9, met: false }]);
    await stays(KEL.c, [1, 1, 2, 2, 2, 3, 4].map((days) => ({ days, met: true })));
    await stays(KEC, [{ days: 9, met: false }]);
    await h.db.query(`UPDATE response_time_assignment SET assigned_at = now() - interval '91 days' WHERE unit_id = $1`, [unitId.get(KEC)]);
    await stays(KEC, [1, 1, 2, 2, 3, 3].map((days) => ({ days, met: true })));
    await stays(KEC3, [1, 1, 1, 1, 1].map((days) => ({ days, met: true })));
    await finished(KEL.a, [5, 4, 4, 3, 5, null]);
    // One finished at a kecamatan office, hidden with its complement at another.
    await finished(KEC, [2]);
    await finished(KEC3, [3, 3, 4, 4, 5, 5]);
    // Through the pipeline: a confidential complaint at D, and one about D's lurah (so never placed at D).
    for (const extra of [
      { kelurahan: '36.71.01.1005', confidential: true, description: 'Lampu jalan padam di gang rahasia nomor tujuh sejak lama.' },
      { kelurahan: '36.71.01.1004', accused: { unit: KEL.d, position: 'Lurah' }, description: 'Pak Lurah meminta uang untuk surat pengantar yang seharusnya gratis.' },
    ]) {
      const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody(extra) });
      expect(res.status).toBe(201);
      tns.push(res.body.tracking_number);
    }
    await h.quiet();
    await eventually(async () => {
      const [{ n }]: { n: string }[] = await h.db.query(
        `SELECT count(*) AS n FROM response_time_assignment a JOIN complaint c ON c.id = a.complaint_id WHERE c.tracking_number = ANY($1)`, [tns]);
      return Number(n) >= 2;
    }, 20_000, 'the worker to project the two complaints');
    raw = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/v1/statistics?tenant=36.71' });
    body = JSON.parse(raw.body);
  });
  afterAll(() => h.close());

  it('counts per unit over the last 90 days: median first response in hari kerja, share within the deadline, finished, ratings', () => {
    expect(raw.statusCode).toBe(200);
    expect(body).toMatchObject({ tenant: { code: '36.71', name: 'Kota Tangerang' }, period_days: 90, threshold: 5 });
    expect(new Date(body.to).getTime() - new Date(body.from).getTime()).toBe(90 * DAY);
    expect(unitRow(body, KEL.a)).toMatchObject({
      received: 12, first_response_median_working_days: 2, first_response_within_share: 0.667, finished: 6, ratings: 5, rating_mean: 4.2, hidden: [],
    });
    expect(unitRow(body, KEL.c)).toMatchObject({ received: 7, first_response_median_working_days: 2, first_response_within_share: 1 });
    // The stay older than 90 days is not counted.
    expect(unitRow(body, KEC)).toMatchObject({ received: 6, first_response_median_working_days: 2, first_response_within_share: 1 });
    expect(body.groups.map((g: { group: string }) => g.group)).toEqual(['kelurahan', 'kecamatan', 'opd']);
    // 12 + 2 + 7 + 1 (the confidential complaint) at kelurahan offices, 11 at kecamatan offices, 1 at the Inspektorat.
    expect(body.total.received).toBe(34);
    expect(body.groups[0].total.received).toBe(22);
  });

  it('carries the hiding up a level: the Inspektorat\'s one stay hides the OPD table\'s total, and another table\'s total and row with it', () => {
    expect(body.groups[2].total).toMatchObject({ received: null, hidden: expect.arrayContaining(['received']) });
    expect(body.groups[1].total).toMatchObject({ received: null, hidden: expect.arrayContaining(['received']) });
    expect(unitRow(body, KEC3)).toMatchObject({ received: null });
  });

  it('hides small counts, never one alone, so none comes back by subtraction from the totals', () => {
    const b = unitRow(body, KEL.b);
    expect(b).toMatchObject({ received: null, first_response_median_working_days: null, first_response_within_share: null });
    expect(b.hidden).toContain('received');
    for (const group of body.groups as { total: Row; units: Row[] }[]) {
      for (const measure of ['received', 'finished', 'ratings'] as const) {
        const hidden = group.units.filter((u) => u.hidden.includes(measure));
        if (group.total[measure] !== null) expect(hidden.length === 0 || hidden.length >= 2).toBe(true);
        for (const u of group.units) expect(u.hidden.includes(measure)).toBe(u[measure] === null);
      }
    }
    // The kecamatan office's one finished complaint and its rating: hidden, and the other office's with them.
    expect(unitRow(body, KEC)).toMatchObject({ finished: null, ratings: null, rating_mean: null });
    expect(unitRow(body, KEC3)).toMatchObject({ finished: null, ratings: null, rating_mean: null });
    expect(body.groups[1].total).toMatchObject({ finished: 7, ratings: 7, rating_mean: 3.7 });
  });

  it('counts a confidential complaint without showing it, and a complaint about an official against the unit that handled it', async () => {
    expect(unitRow(body, KEL.e).hidden).toContain('received');
    const [accused]: { unit: string }[] = await h.db.query(
      `SELECT u.code AS unit FROM complaint c JOIN unit u ON u.id = c.current_unit_id WHERE c.tracking_number = $1`, [tns[1]]);
    expect(accused.unit).not.toBe(KEL.d);
    expect(unitRow(body, KEL.d)).toMatchObject({ received: 0, hidden: [] });
    const handler = unitRow(body, accused.unit);
    expect(handler.received === null ? handler.hidden.includes('received') : handler.received >= 1).toBe(true);
    for (const tn of tns) expect(raw.body).not.toContain(tn);
    expect(raw.body).not.toMatch(/gang rahasia|surat pengantar/);
  });

  it('is cacheable: public max-age, an ETag that answers 304, compressed', async () => {
    expect(raw.headers['cache-control']).toBe('public, max-age=300');
    const etag = String(raw.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    const again = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/v1/statistics?tenant=36.71', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const br = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/v1/statistics?tenant=36.71', headers: { 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(raw.rawPayload.length / 3);
  });

  it('refuses a bad or unknown tenant in the documented error shape', async () => {
    const bad = await call(h, 'GET', '/api/v1/statistics?tenant=36');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'tenant', message: 'must be a tenant code like 36.73' });
    const unknown = await call(h, 'GET', '/api/v1/statistics?tenant=99.99');
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ field: 'tenant', message: 'unknown tenant' });
    expect((await call(h, 'GET', '/api/v1/statistics')).status).toBe(422);
    expect((await call(h, 'GET', '/api/v1/statistics?tenant=36.71&extra=1')).status).toBe(422);
  });
});
