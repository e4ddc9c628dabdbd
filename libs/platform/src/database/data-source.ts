import { DataSource } from 'typeorm';
import { OutboxMessageEntity } from '../outbox/outbox-message.entity';
import { ProcessedMessageEntity } from '../outbox/processed-message.entity';
import { registeredEntities } from './entity-registry';
import { MIGRATIONS } from './migrations';

/** The one way Aduan builds a TypeORM data source: migrations only, never `synchronize`. */
export function createDataSource(url: string, poolSize = 10, applicationName = 'aduan'): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [OutboxMessageEntity, ProcessedMessageEntity, ...registeredEntities()],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    uuidExtension: 'pgcrypto',
    logging: false,
    applicationName,
    // A checkout that waits this long is a bug (a connection held while waiting for another): fail, retry, and show it.
    extra: { max: poolSize, connectionTimeoutMillis: 30_000 },
  });
}
