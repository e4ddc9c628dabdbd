import { randomBytes } from 'node:crypto';

/** The dedicated test database; the setup refuses any database whose name lacks "test". */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/aduan_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function assertTestDatabase(url: string): string {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/test/i.test(name)) throw new Error(`refusing to run tests against database "${name}": its name must contain "test"`);
  return name;
}

export const TEST_ADMIN = { username: 'admin', password: 'admin-test-passphrase' };

/**
 * Points the process at the test database and a fresh random queue prefix, so test files never
 * share queues. Call before creating any Nest app.
 */
export function useTestEnvironment(overrides: Record<string, string> = {}): { queuePrefix: string } {
  assertTestDatabase(TEST_DATABASE_URL);
  const queuePrefix = `test-${randomBytes(6).toString('hex')}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    AUTH_TOKEN_SECRET: 'test-auth-token-secret-0123456789abcdef',
    ACCESS_CODE_SECRET: 'test-access-code-secret-0123456789abcdef',
    PRIVACY_KEY: Buffer.alloc(32, 7).toString('base64'),
    PRIVACY_KEY_ID: 'test',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    OUTBOX_POLL_MS: '200',
    DB_POOL_SIZE: '5',
    // High enough that no test file is throttled by accident; rate-limit tests set their own.
    RATE_LIMIT_SUBMIT: '1000000',
    RATE_LIMIT_WRITE: '1000000',
    RATE_LIMIT_READ: '1000000',
    RATE_LIMIT_LOGIN: '1000000',
    RATE_LIMIT_OPEN311_KEY: '1000000',
    ...overrides,
  });
  return { queuePrefix };
}
