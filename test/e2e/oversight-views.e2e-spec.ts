import { call, complaintBody, fileAndRoute, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

const act = (h: Harness, token: string, tn: string, action: string, body: unknown = {}) => call(h, 'POST', `/api/v1/complaints/${tn}/${action}`, { token, body });
const FORMULA_REASON = '=HYPERLINK("http://contoh.invalid","buka") pemeriksaan laporan palsu 9/2026';

/**
 * The Inspektorat's integrity views answer its questions from the product: who revealed which
 * reporter and why, which rules changed and by whom, where complaints about officials went, which
 * complaints bounced between units, who rejected what against their peers, who created which
 * accounts — as JSON and as CSV a spreadsheet cannot be tricked by.
 */
describe('integrity views for the Inspektorat', () => {
  let h: Harness;
  let admin: string;
  let inspector: string;
  let otherInspector: string;
  let lurah: { token: string; username: string };
  let camat: { token: string; username: string };
  let tenantAdmin: { token: string; username: string };
  let revealed: string;
  let bounced: string;

  const view = (name: string, token: string, query = '') => call(h, 'GET', `/api/v1/oversight/views/${name}${query}`, { token });

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    inspector = (await officialIn(h, admin, 'INSP.36.73', ['inspector'])).token;
    otherInspector = (await officialIn(h, admin, 'INSP.36.71', ['inspector'])).token;
    lurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
    camat = await officialIn(h, admin, 'KEC.36.73.01');
    tenantAdmin = await officialIn(h, admin, 'OPD.36.73.SETDA', ['admin']);

    revealed = (await fileAndRoute(h, { anonymous: false, confidential: false, reporter: { name: 'Warga Pandangan' } })).tn;
    expect((await call(h, 'POST', `/api/v1/complaints/${revealed}/reveal-reporter`, { token: inspector, body: { reason: FORMULA_REASON } })).status).toBe(200);

    // Kelurahan → kecamatan → back → kecamatan again: three hand-offs.
    bounced = (await fileAndRoute(h)).tn;
    expect((await act(h, lurah.token, bounced, 'forward', { unit: 'KEC.36.73.01', reason: 'Wewenang kecamatan, bukan kami.' })).status).toBe(200);
    expect((await act(h, camat.token, bounced, 'return', { reason: 'Ini tetap urusan kelurahan.' })).status).toBe(200);
    expect((await act(h, lurah.token, bounced, 'forward', { unit: 'KEC.36.73.01', reason: 'Tetap wewenang kecamatan, mohon.' })).status).toBe(200);

    const rejected = (await fileAndRoute(h)).tn;
    expect((await act(h, lurah.token, rejected, 'reject', { reason: 'invalid', note: 'Lokasi tidak ada di wilayah kami.' })).status).toBe(200);
    await h.quiet();
  });
  afterAll(() => h.close());

  it('lists every reveal with who, when and why; the CSV shows a formula as text', async () => {
    const res = await view('reveals', inspector);
    expect(res.status).toBe(200);
    expect(res.body.view).toBe('reveals');
    expect(res.body.items.find((r: { tracking_number: string }) => r.tracking_number === revealed)).toMatchObject({ unit: 'INSP.36.73', reason: FORMULA_REASON, official_username: expect.any(String) });
    const csv = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/v1/oversight/views/reveals?format=csv', headers: { authorization: `Bearer ${inspector}` } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="aduan-reveals.csv"');
    const line = csv.body.split('\r\n').find((l) => l.includes(revealed))!;
    expect(line).toContain(`"'=HYPERLINK(""http://contoh.invalid"",""buka"") pemeriksaan`);
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFF"at","tracking_number","official_username","official_name","unit","reason","request_id","official_id","entry_id"');
    // Accept: text/csv works too.
    const byAccept = await h.api.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/v1/oversight/views/reveals', headers: { authorization: `Bearer ${inspector}`, accept: 'text/csv' } });
    expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
  });

  it('lists rule and marker changes with before, after and who', async () => {
    const current = (await call(h, 'GET', '/api/v1/admin/routing-rules/TPS_LIAR?tenant=36.73', { token: tenantAdmin.token })).body;
    expect((await call(h, 'PUT', '/api/v1/admin/routing-rules/TPS_LIAR?tenant=36.73', { token: tenantAdmin.token, body: { tier: current.tier, ...(current.unit ? { unit: current.unit } : {}) } })).status).toBe(200);
    const res = await view('rule-changes', inspector, '?kind=routing_rule&limit=5');
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ kind: 'routing_rule', subject: 'TPS_LIAR', official_username: tenantAdmin.username, after: { tier: current.tier } });
    expect((await view('rule-changes', otherInspector, '?kind=routing_rule&limit=5000')).body.items.some((r: { entry_id: string }) => r.entry_id === res.body.items[0].entry_id)).toBe(false);
  });

  it('lists complaints about officials: who was accused and every unit each went to', async () => {
    const accused = await call(h, 'POST', '/api/v1/complaints', {
      body: complaintBody({ description: 'Pak Lurah Serang menolak mengangkut sampah kecuali diberi uang rokok.', accused: { name: 'Pak Ahmad', position: 'Lurah Serang' } }),
    });
    await h.quiet();
    const res = await view('accused', inspector);
    const row = res.body.items.find((r: { tracking_number: string }) => r.tracking_number === accused.body.tracking_number);
    expect(row).toMatchObject({ review: 'pending', handler: 'INSP.36.73', path: 'INSP.36.73' });
    expect(row.accused_units).toContain('KEL.36.73.01.1001');
  });

  it('finds the complaint that bounced between units, with its path', async () => {
    const res = await view('ping-pong', inspector);
    expect(res.body.items.find((r: { tracking_number: string }) => r.tracking_number === bounced)).toMatchObject({
      handoffs: 3, path: 'KEL.36.73.01.1001 → KEC.36.73.01 → KEL.36.73.01.1001 → KEC.36.73.01', handler: 'KEC.36.73.01',
    });
    expect((await view('ping-pong', inspector, '?min_handoffs=4')).body.items.some((r: { tracking_number: string }) => r.tracking_number === bounced)).toBe(false);
  });

  it('compares each unit’s rejections with its peers', async () => {
    const res = await view('rejections', inspector, '?limit=5000');
    const kel = res.body.items.find((r: { unit: string }) => r.unit === 'KEL.36.73.01.1001');
    expect(kel).toMatchObject({ unit_type: expect.any(String), rejected_invalid: expect.any(Number), received: expect.any(Number) });
    expect(kel.rejected_invalid).toBeGreaterThanOrEqual(1);
    expect(kel.rate).toBeCloseTo((kel.rejected_duplicate + kel.rejected_invalid + kel.rejected_out_of_scope) / kel.received, 2);
  });

  it('lists accounts created and roles given, with who did it', async () => {
    const created = await officialIn(h, tenantAdmin.token, 'KEL.36.73.01.1002');
    expect((await call(h, 'PATCH', `/api/v1/admin/officials/${created.username}`, { token: tenantAdmin.token, body: { roles: ['handler', 'admin'] } })).status).toBe(403);
    expect((await call(h, 'PATCH', `/api/v1/admin/officials/${created.username}`, { token: admin, body: { roles: ['handler', 'admin'] } })).status).toBe(200);
    const res = await view('accounts', inspector, '?limit=50');
    const mine = res.body.items.filter((r: { official_username: string }) => r.official_username === created.username);
    expect(mine).toEqual([
      expect.objectContaining({ event: 'officials.updated', roles_before: 'handler', roles: 'handler admin', by_username: 'admin' }),
      expect.objectContaining({ event: 'officials.created', roles: 'handler', unit: 'KEL.36.73.01.1002', by_username: tenantAdmin.username }),
    ]);
  });

  it('is for the tenant’s inspectors only, and refuses bad filters with 422', async () => {
    for (const name of ['reveals', 'rule-changes', 'accused', 'ping-pong', 'rejections', 'accounts']) {
      expect([name, (await call(h, 'GET', `/api/v1/oversight/views/${name}`)).status]).toEqual([name, 401]);
      for (const token of [lurah.token, tenantAdmin.token, admin]) expect([name, (await view(name, token)).status]).toEqual([name, 403]);
      const other = await view(name, otherInspector, '?limit=5000');
      expect([name, other.status]).toEqual([name, 200]);
      expect([name, JSON.stringify(other.body).includes(revealed) || JSON.stringify(other.body).includes(bounced) || JSON.stringify(other.body).includes('36.73')]).toEqual([name, false]);
    }
    for (const q of ['?from=kemarin', '?limit=0', '?limit=99999', '?format=xlsx', '?sort=at', '?kind=holiday']) {
      expect([q, (await view('rule-changes', inspector, q)).status]).toEqual([q, 422]);
    }
  });
});
