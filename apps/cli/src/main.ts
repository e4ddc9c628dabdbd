import 'reflect-metadata';
import './entities';
import { seedMarkers } from '@aduan/complaints';
import { seedDirectory } from '@aduan/directory';
import { AppConfig, ConfigError, createDataSource, loadConfig, loadEnvFile, rolesFromUrls, setupDatabaseRoles } from '@aduan/platform';
import { seedRouting } from '@aduan/routing';
import { ResponseTimeProjector, seedHolidays, SlaDeadlinePolicy } from '@aduan/sla';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { auditKeygen, auditSeal, auditWitness, verifyAudit } from './audit-commands';
import { generateMigration } from './migration-generate';

const USAGE = `usage: aduan-cli <command>
  setup-db                 create or update the database, its owner role and the app's role
                           (DATABASE_ADMIN_URL: a superuser; DATABASE_OWNER_URL, DATABASE_URL: the two roles)
  migrate                  apply pending migrations (as DATABASE_OWNER_URL)
  migrate:revert           revert the last migration
  migration:generate NAME  write a migration for the entities' schema changes (development)
  seed                     seed tenants, wilayah, units, categories, routing rules, holidays, markers (idempotent)
  verify-audit [--checkpoints PATH] [--key VERIFIER_KEY] [--json]
                           check every audit chain, the Merkle tree and every checkpoint; PATH is a
                           witness directory or a file of checkpoints kept outside the database
  audit-witness --dir DIR (--url URL [--every SECONDS] | --listen HOST:PORT) [--key VERIFIER_KEY]
                           keep verified copies of the audit checkpoints in DIR: fetch them from an
                           Aduan (--url), or accept them as a C2SP tlog-witness (--listen)
  audit-keygen NAME        print a new checkpoint signing key (AUDIT_SIGNING_KEY) and its public key
  audit-seal               seal every committed audit entry into the Merkle tree now, as the worker does each
                           second (after filling a database by bulk SQL, or a long stop of the sealer), page by
                           page with progress; Ctrl-C stops after the page under way and a rerun resumes;
                           signs a checkpoint when a key is set
  response-times-rebuild   count the response-time read model again from PostgreSQL (after a restore,
                           or to check it); the worker keeps it up from then on`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'audit-keygen':
      return auditKeygen(args);
    case 'audit-witness':
      return auditWitness(args);
    default:
      break;
  }
  // The CLI needs the database only; it does not ask for secrets it never uses.
  loadEnvFile();
  const env = loadConfig({ ...placeholderSecrets(), ...process.env });
  switch (command) {
    case 'setup-db': {
      if (!env.DATABASE_ADMIN_URL) throw new Error('setup-db needs DATABASE_ADMIN_URL (a superuser) and DATABASE_OWNER_URL');
      if (!env.DATABASE_OWNER_URL) throw new Error('setup-db needs DATABASE_OWNER_URL (the role that owns the schema)');
      await setupDatabaseRoles(env.DATABASE_ADMIN_URL, rolesFromUrls(env.DATABASE_URL, env.DATABASE_OWNER_URL), (line) => console.log(line));
      return 0;
    }
    case 'migrate':
      return withDatabase(ownerUrl(env), async (db) => {
        const applied = await db.runMigrations({ transaction: 'each' });
        console.log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'schema is up to date');
        return 0;
      });
    case 'migrate:revert':
      return withDatabase(ownerUrl(env), async (db) => {
        await db.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
        return 0;
      });
    case 'migration:generate':
      return withDatabase(ownerUrl(env), async (db) => {
        if (!args[0]) throw new Error('migration:generate needs a NAME');
        const file = await generateMigration(db, args[0], join(process.cwd(), 'libs/platform/src/database/migrations'));
        console.log(file ? `wrote ${file}; read it, add it to migrations/index.ts, commit it` : 'no schema changes');
        return 0;
      });
    case 'seed':
      return withDatabase(env.DATABASE_URL, async (db) => {
        const directory = await seedDirectory(db);
        const routing = await seedRouting(db);
        const holidays = await seedHolidays(db);
        const markers = await seedMarkers(db);
        console.log(
          `seeded ${directory.tenants} tenants, ${directory.kecamatan} kecamatan, ${directory.kelurahan} kelurahan/desa, ` +
            `${directory.units} units, ${directory.categories} categories, ${routing.rules} new routing rules, ${holidays} official holiday tables, ` +
            `${markers} new markers`,
        );
        return 0;
      });
    case 'audit-seal':
      return withDatabase(env.DATABASE_URL, (db) => auditSeal(db, env));
    case 'response-times-rebuild':
      return withDatabase(env.DATABASE_URL, async (db) => {
        const projector = new ResponseTimeProjector(db, new SlaDeadlinePolicy(db, env));
        const started = Date.now();
        const total = await projector.rebuild((done) => console.log(`${done} complaints counted`), (cells) => console.log(`rollup: ${cells} cells added up from the rows`));
        const caughtUp = await projector.catchUp();
        console.log(`rebuilt the response-time model: ${total} complaints in ${((Date.now() - started) / 1000).toFixed(1)} s, ${caughtUp} recounted from the log since`);
        return 0;
      });
    case 'verify-audit':
      return withDatabase(env.DATABASE_URL, (db) => verifyAudit(db, env, args));
    default:
      console.error(`unknown command ${command}\n${USAGE}`);
      return 2;
  }
}

/** Migrations run as the schema's owner; an install from before the roles existed has only DATABASE_URL. */
function ownerUrl(env: AppConfig): string {
  if (env.DATABASE_OWNER_URL) return env.DATABASE_OWNER_URL;
  console.warn('DATABASE_OWNER_URL is not set: migrating as DATABASE_URL (see docs/architecture.md, "Database roles")');
  return env.DATABASE_URL;
}

async function withDatabase(url: string, run: (db: DataSource) => Promise<number>): Promise<number> {
  const db = await createDataSource(url, 2, 'aduan-cli').initialize();
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

function placeholderSecrets(): Record<string, string> {
  const filler = 'cli-does-not-use-this-secret-000000';
  return { AUTH_TOKEN_SECRET: filler, ACCESS_CODE_SECRET: filler, PRIVACY_KEY: Buffer.alloc(32).toString('base64'), REDIS_URL: 'redis://unused' };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
