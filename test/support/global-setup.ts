import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { assertTestDatabase, TEST_DATABASE_URL, testRoleUrls } from './test-env';

/**
 * Creates the test database from scratch with its two roles (`setup-db`, as the superuser of
 * TEST_DATABASE_URL), migrates it as the owner and seeds it as the app's role, with the real CLI
 * code, once per `jest` run. Refuses any database whose name lacks "test".
 */
export default async function globalSetup(): Promise<void> {
  const name = assertTestDatabase(TEST_DATABASE_URL);
  const admin = new URL(TEST_DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  } finally {
    await client.end();
  }
  // The real CLI, as built by `npm run build` (npm test builds first).
  const root = join(__dirname, '..', '..');
  const cli = join(root, 'dist/apps/cli/src/main.js');
  const { app, owner } = testRoleUrls();
  for (const command of ['setup-db', 'migrate', 'seed']) {
    execFileSync(process.execPath, [cli, command], {
      cwd: root,
      env: { ...process.env, DATABASE_ADMIN_URL: TEST_DATABASE_URL, DATABASE_URL: app, DATABASE_OWNER_URL: owner },
      stdio: 'inherit',
    });
  }
}
