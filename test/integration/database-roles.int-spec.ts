import { setupDatabaseRoles } from '@aduan/platform';
import { Client } from 'pg';
import { TEST_DATABASE_URL, testRoleUrls } from '../support/test-env';

/** The append-only tables, each with a column to try an UPDATE on. */
const AUDIT_COLUMNS: Record<string, string> = { audit_entry: 'outcome', audit_leaf: 'idx', audit_node: 'level', audit_checkpoint: 'tree_size', audit_cosignature: 'line' };
const AUDIT_TABLES = Object.keys(AUDIT_COLUMNS);

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'aduan-test-roles' });
  await client.connect();
  return client;
}

/** The error PostgreSQL gives a statement, or null if it succeeded (inside a savepoint, so nothing stays). */
async function refusal(client: Client, sql: string): Promise<string | null> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.query('ROLLBACK');
  }
}

describe('database roles: the apps log in as a role that owns nothing', () => {
  const { app: appUrl, owner: ownerUrl } = testRoleUrls();
  let app: Client;
  let owner: Client;
  let superuser: Client;

  beforeAll(async () => {
    [app, owner, superuser] = await Promise.all([connect(appUrl), connect(ownerUrl), connect(TEST_DATABASE_URL)]);
  });
  afterAll(async () => {
    await Promise.all([app, owner, superuser].map((c) => c.end()));
  });

  it('is not a superuser and owns nothing; the owner owns every table', async () => {
    const [me] = (await app.query(`SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user`)).rows;
    expect(me).toEqual({ name: new URL(appUrl).username, rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    const owned = await app.query(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`);
    expect(owned.rows[0].n).toBe(0);
    const notOwners = await superuser.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND pg_get_userbyid(c.relowner) <> $1`,
      [new URL(ownerUrl).username],
    );
    expect(notOwners.rows).toEqual([]);
  });

  it.each(AUDIT_TABLES)('may only INSERT and SELECT %s: UPDATE, DELETE, TRUNCATE and trigger changes are refused', async (table) => {
    expect(await refusal(app, `SELECT count(*) FROM ${table}`)).toBeNull();
    for (const sql of [`UPDATE ${table} SET ${AUDIT_COLUMNS[table]} = ${AUDIT_COLUMNS[table]}`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
      expect(await refusal(app, sql)).toMatch(/permission denied/);
    }
    expect(await refusal(app, `ALTER TABLE ${table} DISABLE TRIGGER ALL`)).toMatch(/must be owner/);
    expect(await refusal(app, `DROP TRIGGER ${table}_append_only ON ${table}`)).toMatch(/must be owner/);
    expect(await refusal(app, `CREATE TRIGGER sneaky BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change()`)).toMatch(/permission denied/);
    expect(await refusal(app, `ALTER TABLE ${table} OWNER TO CURRENT_USER`)).toMatch(/must be owner/);
  });

  it('cannot switch triggers off for its session, nor create tables or functions', async () => {
    expect(await refusal(app, `SET session_replication_role = replica`)).toMatch(/permission denied/);
    expect(await refusal(app, `CREATE TABLE sneaky (id int)`)).toMatch(/permission denied/);
    expect(await refusal(app, `CREATE FUNCTION sneaky() RETURNS int LANGUAGE sql AS 'SELECT 1'`)).toMatch(/permission denied/);
  });

  it('changes the tables it works with (a control: the refusals above are about the audit tables)', async () => {
    expect(await refusal(app, `UPDATE outbox_message SET published_at = published_at WHERE false`)).toBeNull();
    expect(await refusal(app, `DELETE FROM processed_message WHERE false`)).toBeNull();
    expect(await refusal(app, `UPDATE audit_seal_state SET sealed_at = sealed_at`)).toBeNull();
  });

  it('gives a migration\u2019s new table to the app at once, and make_append_only takes changes back', async () => {
    await owner.query(`CREATE TABLE test_roles_later (id int PRIMARY KEY, note text)`);
    try {
      expect(await refusal(app, `INSERT INTO test_roles_later VALUES (1, 'a')`)).toBeNull();
      expect(await refusal(app, `UPDATE test_roles_later SET note = 'b'`)).toBeNull();
      await owner.query(`SELECT make_append_only('test_roles_later')`);
      expect(await refusal(app, `INSERT INTO test_roles_later VALUES (1, 'a')`)).toBeNull();
      expect(await refusal(app, `UPDATE test_roles_later SET note = 'b'`)).toMatch(/permission denied/);
      expect(await refusal(owner, `UPDATE test_roles_later SET note = 'b'`)).toBeNull();
      await owner.query(`INSERT INTO test_roles_later VALUES (1, 'a')`);
      expect(await refusal(owner, `UPDATE test_roles_later SET note = 'b'`)).toMatch(/append-only/);
    } finally {
      await owner.query(`DROP TABLE test_roles_later`);
    }
  });

  it('setup-db is idempotent, hands over what a superuser created, and keeps the audit tables append-only', async () => {
    await superuser.query(`CREATE TABLE test_roles_legacy (id int)`);
    try {
      await setupDatabaseRoles(TEST_DATABASE_URL, {
        database: new URL(appUrl).pathname.slice(1),
        owner: { name: new URL(ownerUrl).username, password: new URL(ownerUrl).password },
        app: { name: new URL(appUrl).username, password: new URL(appUrl).password },
      });
      const [{ owner: tableOwner }] = (await superuser.query(`SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'test_roles_legacy'`)).rows;
      expect(tableOwner).toBe(new URL(ownerUrl).username);
      expect(await refusal(app, `UPDATE test_roles_legacy SET id = id`)).toBeNull();
      for (const table of AUDIT_TABLES) expect(await refusal(app, `DELETE FROM ${table}`)).toMatch(/permission denied/);
    } finally {
      await superuser.query(`DROP TABLE test_roles_legacy`);
    }
  });
});
