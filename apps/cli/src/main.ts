import 'reflect-metadata';
import './entities';
import { seedMarkers } from '@aduan/complaints';
import { seedDirectory } from '@aduan/directory';
import { ConfigError, createDataSource, loadConfig } from '@aduan/platform';
import { seedRouting } from '@aduan/routing';
import { seedHolidays } from '@aduan/sla';
import { join } from 'node:path';
import { generateMigration } from './migration-generate';

const USAGE = `usage: aduan-cli <command>
  migrate                  apply pending migrations
  migrate:revert           revert the last migration
  migration:generate NAME  write a migration for the entities' schema changes (development)
  seed                     seed tenants, wilayah, units, categories, routing rules, holidays, markers (idempotent)`;

async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  // The CLI needs the database only; it does not ask for secrets it never uses.
  const env = loadConfig({ ...placeholderSecrets(), ...process.env });
  const dataSource = await createDataSource(env.DATABASE_URL, 2, 'aduan-cli').initialize();
  try {
    switch (command) {
      case 'migrate': {
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        console.log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'schema is up to date');
        return 0;
      }
      case 'migrate:revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        console.log('reverted the last migration');
        return 0;
      case 'migration:generate': {
        if (!arg) throw new Error('migration:generate needs a NAME');
        const file = await generateMigration(dataSource, arg, join(process.cwd(), 'libs/platform/src/database/migrations'));
        console.log(file ? `wrote ${file}; read it, add it to migrations/index.ts, commit it` : 'no schema changes');
        return 0;
      }
      case 'seed': {
        const directory = await seedDirectory(dataSource);
        const routing = await seedRouting(dataSource);
        const holidays = await seedHolidays(dataSource);
        const markers = await seedMarkers(dataSource);
        console.log(
          `seeded ${directory.tenants} tenants, ${directory.kecamatan} kecamatan, ${directory.kelurahan} kelurahan/desa, ` +
            `${directory.units} units, ${routing.categories} categories, ${routing.rules} new routing rules, ${holidays} official holiday tables, ` +
            `${markers} new markers`,
        );
        return 0;
      }
      default:
        console.error(`unknown command ${command}\n${USAGE}`);
        return 2;
    }
  } finally {
    await dataSource.destroy();
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
