import { call, fileAndRoute, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

/**
 * Found by an attack on a running instance: `reject` with `duplicate_of` answered 200 for any
 * complaint of the tenant and 422 for one that does not exist, so a handler could learn which
 * tracking numbers exist in other units. The original must be one the caller can see; an
 * invisible one gets the very same 422 as a tracking number that was never issued.
 */
describe('reject as duplicate of a complaint the caller cannot see', () => {
  let h: Harness;
  let lurah: string;

  beforeAll(async () => {
    h = await startHarness();
    const admin = await loginAdmin(h);
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
  });
  afterAll(() => h.close());

  it('answers exactly as for a complaint that does not exist, and writes nothing', async () => {
    const mine = await fileAndRoute(h, { kelurahan: '36.73.01.1001' });
    const elsewhere = await fileAndRoute(h, { kelurahan: '36.73.01.1002' });
    const reject = (original: string) =>
      call(h, 'POST', `/api/v1/complaints/${mine.tn}/reject`, { token: lurah, body: { reason: 'duplicate', note: 'Sudah dilaporkan sebelumnya.', duplicate_of: original } });
    const before = await writeCounts(h.db);
    const invisible = await reject(elsewhere.tn);
    const missing = await reject('ADN-000101-ZZZZZZ');
    expect(missing.status).toBe(422);
    expect({ status: invisible.status, body: invisible.body }).toEqual({ status: missing.status, body: missing.body });
    expect(await writeCounts(h.db)).toEqual(before);

    const visible = await fileAndRoute(h, { kelurahan: '36.73.01.1001' });
    expect((await reject(visible.tn)).status).toBe(200);
  });
});
