import { insertAuditSql, lockStream, sealOnto } from '@aduan/audit';
import { SqlStatement } from '@aduan/platform';
import { call, complaintBody, fileAndRoute, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

const act = (h: Harness, token: string, tn: string, action: string, body: unknown = {}) => call(h, 'POST', `/api/v1/complaints/${tn}/${action}`, { token, body });

interface Entry { id: string; stream: string; seq: number; at: string; event: string; chain: string; checkpoint: string; actor: { id: string | null; username: string | null }; tracking_number: string | null; data: Record<string, unknown> }

/**
 * The Inspektorat reads the audit log through the product: a complaint's whole trail with its chain
 * verdict, an official's, a unit's, a rule's. Inspectors of the tenant only; every way round it is
 * tried here.
 */
describe('audit trails for the Inspektorat', () => {
  let h: Harness;
  let admin: string;
  let inspector: { token: string; username: string };
  let otherInspector: { token: string; username: string };
  let lurah: { token: string; username: string };
  let tenantAdmin: { token: string; username: string };
  let tn: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    inspector = await officialIn(h, admin, 'INSP.36.73', ['inspector']);
    otherInspector = await officialIn(h, admin, 'INSP.36.71', ['inspector']);
    lurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
    tenantAdmin = await officialIn(h, admin, 'OPD.36.73.SETDA', ['admin']);
    tn = (await fileAndRoute(h, { anonymous: false, confidential: false, reporter: { name: 'Warga Jejak' } })).tn;
    expect((await act(h, lurah.token, tn, 'acknowledge')).status).toBe(200);
    expect((await act(h, lurah.token, tn, 'forward', { unit: 'KEC.36.73.01', reason: 'Wewenang kecamatan, bukan kelurahan.' })).status).toBe(200);
    await h.quiet();
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/reveal-reporter`, { token: inspector.token, body: { reason: 'Pemeriksaan dugaan laporan palsu nomor 7/2026.' } })).status).toBe(200);
  });
  afterAll(() => h.close());

  it('shows a complaint’s whole history, oldest first, each entry checked, and the chain intact', async () => {
    const res = await call(h, 'GET', `/api/v1/audit/complaints/${tn}`, { token: inspector.token });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const entries = res.body.entries as Entry[];
    expect(entries.map((e) => e.event)).toEqual(['complaint.submitted', 'complaint.routed', 'complaint.assigned', 'complaint.acknowledged', 'complaint.forwarded', 'complaint.reporter_revealed']);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries.every((e) => e.chain === 'intact' && ['checkpointed', 'sealed', 'pending'].includes(e.checkpoint))).toBe(true);
    expect(res.body.chain).toEqual({ status: 'intact', entries: 6, first_broken: null });
    expect(entries[3]).toMatchObject({ actor: { username: lurah.username }, channel: 'api', outcome: 'success', request_id: expect.any(String) });
    expect(entries[5]).toMatchObject({ actor: { username: inspector.username }, data: { reason: 'Pemeriksaan dugaan laporan palsu nomor 7/2026.' } });
    // The reporter's name is in the complaint, never in its trail.
    expect(JSON.stringify(res.body)).not.toContain('Warga Jejak');
  });

  it('shows an official’s trail: what they did, and their sign-ins, newest first, paged', async () => {
    const res = await call(h, 'GET', `/api/v1/audit/officials/${lurah.username}`, { token: inspector.token });
    expect(res.status).toBe(200);
    const events = (res.body.entries as Entry[]).map((e) => e.event);
    expect(events.slice(0, 2)).toEqual(['complaint.forwarded', 'complaint.acknowledged']);
    expect(events).toContain('officials.signed_in');
    expect(events).toContain('officials.created');
    expect((res.body.entries as Entry[]).find((e) => e.event === 'complaint.forwarded')!.tracking_number).toBe(tn);
    const first = await call(h, 'GET', `/api/v1/audit/officials/${lurah.username}?limit=1`, { token: inspector.token });
    expect(first.body.entries).toHaveLength(1);
    const second = await call(h, 'GET', `/api/v1/audit/officials/${first.body.entries[0].actor.id}?limit=1&before=${encodeURIComponent(first.body.next_before)}`, { token: inspector.token });
    expect(second.status).toBe(200);
    expect(second.body.entries[0].event).toBe('complaint.acknowledged');
  });

  it('pages through entries that share a timestamp without skipping or repeating one', async () => {
    // One transaction's entries share `at`: here five, on two streams, all naming one official.
    const subject = await officialIn(h, admin, 'KEL.36.73.01.1002');
    const [{ id: officialId }]: { id: string }[] = await h.db.query(`SELECT id FROM official WHERE username = $1`, [subject.username]);
    const at = new Date();
    await h.db.transaction(async (m) => {
      for (const [stream, n] of [[`paging-a-${officialId}:36.73`, 3], [`paging-b-${officialId}:36.73`, 2]] as const) {
        await lockStream(m, stream);
        const records = Array.from({ length: n }, (_, i) => ({ stream, actor: { type: 'system' as const, id: 'paging-test' }, event: 'test.paging_tie', data: { official_id: officialId, n: i + 1 }, channel: 'cli' as const }));
        const s = new SqlStatement();
        await m.query(insertAuditSql(s, await sealOnto(m, records, at)), s.params);
      }
    });
    const url = `/api/v1/audit/officials/${subject.username}`;
    const whole = (await call(h, 'GET', `${url}?limit=1000`, { token: inspector.token })).body.entries as Entry[];
    const ties = whole.filter((e) => e.event === 'test.paging_tie');
    expect(ties.map((e) => [e.stream.slice(0, 8), e.seq])).toEqual([['paging-b', 2], ['paging-b', 1], ['paging-a', 3], ['paging-a', 2], ['paging-a', 1]]);
    expect(new Set(ties.map((e) => e.at)).size).toBe(1);
    const paged: string[] = [];
    let before: string | null = null;
    for (let pages = 0; pages < whole.length + 1; pages++) {
      const res = await call(h, 'GET', `${url}?limit=2${before ? `&before=${before}` : ''}`, { token: inspector.token });
      expect(res.status).toBe(200);
      paged.push(...(res.body.entries as Entry[]).map((e) => e.id));
      before = res.body.next_before;
      if (!before) break;
    }
    expect(paged).toEqual(whole.map((e) => e.id));
    // A time still works as `before` (strictly older), and a cursor naming no entry is refused.
    const older = await call(h, 'GET', `${url}?before=${encodeURIComponent(at.toISOString())}`, { token: inspector.token });
    expect((older.body.entries as Entry[]).map((e) => e.id)).toEqual(whole.filter((e) => e.at < at.toISOString()).map((e) => e.id));
    expect((await call(h, 'GET', `${url}?before=00000000-0000-4000-8000-000000000000`, { token: inspector.token })).status).toBe(422);
  });

  it('shows a unit’s trail (routed to it, forwarded from it) and a rule’s (routing and SLA changes)', async () => {
    const kelurahan = await call(h, 'GET', '/api/v1/audit/units/KEL.36.73.01.1001', { token: inspector.token });
    expect(kelurahan.status).toBe(200);
    const events = (body: { entries: Entry[] }) => body.entries.filter((e) => e.tracking_number === tn).map((e) => e.event);
    expect(events(kelurahan.body)).toEqual(['complaint.forwarded', 'complaint.acknowledged', 'complaint.assigned', 'complaint.routed']);
    const kecamatan = await call(h, 'GET', '/api/v1/audit/units/KEC.36.73.01', { token: inspector.token });
    expect(events(kecamatan.body)).toEqual(['complaint.forwarded']);

    // Put back what is there: other files share this database and its routing.
    const current = (await call(h, 'GET', '/api/v1/admin/routing-rules/DRAINASE_BANJIR?tenant=36.73', { token: tenantAdmin.token })).body;
    const changed = await call(h, 'PUT', '/api/v1/admin/routing-rules/DRAINASE_BANJIR?tenant=36.73', { token: tenantAdmin.token, body: { tier: current.tier, ...(current.unit ? { unit: current.unit } : {}) } });
    expect([changed.status, changed.body]).toEqual([200, expect.anything()]);
    const rule = await call(h, 'GET', '/api/v1/audit/rules/DRAINASE_BANJIR', { token: inspector.token });
    expect(rule.status).toBe(200);
    expect(rule.body.entries[0]).toMatchObject({ event: 'routing_rule.changed', stream: 'routing-rules:36.73', actor: { username: tenantAdmin.username }, chain: 'intact', data: { category: 'DRAINASE_BANJIR', after: { tier: current.tier } } });
    // The other tenant's inspector sees none of 36.73's rule changes.
    expect((await call(h, 'GET', '/api/v1/audit/rules/DRAINASE_BANJIR', { token: otherInspector.token })).body.entries.filter((e: Entry) => e.stream === 'routing-rules:36.73')).toEqual([]);
  });

  it('refuses everyone but the tenant’s inspectors: 401 without a token, 403 for handlers and admins, 404 across tenants', async () => {
    const urls = [`/api/v1/audit/complaints/${tn}`, `/api/v1/audit/officials/${lurah.username}`, '/api/v1/audit/units/KEL.36.73.01.1001', '/api/v1/audit/rules/SAMPAH'];
    for (const url of urls) {
      expect([url, (await call(h, 'GET', url)).status]).toEqual([url, 401]);
      expect([url, (await call(h, 'GET', url, { token: lurah.token })).status]).toEqual([url, 403]);
      expect([url, (await call(h, 'GET', url, { token: tenantAdmin.token })).status]).toEqual([url, 403]);
      expect([url, (await call(h, 'GET', url, { token: admin })).status]).toEqual([url, 403]);
    }
    for (const url of [`/api/v1/audit/complaints/${tn}`, `/api/v1/audit/officials/${lurah.username}`, '/api/v1/audit/units/KEL.36.73.01.1001']) {
      expect([url, (await call(h, 'GET', url, { token: otherInspector.token })).status]).toEqual([url, 404]);
    }
    for (const url of ['/api/v1/audit/complaints/ADN-000000-XXXXXX', "/api/v1/audit/officials/'%20OR%201=1", '/api/v1/audit/units/NOPE', '/api/v1/audit/rules/NOPE']) {
      expect([url, (await call(h, 'GET', url, { token: inspector.token })).status]).toEqual([url, 404]);
    }
    for (const q of ['limit=0', 'limit=5000', 'before=yesterday', 'sort=at']) {
      expect([q, (await call(h, 'GET', `/api/v1/audit/units/KEL.36.73.01.1001?${q}`, { token: inspector.token })).status]).toEqual([q, 422]);
    }
  });

  it('hides a complaint that may accuse the inspector’s own unit, in every trail', async () => {
    const accusing = (await fileAndRoute(h, complaintBody({ description: 'Petugas Inspektorat meminta uang agar laporan ditutup.', accused: { name: 'Pak Budi', position: 'Inspektorat Kota Serang' } }))).tn;
    const [row]: { accused: string[] }[] = await h.db.query(
      `SELECT array(SELECT u.code FROM unit u WHERE u.id = ANY(c.accused_unit_ids)) AS accused FROM complaint c WHERE c.tracking_number = $1`,
      [accusing],
    );
    // Only meaningful if intake did name the Inspektorat; otherwise there is nothing to hide.
    if (!row.accused.includes('INSP.36.73')) {
      await h.db.query(`UPDATE complaint SET accused_unit_ids = array_append(accused_unit_ids, (SELECT id FROM unit WHERE code = 'INSP.36.73')) WHERE tracking_number = $1`, [accusing]);
    }
    expect((await call(h, 'GET', `/api/v1/audit/complaints/${accusing}`, { token: inspector.token })).status).toBe(404);
    const unitTrail = await call(h, 'GET', '/api/v1/audit/units/INSP.36.73?limit=1000', { token: inspector.token });
    expect((unitTrail.body.entries as Entry[]).some((e) => e.tracking_number === accusing)).toBe(false);
  });
});
