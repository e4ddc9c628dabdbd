import { call, complaintBody, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

/** The README's story: a resident files, an admin creates the lurah, the lurah sees it. */
describe('one complaint from the API to a lurah’s inbox', () => {
  let h: Harness;
  let admin: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
  });
  afterAll(() => h.close());

  it('files, routes, assigns, and shows the complaint to the right lurah only', async () => {
    const submitted = await call(h, 'POST', '/api/v1/complaints', {
      body: complaintBody({ kelurahan: '36.73.05.1001', reporter: { name: 'Siti', email: 'siti@example.id' }, anonymous: false }),
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toEqual({
      tracking_number: expect.stringMatching(/^ADN-\d{6}-[0-9A-Z]{6}$/),
      access_code: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      status: 'submitted',
      submitted_at: expect.any(String),
    });
    const { tracking_number: tn, access_code: code } = submitted.body;

    const lurah = await officialIn(h, admin, 'KEL.36.73.05.1001');
    await h.quiet();

    // A kelurahan no other test files complaints in, so the new complaint is on the first page.
    const inbox = await call(h, 'GET', '/api/v1/inbox', { token: lurah.token });
    expect(inbox.status).toBe(200);
    const item = inbox.body.items.find((i: { tracking_number: string }) => i.tracking_number === tn);
    expect(item).toMatchObject({ category: 'SAMPAH', kelurahan: '36.73.05.1001', status: 'routed', tier: 'lurah', overdue: false });
    expect(new Date(item.due_at).getTime()).toBeGreaterThan(Date.now());

    const asLurah = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah.token });
    expect(asLurah.status).toBe(200);
    expect(asLurah.body).toMatchObject({ status: 'routed', handler: { code: 'KEL.36.73.05.1001', type: 'kelurahan' }, reporter: { name: 'Siti', email: 'siti@example.id' } });
    expect(asLurah.body.timeline.map((t: { type: string }) => t.type)).toEqual(['submitted', 'routed', 'assigned']);

    const asResident = await call(h, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': code.toLowerCase() } });
    expect(asResident.status).toBe(200);
    expect(asResident.body).toMatchObject({ tracking_number: tn, status: 'routed', handler: { name: 'Kelurahan Cipocok Jaya', type: 'kelurahan' } });
    expect(asResident.body).not.toHaveProperty('reporter');
    expect(asResident.body).not.toHaveProperty('description');

    const neighbour = await officialIn(h, admin, 'KEL.36.73.05.1002');
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: neighbour.token })).status).toBe(404);
    const theirs = await call(h, 'GET', '/api/v1/inbox', { token: neighbour.token });
    expect(theirs.body.items.map((i: { tracking_number: string }) => i.tracking_number)).not.toContain(tn);
  });

  it('hides the reporter from the handler when the complaint is anonymous (the default)', async () => {
    const submitted = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ reporter: { name: 'Budi', phone: '081234567890' } }) });
    const lurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
    await h.quiet();
    const view = await call(h, 'GET', `/api/v1/complaints/${submitted.body.tracking_number}`, { token: lurah.token });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ anonymous: true, confidential: true, reporter: null });
    expect(JSON.stringify(view.body)).not.toContain('Budi');
    expect(JSON.stringify(view.body)).not.toContain('081234567890');
  });

  it('routes by category rule and sends complaints about officials to the Inspektorat, away from the accused', async () => {
    const road = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ category: 'JALAN_RUSAK' }) });
    const pungli = await call(h, 'POST', '/api/v1/complaints', {
      body: complaintBody({ category: 'LAINNYA', accused: { name: 'Oknum kelurahan', unit: 'KEL.36.73.01.1001' }, anonymous: false, confidential: false }),
    });
    const pupr = await officialIn(h, admin, 'OPD.36.73.PUPR');
    const inspector = await officialIn(h, admin, 'INSP.36.73', ['handler']);
    const accusedLurah = await officialIn(h, admin, 'KEL.36.73.01.1001');
    await h.quiet();
    const roadView = await call(h, 'GET', `/api/v1/complaints/${road.body.tracking_number}`, { token: pupr.token });
    expect(roadView.body).toMatchObject({ tier: 'opd', handler: { code: 'OPD.36.73.PUPR' } });
    const pungliView = await call(h, 'GET', `/api/v1/complaints/${pungli.body.tracking_number}`, { token: inspector.token });
    expect(pungliView.body).toMatchObject({ tier: 'inspektorat', anonymous: true, confidential: true });
    expect((await call(h, 'GET', `/api/v1/complaints/${pungli.body.tracking_number}`, { token: accusedLurah.token })).status).toBe(404);
    const accusedInbox = await call(h, 'GET', '/api/v1/inbox', { token: accusedLurah.token });
    expect(accusedInbox.body.items.map((i: { tracking_number: string }) => i.tracking_number)).not.toContain(pungli.body.tracking_number);
  });
});
