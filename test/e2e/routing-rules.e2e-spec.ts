import { call, fileAndRoute, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

const act = (h: Harness, token: string, tn: string, action: string, body: unknown = {}) => call(h, 'POST', `/api/v1/complaints/${tn}/${action}`, { token, body });

describe('routing rules, service levels and the holiday table are data an admin changes', () => {
  let h: Harness;
  let admin: string;
  let tenantAdmin: string;
  let otherTenantAdmin: string;
  let lurah: string;
  let inspector: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    tenantAdmin = (await officialIn(h, admin, 'OPD.36.73.SETDA', ['admin'])).token;
    otherTenantAdmin = (await officialIn(h, admin, 'OPD.36.71.SETDA', ['admin'])).token;
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    inspector = (await officialIn(h, admin, 'INSP.36.73', ['handler', 'inspector'])).token;
  });
  afterAll(async () => {
    // Policies set here must not outlive this file: later files share the database.
    await h.db.query(`DELETE FROM sla_policy WHERE tenant_code = '36.73' AND category_code = 'LAMPU_JALAN_MATI'`);
    await h.close();
  });

  it('reads a rule and changes it without a restart; the next complaint follows the new rule; the change is audited', async () => {
    const before = await call(h, 'GET', '/api/v1/admin/routing-rules/SAMPAH?tenant=36.73', { token: tenantAdmin });
    expect(before.body).toMatchObject({ tenant: '36.73', category: 'SAMPAH', tier: 'lurah', unit: null });
    const put = await call(h, 'PUT', '/api/v1/admin/routing-rules/SAMPAH?tenant=36.73', { token: tenantAdmin, body: { tier: 'opd', unit: 'OPD.36.73.DLH' } });
    expect(put.body).toMatchObject({ tier: 'opd', unit: 'OPD.36.73.DLH' });
    const { tn } = await fileAndRoute(h);
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: inspector })).body.handler.code).toBe('OPD.36.73.DLH');
    const [audit]: { event: string; data: Record<string, unknown>; actor_type: string }[] = await h.db.query(
      `SELECT event, data, actor_type FROM audit_entry WHERE stream = 'routing-rules:36.73' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit).toEqual({ event: 'routing_rule.changed', actor_type: 'official', data: { category: 'SAMPAH', before: { tier: 'lurah', unit: null }, after: { tier: 'opd', unit: 'OPD.36.73.DLH' } } });
    await call(h, 'PUT', '/api/v1/admin/routing-rules/SAMPAH?tenant=36.73', { token: tenantAdmin, body: { tier: 'lurah' } });
    const { tn: next } = await fileAndRoute(h);
    expect((await call(h, 'GET', `/api/v1/complaints/${next}`, { token: lurah })).body.handler.code).toBe('KEL.36.73.01.1001');
  });

  it('sends to the camat what the rules cannot place: a rule naming a unit that no longer works', async () => {
    await call(h, 'PUT', '/api/v1/admin/routing-rules/PARKIR_LIAR?tenant=36.73', { token: tenantAdmin, body: { tier: 'opd', unit: 'OPD.36.73.DISHUB' } });
    await h.db.query(`UPDATE unit SET active = false WHERE code = 'OPD.36.73.DISHUB'`);
    try {
      const { tn } = await fileAndRoute(h, { category: 'PARKIR_LIAR' });
      const view = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: inspector });
      expect(view.body).toMatchObject({ tier: 'camat', handler: { code: 'KEC.36.73.01' } });
      const [routed]: { data: { reason: string } }[] = await h.db.query(
        `SELECT a.data FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id WHERE c.tracking_number = $1 AND a.event = 'complaint.routed'`,
        [tn],
      );
      expect(routed.data.reason).toBe('fallback_camat');
    } finally {
      await h.db.query(`UPDATE unit SET active = true WHERE code = 'OPD.36.73.DISHUB'`);
    }
  });

  it('refuses bad rules with a clear error and changes nothing', async () => {
    const cases: [string, string, unknown, number][] = [
      [tenantAdmin, 'SAMPAH?tenant=36.73', { tier: 'opd' }, 422],
      [tenantAdmin, 'SAMPAH?tenant=36.73', { tier: 'opd', unit: 'OPD.36.71.DLH' }, 422],
      [tenantAdmin, 'SAMPAH?tenant=36.73', { tier: 'lurah', unit: 'OPD.36.73.DLH' }, 422],
      [tenantAdmin, 'SAMPAH?tenant=36.73', { tier: 'governor' }, 422],
      [tenantAdmin, 'NOT_A_CATEGORY?tenant=36.73', { tier: 'lurah' }, 404],
      [tenantAdmin, 'SAMPAH', { tier: 'lurah' }, 422],
      [otherTenantAdmin, 'SAMPAH?tenant=36.73', { tier: 'camat' }, 403],
      [lurah, 'SAMPAH?tenant=36.73', { tier: 'camat' }, 403],
    ];
    for (const [token, path, body, status] of cases) {
      const before = await h.db.query(`SELECT tier, unit_id FROM routing_rule WHERE tenant_code = '36.73' AND category_code = 'SAMPAH'`);
      const res = await call(h, 'PUT', `/api/v1/admin/routing-rules/${path}`, { token, body });
      expect([path, res.status]).toEqual([path, status]);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(await h.db.query(`SELECT tier, unit_id FROM routing_rule WHERE tenant_code = '36.73' AND category_code = 'SAMPAH'`)).toEqual(before);
    }
    expect((await call(h, 'PUT', '/api/v1/admin/routing-rules/SAMPAH?tenant=36.73', { body: { tier: 'lurah' } })).status).toBe(401);
  });

  it('reads and sets service levels, refusing nonsense', async () => {
    const defaults = await call(h, 'GET', '/api/v1/admin/sla/PUNGLI?tenant=36.73', { token: tenantAdmin });
    expect(defaults.body).toEqual({ tenant: '36.73', category: 'PUNGLI', first_response: { working_days: 3 }, resolution: { working_days: 60 }, configured: false });
    const set = await call(h, 'PUT', '/api/v1/admin/sla/LAMPU_JALAN_MATI?tenant=36.73', { token: tenantAdmin, body: { first_response: { working_days: 1 }, resolution: { working_days: 2 } } });
    expect(set.body).toMatchObject({ first_response: { working_days: 1 }, resolution: { working_days: 2 }, configured: true });
    const before = await writeCounts(h.db);
    for (const body of [{ first_response: { working_days: 0 }, resolution: { working_days: 2 } }, { first_response: { duration: 'soon' }, resolution: { working_days: 2 } }, { first_response: { working_days: 1 } }, { first_response: { working_days: 1, duration: 'PT1S' }, resolution: { working_days: 2 } }]) {
      expect((await call(h, 'PUT', '/api/v1/admin/sla/LAMPU_JALAN_MATI?tenant=36.73', { token: tenantAdmin, body })).status).toBe(422);
    }
    expect((await call(h, 'PUT', '/api/v1/admin/sla/LAMPU_JALAN_MATI?tenant=36.73', { token: otherTenantAdmin, body: { first_response: { working_days: 1 }, resolution: { working_days: 2 } } })).status).toBe(403);
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('keeps the official holiday table editable by the system administrator only', async () => {
    const table = await call(h, 'GET', '/api/v1/admin/holidays/2026', { token: tenantAdmin });
    expect(table.body).toHaveLength(25);
    expect(table.body).toContainEqual({ date: '2026-03-20', kind: 'cuti_bersama', name: 'Cuti bersama Idul Fitri' });
    const year2027 = [{ date: '2027-01-01', kind: 'libur_nasional', name: 'Tahun Baru 2027 Masehi' }];
    expect((await call(h, 'PUT', '/api/v1/admin/holidays/2027', { token: tenantAdmin, body: year2027 })).status).toBe(403);
    expect((await call(h, 'PUT', '/api/v1/admin/holidays/2027', { token: admin, body: [{ ...year2027[0], date: '2026-01-01' }] })).status).toBe(422);
    expect((await call(h, 'PUT', '/api/v1/admin/holidays/2027', { token: admin, body: { holidays: year2027 } })).status).toBe(422);
    expect((await call(h, 'PUT', '/api/v1/admin/holidays/2027', { token: admin, raw: '"2027-01-01"', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    const put = await call(h, 'PUT', '/api/v1/admin/holidays/2027', { token: admin, body: year2027 });
    expect(put.body).toEqual(year2027);
    expect((await call(h, 'GET', '/api/v1/admin/holidays/2027', { token: admin })).body).toEqual(year2027);
    expect((await call(h, 'DELETE', '/api/v1/admin/holidays/2027', { token: tenantAdmin })).status).toBe(403);
    expect((await call(h, 'DELETE', '/api/v1/admin/holidays/2027', { token: admin })).status).toBe(204);
    expect((await call(h, 'GET', '/api/v1/admin/holidays/2027', { token: admin })).body).toEqual([]);
  });

  describe('conflict of interest, tried from every side', () => {
    it('hides a complaint about a kelurahan office from that office everywhere, and from what it heads', async () => {
      const { tn } = await fileAndRoute(h, { category: 'PUNGLI', accused: { name: 'Oknum staf', unit: 'KEL.36.73.01.1001' } });
      const insp = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: inspector });
      expect(insp.body).toMatchObject({ tier: 'inspektorat', anonymous: true, confidential: true });
      expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah })).status).toBe(404);
      expect((await call(h, 'GET', '/api/v1/inbox', { token: lurah })).body.items.map((i: { tracking_number: string }) => i.tracking_number)).not.toContain(tn);
      for (const action of ['acknowledge', 'resolve']) expect((await act(h, lurah, tn, action, action === 'resolve' ? { resolution: 'Sudah beres semuanya.' } : {})).status).toBe(404);
      // The Inspektorat cannot pass it to the accused, nor to a unit the accused heads.
      const toAccused = await act(h, inspector, tn, 'forward', { unit: 'KEL.36.73.01.1001', reason: 'Mohon klarifikasi.' });
      expect(toAccused.status).toBe(422);
      expect(toAccused.body.errors).toEqual([{ field: 'unit', message: 'conflict of interest' }]);
    });

    it('keeps a complaint about a camat away from the camat and the kelurahan offices below', async () => {
      const camat = (await officialIn(h, admin, 'KEC.36.73.01')).token;
      const { tn } = await fileAndRoute(h, { category: 'LAINNYA', accused: { position: 'Camat', unit: 'KEC.36.73.01' } });
      expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: camat })).status).toBe(404);
      expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah })).status).toBe(404);
      const insp = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: inspector });
      expect(insp.body.tier).toBe('inspektorat');
      expect((await act(h, inspector, tn, 'forward', { unit: 'KEL.36.73.01.1002', reason: 'Coba lewat kelurahan lain.' })).status).toBe(422);
      // Returned from the Inspektorat, it goes up to the Sekda, never down to the accused camat.
      const back = await act(h, inspector, tn, 'return', { reason: 'Perlu penanganan Setda.' });
      expect(back.status).toBe(200);
      expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: camat })).status).toBe(404);
    });
  });
});
