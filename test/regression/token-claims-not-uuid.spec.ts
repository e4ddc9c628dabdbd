import { JwtService } from '@nestjs/jwt';
import { call, Harness, startHarness } from '../support/harness';

/**
 * Found by an attack on a running instance: a correctly signed token whose `sub` or `sid` was not
 * a UUID reached PostgreSQL as a uuid parameter and answered 500. Such a token is simply not a
 * valid credential: 401.
 */
describe('a token whose subject or session is not a UUID', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
  });
  afterAll(() => h.close());

  const sign = (claims: object) => new JwtService({ secret: process.env.AUTH_TOKEN_SECRET! }).sign(claims, { expiresIn: 600, issuer: 'aduan' });

  it.each([
    ['sub', { sub: 'admin', sid: '00000000-0000-4000-8000-000000000000', typ: 'access' }],
    ['sid', { sub: '00000000-0000-4000-8000-000000000000', sid: "1' OR '1'='1", typ: 'access' }],
    ['both', { sub: 'x', sid: 'y', typ: 'access' }],
  ])('answers 401 when %s is not a UUID', async (_, claims) => {
    const token = sign(claims);
    for (const url of ['/api/v1/inbox', '/api/v1/complaints/ADN-000000-AAAAAA', '/api/v1/admin/api-keys']) {
      const res = await call(h, 'GET', url, { token });
      expect([url, res.status]).toEqual([url, 401]);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});
