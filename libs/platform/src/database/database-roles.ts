import { Client } from 'pg';

/**
 * Two roles per database, named after it (roles are server-wide): `<db>_owner` owns the schema and
 * runs migrations; `<db>_app`, the apps' login, owns nothing, so on the append-only audit tables it
 * may only INSERT and SELECT and cannot touch their triggers. Only `setup-db` needs a superuser.
 */
export interface DatabaseRoles {
  database: string;
  owner: { name: string; password: string | null };
  app: { name: string; password: string | null };
}

/** What `<db>_owner` and `<db>_app` would be for a database. */
export function roleNamesFor(database: string): { owner: string; app: string } {
  return { owner: `${database}_owner`, app: `${database}_app` };
}

/** The roles and database that an app URL and an owner URL name; they must agree on the database. */
export function rolesFromUrls(appUrl: string, ownerUrl: string): DatabaseRoles {
  const app = new URL(appUrl);
  const owner = new URL(ownerUrl);
  const database = decodeURIComponent(app.pathname.slice(1));
  if (decodeURIComponent(owner.pathname.slice(1)) !== database || app.host !== owner.host) {
    throw new Error('DATABASE_URL and DATABASE_OWNER_URL must name the same server and database');
  }
  const user = (u: URL) => decodeURIComponent(u.username);
  if (!user(app) || !user(owner)) throw new Error('DATABASE_URL and DATABASE_OWNER_URL must each name a user');
  if (user(app) === user(owner)) throw new Error('the app and the owner must be different roles');
  const password = (u: URL) => (u.password ? decodeURIComponent(u.password) : null);
  return { database, owner: { name: user(owner), password: password(owner) }, app: { name: user(app), password: password(app) } };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A table is append-only when a trigger refuses changes to it (see make_append_only in the migrations). */
const APPEND_ONLY_TABLES_SQL = `
  SELECT DISTINCT c.relname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND t.tgfoid IN (SELECT oid FROM pg_proc WHERE proname IN ('append_only_refuse_change', 'audit_entry_refuse_change'))`;

/**
 * Creates (or brings up to date) both roles and the database, hands every existing object to the
 * owner (an install from before the roles existed had them owned by a superuser), and grants the
 * app its privileges, including default privileges for the tables future migrations create.
 * Idempotent. `adminUrl` must connect as a superuser.
 */
export async function setupDatabaseRoles(adminUrl: string, roles: DatabaseRoles, log: (line: string) => void = () => undefined): Promise<void> {
  const server = new URL(adminUrl);
  server.pathname = '/postgres';
  const admin = new Client({ connectionString: server.toString(), application_name: 'aduan-setup-db' });
  await admin.connect();
  try {
    const [{ rolsuper }] = (await admin.query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`)).rows;
    if (!rolsuper) throw new Error('setup-db must connect as a superuser (DATABASE_ADMIN_URL)');
    for (const role of [roles.owner, roles.app]) {
      const found = (await admin.query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_roles WHERE rolname = $1`, [role.name])).rows[0];
      if (found?.rolsuper) throw new Error(`role ${role.name} is a superuser; Aduan's roles must not be`);
      const options = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${role.password ? ` PASSWORD ${literal(role.password)}` : ''}`;
      await admin.query(`${found ? 'ALTER' : 'CREATE'} ROLE ${ident(role.name)} WITH ${options}`);
      if (!found) log(`created role ${role.name}`);
    }
    const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [roles.database])).rowCount;
    if (exists) {
      await admin.query(`ALTER DATABASE ${ident(roles.database)} OWNER TO ${ident(roles.owner.name)}`);
    } else {
      await admin.query(`CREATE DATABASE ${ident(roles.database)} OWNER ${ident(roles.owner.name)}`);
      log(`created database ${roles.database}`);
    }
    await admin.query(`REVOKE ALL ON DATABASE ${ident(roles.database)} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(roles.database)} TO ${ident(roles.app.name)}`);
  } finally {
    await admin.end();
  }

  server.pathname = `/${encodeURIComponent(roles.database)}`;
  const db = new Client({ connectionString: server.toString(), application_name: 'aduan-setup-db' });
  await db.connect();
  try {
    const owner = ident(roles.owner.name);
    const app = ident(roles.app.name);
    await db.query('BEGIN');
    await db.query(`ALTER SCHEMA public OWNER TO ${owner}`);
    await db.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    await db.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
    const transferred = await handEverythingTo(db, roles.owner.name);
    if (transferred > 0) log(`handed ${transferred} existing objects to ${roles.owner.name}`);
    const appendOnly = new Set((await db.query<{ name: string }>(APPEND_ONLY_TABLES_SQL)).rows.map((r) => r.name));
    const tables = (await db.query<{ name: string }>(`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`)).rows;
    for (const { name } of tables) {
      const table = ident(name);
      await db.query(`REVOKE ALL ON ${table} FROM ${app}`);
      // The migrations' bookkeeping is the owner's; the app only reads it.
      const privileges = name === 'schema_migration' ? 'SELECT' : appendOnly.has(name) ? 'SELECT, INSERT' : 'SELECT, INSERT, UPDATE, DELETE';
      await db.query(`GRANT ${privileges} ON ${table} TO ${app}`);
    }
    await db.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
    // Tables that later migrations create: the owner creates them, the app may use them at once.
    // A migration that adds an append-only table calls make_append_only, which takes UPDATE and DELETE back.
    await db.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`);
    await db.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`);
    await db.query('COMMIT');
    log(`${roles.app.name}: ${appendOnly.size} append-only tables (SELECT, INSERT), ${tables.length - appendOnly.size} others`);
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}

/** Makes `owner` the owner of every table, sequence, view, function and type in the public schema. */
async function handEverythingTo(db: Client, owner: string): Promise<number> {
  const o = ident(owner);
  const statements: string[] = [];
  const relations = await db.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> $1
        -- a sequence owned by a column moves with its table
        AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')`,
    [owner],
  );
  for (const r of relations.rows) {
    const kind = { r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', S: 'SEQUENCE' }[r.kind];
    statements.push(`ALTER ${kind} ${ident(r.name)} OWNER TO ${o}`);
  }
  const functions = await db.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1
        -- an extension's functions (pgcrypto on older installs) stay with the extension
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
    [owner],
  );
  for (const f of functions.rows) statements.push(`ALTER ROUTINE ${f.signature} OWNER TO ${o}`);
  const types = await db.query<{ name: string }>(
    `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND pg_get_userbyid(t.typowner) <> $1
        AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')`,
    [owner],
  );
  for (const t of types.rows) statements.push(`ALTER TYPE ${ident(t.name)} OWNER TO ${o}`);
  for (const sql of statements) await db.query(sql);
  return statements.length;
}
