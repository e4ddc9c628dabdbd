import { auditEvents, call, fileAndRoute, Harness, loginAdmin, officialIn, startHarness, stayStart } from '../support/harness';

const act = (h: Harness, token: string, tn: string, action: string, body: unknown = {}) => call(h, 'POST', `/api/v1/complaints/${tn}/${action}`, { token, body });
/** Every page of the caller's inbox: other files fill the same inboxes in a full run. */
const inboxOf = async (h: Harness, token: string) => {
  const numbers: string[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const body: { items: { tracking_number: string }[]; next_cursor: string | null } = (await call(h, 'GET', `/api/v1/inbox?page_size=200${cursor ? `&cursor=${cursor}` : ''}`, { token })).body;
    numbers.push(...body.items.map((i) => i.tracking_number));
    cursor = body.next_cursor;
  }
  return numbers;
};

describe('officials work a complaint through its life', () => {
  let h: Harness;
  let admin: string;
  let lurah: string;
  let lurah2: string;
  let camat: string;
  let pupr: string;
  let inspector: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    lurah2 = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    camat = (await officialIn(h, admin, 'KEC.36.73.01')).token;
    pupr = (await officialIn(h, admin, 'OPD.36.73.PUPR')).token;
    inspector = (await officialIn(h, admin, 'INSP.36.73', ['inspector'])).token;
  });
  afterAll(() => h.close());

  it('acknowledges once, starting the resolution clock; a second acknowledge is a conflict', async () => {
    const { tn } = await fileAndRoute(h);
    const res = await act(h, lurah, tn, 'acknowledge', { note: 'Akan dicek besok pagi.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'in_progress', can_act: true, actions: ['request-info', 'forward', 'return', 'resolve', 'reject'] });
    expect(res.body.resolution_due_at).toBe(res.body.due_at);
    expect(new Date(res.body.due_at).getTime()).toBeGreaterThan(Date.now());
    const again = await act(h, lurah, tn, 'acknowledge');
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    expect(await auditEvents(h, tn)).toEqual(['complaint.submitted', 'complaint.routed', 'complaint.assigned', 'complaint.acknowledged']);
  });

  it('asks the resident, pauses, and resumes with the deadline moved by the wait', async () => {
    const { tn, code } = await fileAndRoute(h);
    const asked = await act(h, lurah, tn, 'request-info', { question: 'Di RT berapa tepatnya sampah itu?' });
    expect(asked.body.status).toBe('awaiting_info');
    const dueBefore = new Date(asked.body.resolution_due_at).getTime();
    const resident = await call(h, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': code } });
    expect(resident.body.timeline).toEqual(expect.arrayContaining([{ at: expect.any(String), type: 'question', message: 'Di RT berapa tepatnya sampah itu?' }]));
    await new Promise((r) => setTimeout(r, 300));
    const replied = await call(h, 'POST', `/api/v1/complaints/${tn}/replies`, { headers: { 'x-access-code': code }, body: { message: 'RT 03 RW 05, dekat musala.' } });
    expect(replied.status).toBe(200);
    expect(replied.body.status).toBe('in_progress');
    const official = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah });
    expect(new Date(official.body.resolution_due_at).getTime()).toBeGreaterThanOrEqual(dueBefore + 300);
    expect(official.body.timeline.map((t: { type: string }) => t.type)).toEqual(expect.arrayContaining(['question', 'reply']));
    // A further message only adds to the complaint.
    const more = await call(h, 'POST', `/api/v1/complaints/${tn}/replies`, { headers: { 'x-access-code': code }, body: { message: 'Sudah menumpuk lagi hari ini.' } });
    expect(more.body.status).toBe('in_progress');
    const wrongCode = await call(h, 'POST', `/api/v1/complaints/${tn}/replies`, { headers: { 'x-access-code': 'AAAA-BBBB-CCCC' }, body: { message: 'halo halo' } });
    expect(wrongCode.status).toBe(404);
  });

  it('forwards by disposisi: the new unit acts, the old one keeps read access only', async () => {
    const { tn } = await fileAndRoute(h);
    const routed = await stayStart(h, tn);
    expect(routed.complaint).toEqual(routed.assignment);
    expect(routed.complaint).not.toBeNull();
    const res = await act(h, lurah, tn, 'forward', { unit: 'OPD.36.73.PUPR', reason: 'Jalan kota, kewenangan Dinas PUPR.' });
    expect(res.status).toBe(200);
    // The inbox shows when the unit received it: the forward's time, copied onto the complaint by the same write.
    const forwarded = await stayStart(h, tn);
    expect(forwarded.complaint).toEqual(forwarded.assignment);
    expect(forwarded.complaint! > routed.complaint!).toBe(true);
    expect(res.body).toMatchObject({ status: 'routed', tier: 'opd', handler: { code: 'OPD.36.73.PUPR' }, can_act: false, actions: [] });
    await h.quiet();
    expect(await inboxOf(h, pupr)).toContain(tn);
    expect(await inboxOf(h, lurah)).not.toContain(tn);
    expect((await act(h, lurah, tn, 'acknowledge')).status).toBe(403);
    expect((await act(h, pupr, tn, 'acknowledge')).status).toBe(200);
    // PUPR returns it: it goes back to whoever passed it on.
    const back = await act(h, pupr, tn, 'return', { reason: 'Ternyata jalan lingkungan, bukan jalan kota.' });
    expect(back.body).toMatchObject({ status: 'routed', handler: { code: 'KEL.36.73.01.1001' } });
    const returned = await stayStart(h, tn);
    expect(returned.complaint).toEqual(returned.assignment);
    expect(returned.complaint! > forwarded.complaint!).toBe(true);
    expect(await auditEvents(h, tn)).toEqual([
      'complaint.submitted', 'complaint.routed', 'complaint.assigned', 'complaint.forwarded', 'complaint.acknowledged', 'complaint.returned',
    ]);
    // Acknowledging opens no stay: the copy stays the return's.
    expect((await act(h, lurah, tn, 'acknowledge')).status).toBe(200);
    expect(await stayStart(h, tn)).toEqual(returned);
  });

  it('refuses a forward to a unit that does not exist, is in another tenant, or is its own', async () => {
    const { tn } = await fileAndRoute(h);
    for (const unit of ['OPD.36.73.NOPE', 'OPD.36.71.PUPR', 'KEL.36.04.01.2001']) {
      const res = await act(h, lurah, tn, 'forward', { unit, reason: 'coba teruskan' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'unit', message: expect.any(String) }]);
    }
    expect((await act(h, lurah, tn, 'forward', { unit: 'KEL.36.73.01.1001', reason: 'ke diri sendiri' })).status).toBe(409);
    expect((await act(h, lurah, tn, 'forward', { unit: 'OPD.36.73.PUPR' })).status).toBe(422);
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah })).body.status).toBe('routed');
  });

  it('returns what routing placed to the camat, and what the camat returns to the Sekda', async () => {
    const { tn } = await fileAndRoute(h);
    const toCamat = await act(h, lurah, tn, 'return', { reason: 'Bukan kewenangan kelurahan.' });
    expect(toCamat.body.handler.code).toBe('KEC.36.73.01');
    const toSetda = await act(h, camat, tn, 'return', { reason: 'Perlu keputusan Sekda.' });
    expect(toSetda.status).toBe(200);
    expect(toSetda.body.can_act).toBe(false);
    const view = await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: inspector });
    expect(view.body.handler.code).toBe('OPD.36.73.SETDA');
  });

  it('resolves, then closes on a satisfied resident or reopens on a dissatisfied one', async () => {
    const first = await fileAndRoute(h);
    await act(h, lurah, first.tn, 'acknowledge');
    const resolved = await act(h, lurah, first.tn, 'resolve', { resolution: 'Sampah sudah diangkut petugas kebersihan pagi ini.' });
    expect(resolved.body).toMatchObject({ status: 'resolved', due_at: null });
    expect(await inboxOf(h, lurah)).not.toContain(first.tn);
    const closed = await call(h, 'POST', `/api/v1/complaints/${first.tn}/feedback`, { headers: { 'x-access-code': first.code }, body: { satisfied: true, rating: 5 } });
    expect(closed.body.status).toBe('closed');
    expect((await call(h, 'POST', `/api/v1/complaints/${first.tn}/feedback`, { headers: { 'x-access-code': first.code }, body: { satisfied: false } })).status).toBe(409);

    const second = await fileAndRoute(h);
    await act(h, lurah, second.tn, 'resolve', { resolution: 'Sudah ditangani menurut laporan RT.' });
    const reopened = await call(h, 'POST', `/api/v1/complaints/${second.tn}/feedback`, { headers: { 'x-access-code': second.code }, body: { satisfied: false, rating: 1, comment: 'Masih menumpuk.' } });
    expect(reopened.body.status).toBe('in_progress');
    expect(await inboxOf(h, lurah)).toContain(second.tn);
    const early = await fileAndRoute(h);
    expect((await call(h, 'POST', `/api/v1/complaints/${early.tn}/feedback`, { headers: { 'x-access-code': early.code }, body: { satisfied: true } })).status).toBe(409);
  });

  it('rejects a duplicate only with its original, and nothing moves after a rejection', async () => {
    const original = await fileAndRoute(h);
    const { tn } = await fileAndRoute(h);
    expect((await act(h, lurah, tn, 'reject', { reason: 'duplicate', note: 'Sudah dilaporkan.' })).status).toBe(422);
    expect((await act(h, lurah, tn, 'reject', { reason: 'duplicate', note: 'Sudah dilaporkan.', duplicate_of: 'ADN-000000-AAAAAA' })).status).toBe(422);
    expect((await act(h, lurah, tn, 'reject', { reason: 'duplicate', note: 'Sudah dilaporkan.', duplicate_of: tn })).status).toBe(422);
    const rejected = await act(h, lurah, tn, 'reject', { reason: 'duplicate', note: 'Sudah dilaporkan sebelumnya.', duplicate_of: original.tn });
    expect(rejected.body.status).toBe('rejected');
    const attempts: [string, object][] = [['acknowledge', {}], ['resolve', { resolution: 'Sudah selesai sekali.' }], ['request-info', { question: 'Ada yang lain?' }], ['return', { reason: 'Bukan kami.' }]];
    for (const [action, body] of attempts) expect((await act(h, lurah, tn, action, body)).status).toBe(409);
    const [audit]: { data: { duplicate_of: string } }[] = await h.db.query(
      `SELECT a.data FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id WHERE c.tracking_number = $1 AND a.event = 'complaint.rejected'`,
      [tn],
    );
    expect(audit.data.duplicate_of).toBe(original.tn);
  });

  it('lets only one of two officials win when they act at the same moment', async () => {
    for (let i = 0; i < 5; i += 1) {
      const { tn } = await fileAndRoute(h);
      const results = await Promise.all([act(h, lurah, tn, 'acknowledge'), act(h, lurah2, tn, 'acknowledge')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const racing = await Promise.all([
        act(h, lurah, tn, 'resolve', { resolution: 'Selesai oleh petugas pertama.' }),
        act(h, lurah2, tn, 'reject', { reason: 'invalid', note: 'Tidak dapat ditindaklanjuti.' }),
      ]);
      expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
      const events = await auditEvents(h, tn);
      expect(events.filter((e) => e === 'complaint.acknowledged')).toHaveLength(1);
      expect(events.filter((e) => e === 'complaint.resolved' || e === 'complaint.rejected')).toHaveLength(1);
    }
  });

  it('shows the inspector everything and lets them act on nothing; strangers get 404, anonymous callers 401', async () => {
    const { tn } = await fileAndRoute(h);
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: inspector })).body).toMatchObject({ can_act: false, actions: [] });
    // The holder of a routed complaint may take every action; the same status offers the inspector none.
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah })).body.actions).toEqual(['acknowledge', 'request-info', 'forward', 'return', 'resolve', 'reject']);
    expect((await act(h, inspector, tn, 'acknowledge')).status).toBe(403);
    expect((await act(h, pupr, tn, 'acknowledge')).status).toBe(404);
    expect((await act(h, admin, tn, 'acknowledge')).status).toBe(404);
    expect((await call(h, 'POST', `/api/v1/complaints/${tn}/acknowledge`, { body: {} })).status).toBe(401);
    expect((await act(h, lurah, tn, 'approve')).status).toBe(404);
    expect((await act(h, lurah, 'ADN-000000-AAAAAA', 'acknowledge')).status).toBe(404);
    expect((await act(h, lurah, tn, 'request-info', { question: 42 })).status).toBe(422);
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah })).body.status).toBe('routed');
  });

  it('counts what the console badge shows: open, new, overdue', async () => {
    const before = (await call(h, 'GET', '/api/v1/inbox/summary', { token: camat })).body;
    const { tn } = await fileAndRoute(h);
    await act(h, lurah, tn, 'return', { reason: 'Bukan kewenangan kelurahan.' });
    const after = (await call(h, 'GET', '/api/v1/inbox/summary', { token: camat })).body;
    expect(after).toEqual({ open: before.open + 1, new: before.new + 1, overdue: before.overdue });
    await act(h, camat, tn, 'acknowledge');
    await h.db.query(`UPDATE complaint SET due_at = now() - interval '1 minute' WHERE tracking_number = $1`, [tn]);
    expect((await call(h, 'GET', '/api/v1/inbox/summary', { token: camat })).body).toEqual({ open: before.open + 1, new: before.new, overdue: before.overdue + 1 });
    const overdue = await call(h, 'GET', '/api/v1/inbox?overdue=true', { token: camat });
    expect(overdue.body.items.map((i: { tracking_number: string; overdue: boolean }) => [i.tracking_number, i.overdue])).toContainEqual([tn, true]);
    expect((await call(h, 'GET', '/api/v1/inbox/summary', { token: inspector })).body).toEqual({ open: 0, new: 0, overdue: 0 });
  });

  it('tells the resident through the notification queue, never with the access code', async () => {
    const { tn, code } = await fileAndRoute(h, { reporter: { email: 'warga@contoh.test' } });
    await act(h, lurah, tn, 'request-info', { question: 'Mohon kirim foto lokasi.' });
    await h.quiet();
    const notices: { template: string; status: string; body: string }[] = await h.db.query(
      `SELECT n.template, n.status, n.body FROM notification n JOIN complaint c ON c.id = n.complaint_id WHERE c.tracking_number = $1 AND n.audience = 'resident' ORDER BY n.created_at`,
      [tn],
    );
    expect(notices.map((n) => n.template)).toEqual(['resident.routed', 'resident.info_requested']);
    for (const n of notices) {
      expect(n.status).toBe('rendered');
      expect(n.body).toContain('/lacak');
      expect(n.body).not.toContain(code);
    }
  });

  it('writes no resident notice when the resident left no name, phone or email: nobody could receive it', async () => {
    const { tn } = await fileAndRoute(h);
    await act(h, lurah, tn, 'request-info', { question: 'Mohon kirim foto lokasi.' });
    await h.quiet();
    const notices: { audience: string; template: string }[] = await h.db.query(
      `SELECT n.audience, n.template FROM notification n JOIN complaint c ON c.id = n.complaint_id WHERE c.tracking_number = $1 ORDER BY n.created_at`,
      [tn],
    );
    expect(notices).toEqual([{ audience: 'unit', template: 'unit.assigned' }]);
  });
});
