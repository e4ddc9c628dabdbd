import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

/**
 * Writes a migration with the SQL that brings the database schema to the entities (TypeORM's
 * schema diff), for a person to read and commit. Run against a database migrated to the latest.
 */
export async function generateMigration(dataSource: DataSource, name: string, dir: string): Promise<string | null> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) return null;
  const timestamp = Date.now();
  const className = `${name.replace(/[^A-Za-z0-9]/g, '')}${timestamp}`;
  const q = (s: string) => '`' + s.replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)}${x.parameters?.length ? `, ${JSON.stringify(x.parameters)}` : ''});`);
  const down = sql.downQueries.reverse().map((x) => `    await queryRunner.query(${q(x.query)}${x.parameters?.length ? `, ${JSON.stringify(x.parameters)}` : ''});`);
  const file = join(dir, `${timestamp}-${name.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.ts`);
  writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up.join('\n')}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down.join('\n')}\n  }\n}\n`,
  );
  return file;
}
