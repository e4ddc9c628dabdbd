import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The dedicated test database; the setup refuses any database whose name lacks "test". */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/aduan_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The database's two roles (per database, since roles are server-wide): the apps under test log in
 * as `<db>_app`, which owns nothing; migrations run as `<db>_owner`. TEST_DATABASE_URL itself is a
 * superuser, used only to create them and by tests that tamper with the log as a DBA would.
 */
export function testRoleUrls(url: string = TEST_DATABASE_URL): { app: string; owner: string } {
  const database = assertTestDatabase(url);
  const as = (role: string) => {
    const u = new URL(url);
    u.username = `${database}_${role}`;
    u.password = `${role}-password-for-tests`;
    return u.toString();
  };
  return { app: as('app'), owner: as('owner') };
}

/**
 * A fixed checkpoint key for every test file (all files share one database, so one log): a key
 * made for tests only, never used anywhere else.
 */
export const TEST_AUDIT_SIGNING_KEY = 'PRIVATE+KEY+test.aduan.invalid/audit+bfe9d625+AYc+uZhuWt83AczdlK6KcwxYBh42Q7/pxim8LGznsQ5l';
export const TEST_AUDIT_VERIFIER_KEY = 'test.aduan.invalid/audit+bfe9d625+ARA6Wk11gQgnrOTXEN27PS+p+tGRIVh4QTMDOcHtElfu';

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
    DATABASE_URL: testRoleUrls().app,
    DATABASE_OWNER_URL: testRoleUrls().owner,
    AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    AUTH_TOKEN_SECRET: 'test-auth-token-secret-0123456789abcdef',
    ACCESS_CODE_SECRET: 'test-access-code-secret-0123456789abcdef',
    PRIVACY_KEY: Buffer.alloc(32, 7).toString('base64'),
    PRIVACY_KEY_ID: 'test',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    OUTBOX_POLL_MS: '200',
    // a free port per worker: files and the machine's own Aduan must not collide on the default
    WORKER_METRICS_PORT: '0',
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

/**
 * Runs a statement as the PostgreSQL superuser of TEST_DATABASE_URL, for what the apps' role may
 * not do (create a trigger, tamper with the audit log): the apps under test never get this.
 */
export async function superuserQuery(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, application_name: 'aduan-test-superuser' });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
