import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

/**
 * Found by an attack on a running instance (issue 14): the conflict-of-interest rule held only
 * when the accused's unit code was given. This complaint, as residents write it, went to the
 * accused lurah, who saw it and rejected it himself as a duplicate.
 */
describe('a complaint naming the lurah by position', () => {
  let h: Harness;
  afterAll(() => h?.close());

  it('never reaches the lurah it accuses', async () => {
    h = await startHarness();
    const admin = await loginAdmin(h);
    const lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    const inspector = (await officialIn(h, admin, 'INSP.36.73', ['inspector'])).token;
    const filed = await call(h, 'POST', '/api/v1/complaints', {
      body: {
        category: 'SAMPAH',
        kelurahan: '36.73.01.1001',
        description: 'Pak Lurah Serang menolak mengangkut sampah kecuali diberi uang rokok.',
        accused: { name: 'Pak Ahmad', position: 'Lurah Serang' },
      },
    });
    expect(filed.status).toBe(201);
    const tn: string = filed.body.tracking_number;
    await h.quiet();
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: inspector })).body.handler.code).toBe('INSP.36.73');
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: lurah })).status).toBe(404);
    const reject = await call(h, 'POST', `/api/v1/complaints/${tn}/reject`, { token: lurah, body: { reason: 'duplicate', note: 'Sudah ada.', duplicate_of: tn } });
    expect(reject.status).toBe(404);
  });
});
