import { ConfigError, loadConfig } from './load-config';

const valid = {
  DATABASE_URL: 'postgres://localhost/aduan',
  REDIS_URL: 'redis://localhost:6379',
  AUTH_TOKEN_SECRET: 'a'.repeat(32),
  ACCESS_CODE_SECRET: 'b'.repeat(32),
  PRIVACY_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('HTTP_TRUST_PROXY and RATE_LIMIT_*', () => {
  it('trusts no proxy and limits by default', () => {
    const config = loadConfig(valid);
    expect(config.HTTP_TRUST_PROXY).toBe(false);
    expect(config).toMatchObject({
      RATE_LIMIT_ENABLED: true,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_SUBMIT: 10,
      RATE_LIMIT_WRITE: 30,
      RATE_LIMIT_READ: 120,
      RATE_LIMIT_LOGIN: 20,
      RATE_LIMIT_OPEN311_KEY: 600,
    });
    expect(config.RATE_LIMIT_PREFIX).toBeUndefined();
  });

  it.each([
    ['false', false],
    ['', false],
    ['TRUE', true],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, ::1 ,loopback', ['10.0.0.0/8', '::1', 'loopback']],
    ['fd00::/8', ['fd00::/8']],
  ])('reads HTTP_TRUST_PROXY=%j', (value, expected) => {
    expect(loadConfig({ ...valid, HTTP_TRUST_PROXY: value }).HTTP_TRUST_PROXY).toEqual(expected);
  });

  it.each(['1', 'proxy.example', '10.0.0.0/33', '::1/129', '10.0.0.1/8/1', '127.0.0.1,nope'])('refuses HTTP_TRUST_PROXY=%j with a message', (value) => {
    expect(() => loadConfig({ ...valid, HTTP_TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...valid, HTTP_TRUST_PROXY: value })).toThrow(/HTTP_TRUST_PROXY/);
  });

  it('reads RATE_LIMIT_ENABLED as a word, not as a truthy string', () => {
    expect(loadConfig({ ...valid, RATE_LIMIT_ENABLED: 'false' }).RATE_LIMIT_ENABLED).toBe(false);
    expect(() => loadConfig({ ...valid, RATE_LIMIT_ENABLED: 'sometimes' })).toThrow(/RATE_LIMIT_ENABLED/);
  });

  it('refuses limits below one and odd prefixes', () => {
    expect(() => loadConfig({ ...valid, RATE_LIMIT_SUBMIT: '0' })).toThrow(/RATE_LIMIT_SUBMIT/);
    expect(() => loadConfig({ ...valid, RATE_LIMIT_WINDOW_SECONDS: 'a minute' })).toThrow(/RATE_LIMIT_WINDOW_SECONDS/);
    expect(() => loadConfig({ ...valid, RATE_LIMIT_PREFIX: 'a b' })).toThrow(/RATE_LIMIT_PREFIX/);
  });
});
