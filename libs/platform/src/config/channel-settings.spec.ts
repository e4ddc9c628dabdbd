import { loadConfig } from './load-config';

const valid = {
  DATABASE_URL: 'postgres://localhost/aduan',
  REDIS_URL: 'redis://localhost:6379',
  AUTH_TOKEN_SECRET: 'a'.repeat(32),
  ACCESS_CODE_SECRET: 'b'.repeat(32),
  PRIVACY_KEY: Buffer.alloc(32, 1).toString('base64'),
};
const problems = (env: Record<string, string>): string => {
  try {
    loadConfig({ ...valid, ...env });
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('notification channel settings', () => {
  it('leaves both channels off by default, with notification retries configured', () => {
    const config = loadConfig(valid);
    expect(config.SMTP_HOST).toBeUndefined();
    expect(config.WEBHOOK_URL).toBeUndefined();
    expect(config.SMTP_SECURE).toBe(false);
    expect(config.NOTIFY_ATTEMPTS).toBe(10);
    expect(config.NOTIFY_BACKOFF_MS).toBe(5000);
  });

  it('accepts a complete SMTP and webhook configuration', () => {
    const config = loadConfig({
      ...valid,
      SMTP_HOST: 'smtp.example.go.id',
      SMTP_PORT: '465',
      SMTP_SECURE: 'true',
      SMTP_USER: 'aduan',
      SMTP_PASSWORD: 'rahasia',
      SMTP_FROM: 'Aduan Kota Serang <aduan@example.go.id>',
      WEBHOOK_URL: 'https://gateway.example.go.id/aduan',
      WEBHOOK_SECRET: 's'.repeat(32),
    });
    expect(config).toMatchObject({ SMTP_PORT: 465, SMTP_SECURE: true, WEBHOOK_TIMEOUT_MS: 10_000 });
    expect(problems({ WEBHOOK_URL: 'http://127.0.0.1:8080/hook', WEBHOOK_SECRET: 's'.repeat(32) })).toBe('');
  });

  it('refuses a half-configured channel', () => {
    expect(problems({ SMTP_HOST: 'smtp.example.go.id' })).toMatch(/SMTP_FROM is required/);
    expect(problems({ SMTP_FROM: 'aduan@example.go.id' })).toMatch(/SMTP_HOST is required/);
    expect(problems({ SMTP_HOST: 'smtp.example.go.id', SMTP_FROM: 'aduan@example.go.id', SMTP_USER: 'aduan' })).toMatch(/SMTP_PASSWORD: SMTP_USER and SMTP_PASSWORD go together/);
    expect(problems({ SMTP_HOST: 'smtp.example.go.id', SMTP_FROM: 'not an address' })).toMatch(/SMTP_FROM/);
    expect(problems({ WEBHOOK_URL: 'https://gateway.example.go.id/aduan' })).toMatch(/WEBHOOK_SECRET must be at least 32 characters/);
    expect(problems({ WEBHOOK_URL: 'https://gateway.example.go.id/aduan', WEBHOOK_SECRET: 'short' })).toMatch(/WEBHOOK_SECRET/);
    expect(problems({ WEBHOOK_SECRET: 's'.repeat(32) })).toMatch(/WEBHOOK_URL is required/);
  });

  it('refuses a webhook that would carry phone numbers in clear or credentials in its URL', () => {
    expect(problems({ WEBHOOK_URL: 'http://gateway.example.go.id/aduan', WEBHOOK_SECRET: 's'.repeat(32) })).toMatch(/WEBHOOK_URL must be https/);
    expect(problems({ WEBHOOK_URL: 'https://user:pw@gateway.example.go.id/aduan', WEBHOOK_SECRET: 's'.repeat(32) })).toMatch(/credentials/);
    expect(problems({ WEBHOOK_URL: 'ftp://gateway.example.go.id/aduan', WEBHOOK_SECRET: 's'.repeat(32) })).toMatch(/WEBHOOK_URL/);
  });
});
