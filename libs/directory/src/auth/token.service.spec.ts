import type { AppConfig } from '@aduan/platform';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import type { OfficialsService } from '../officials/officials.service';
import { TokenService } from './token.service';

const SECRET = 's'.repeat(40);
const T0 = Date.parse('2026-12-04T08:00:00Z');

describe('TokenService.authenticate: a token verified once, the session read every time', () => {
  let live: boolean;
  let lookups: number;
  let tokens: TokenService;
  const sub = randomUUID();
  const sid = randomUUID();
  const sign = (secret: string, expiresIn: number) => new JwtService({ secret }).sign({ sub, sid, typ: 'access' }, { expiresIn, issuer: 'aduan', algorithm: 'HS256' });
  const principal: Principal = { officialId: sub, username: 'lurah', name: 'Lurah', roles: ['handler'], tenantCode: '36.73', unitId: randomUUID(), unitCode: 'KEL.36.73.01.1001' };

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    live = true;
    lookups = 0;
    const officials = { principal: async () => ((lookups += 1), live ? principal : null) } as unknown as OfficialsService;
    tokens = new TokenService({ AUTH_TOKEN_SECRET: SECRET, AUTH_TOKEN_TTL_SECONDS: 60 } as AppConfig, officials, {} as DataSource);
  });
  afterEach(() => jest.useRealTimers());

  it('checks the signature once per token, and the session on every call', async () => {
    const verify = jest.spyOn(JwtService.prototype, 'verify');
    const token = sign(SECRET, 60);
    for (let i = 0; i < 3; i += 1) expect(await tokens.authenticate(token)).toMatchObject({ officialId: sub, sessionId: sid });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(lookups).toBe(3);
    // The session ends (logout, deactivation): the very next call is refused, verified token or not.
    live = false;
    expect(await tokens.authenticate(token)).toBeNull();
    verify.mockRestore();
  });

  it('refuses a token kept from earlier once it expires', async () => {
    const token = sign(SECRET, 60);
    expect(await tokens.authenticate(token)).not.toBeNull();
    jest.setSystemTime(T0 + 59_000);
    expect(await tokens.authenticate(token)).not.toBeNull();
    jest.setSystemTime(T0 + 60_000);
    expect(await tokens.authenticate(token)).toBeNull();
  });

  it('keeps nothing for a token that does not verify', async () => {
    const good = sign(SECRET, 60);
    expect(await tokens.authenticate(good)).not.toBeNull();
    const [head, body] = good.split('.');
    for (const bad of [sign('another secret of forty characters, 1234', 60), `${head}.${body}.AAAA`, `${good}x`]) {
      expect(await tokens.authenticate(bad)).toBeNull();
      expect(await tokens.authenticate(bad)).toBeNull();
    }
    expect(lookups).toBe(1);
  });
});
