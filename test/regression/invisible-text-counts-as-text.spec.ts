import { call, complaintBody, fileAndRoute, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

const ZWSP = '\u200b';
/** Strings that look empty, or nearly, and are long enough by code points. */
const INVISIBLE = {
  'ten zero-width spaces': ZWSP.repeat(10),
  'joiners, a BOM and word joiners': '\u200c\u200d\ufeff\u2060\u200c\u200d\ufeff\u2060\u200c\u200d',
  'bidi controls': '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f',
  'combining marks with nothing to sit on': '\u0301\u0302\u0303\u0304\u0308\u0327\u0328\u0336\u0337\u0338\u20dd',
  'a Hangul filler and no-break spaces': '\u3164\u3164\u00a0\u00a0\u2800\u2800\u3000\u3000\u115f\u1160',
};

/**
 * Found by an attack on a running instance: ten zero-width spaces were accepted as a reason, a
 * question or a reply, and padding of invisible characters made a description long enough.
 * Free text is now normalised and its visible characters counted; invisible ones (zero-width
 * spaces and joiners, BOM, bidi controls, fillers, combining marks on their own) are not text.
 */
describe('free text must contain visible text', () => {
  let h: Harness;
  let lurah: string;
  let inspector: string;
  let filed: { tn: string; code: string };

  beforeAll(async () => {
    h = await startHarness();
    const admin = await loginAdmin(h);
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    inspector = (await officialIn(h, admin, 'INSP.36.73', ['inspector'])).token;
    filed = await fileAndRoute(h);
  });
  afterAll(() => h.close());

  for (const [name, text] of Object.entries(INVISIBLE)) {
    it(`refuses ${name} with 422, writing nothing`, async () => {
      const before = await writeCounts(h.db);
      const attempts = [
        call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ description: `Jalan${text}` }) }),
        call(h, 'POST', `/api/v1/complaints/${filed.tn}/replies`, { headers: { 'x-access-code': filed.code }, body: { message: text } }),
        call(h, 'POST', `/api/v1/complaints/${filed.tn}/request-info`, { token: lurah, body: { question: text } }),
        call(h, 'POST', `/api/v1/complaints/${filed.tn}/acknowledge`, { token: lurah, body: { note: text } }),
        call(h, 'POST', `/api/v1/complaints/${filed.tn}/return`, { token: lurah, body: { reason: text } }),
        call(h, 'POST', `/api/v1/complaints/${filed.tn}/resolve`, { token: lurah, body: { resolution: text } }),
        call(h, 'POST', `/api/v1/complaints/${filed.tn}/reject`, { token: lurah, body: { reason: 'invalid', note: text } }),
        call(h, 'POST', `/api/v1/complaints/${filed.tn}/reveal-reporter`, { token: inspector, body: { reason: text } }),
      ];
      const statuses = [];
      for (const attempt of attempts) statuses.push((await attempt).status);
      expect(statuses).toEqual(Array(attempts.length).fill(422));
      expect(await writeCounts(h.db)).toEqual(before);
    });
  }

  it('still takes real text, with accents composed or not and emoji', async () => {
    const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ description: 'Lampu jalan mati 💡 di gang Café (e\u0301) sejak Senin.' }) });
    expect(res.status).toBe(201);
  });
});
