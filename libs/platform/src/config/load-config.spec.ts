import { ConfigError, loadConfig } from './load-config';

const valid = {
  DATABASE_URL: 'postgres://localhost/aduan',
  REDIS_URL: 'redis://localhost:6379',
  AUTH_TOKEN_SECRET: 'a'.repeat(32),
  ACCESS_CODE_SECRET: 'b'.repeat(32),
  PRIVACY_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('loadConfig', () => {
  it('applies defaults to a minimal valid environment', () => {
    const config = loadConfig(valid);
    expect(config.PORT).toBe(3000);
    expect(config.QUEUE_PREFIX).toBe('aduan');
    expect(config.WORKER_QUEUES).toBe('all');
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', PRIVACY_KEY: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'AUTH_TOKEN_SECRET', 'ACCESS_CODE_SECRET', 'PRIVACY_KEY']) {
      expect(problems).toContain(name);
    }
  });

  it('rejects a weak admin password', () => {
    expect(() => loadConfig({ ...valid, ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
  });
});
