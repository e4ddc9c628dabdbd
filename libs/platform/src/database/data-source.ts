import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxMessageEntity } from '../outbox/outbox-message.entity';
import { ProcessedMessageEntity } from '../outbox/processed-message.entity';
import { registeredEntities } from './entity-registry';
import { MIGRATIONS } from './migrations';

/**
 * Session option for the worker's connections (`customPlans`): PostgreSQL plans each execution of a named
 * prepared statement for the values and table sizes at hand (parsing is still saved). Its default
 * switches a statement to a cached generic plan after five runs and keeps it until the table is
 * ANALYZEd; a plan made while `complaint` or `notification` held a few hundred rows (a seq scan)
 * then stays as they grow, and without autovacuum (this repository's CI machine runs with it off)
 * it stays for good. Measured at 100 complaints/s after a 10 s burst: locking a batch of notices
 * took 2.2 ms a call with the cached plan, 0.3 ms planned each time. The api keeps the default:
 * its one hot prepared statement is intake's INSERT, which has no plan to go stale, and planning
 * it on every complaint would cost intake.
 */
export const PLAN_CACHE_OPTIONS = '-c plan_cache_mode=force_custom_plan';

/** The one way Aduan builds a TypeORM data source: migrations only, never `synchronize`. */
export function createDataSource(url: string, poolSize = 10, applicationName = 'aduan', options: { customPlans?: boolean } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [OutboxMessageEntity, ProcessedMessageEntity, ...registeredEntities()],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install (and the app's role could not).
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: false,
    applicationName,
    // An idle pooled connection that loses its backend is dropped by the pool; the next checkout connects afresh.
    poolErrorHandler: (error: unknown) => new Logger('Database').warn(`${applicationName}: idle connection lost: ${error instanceof Error ? error.message : String(error)}`),
    // A checkout that waits this long is a bug (a connection held while waiting for another): fail, retry, and show it.
    extra: { max: poolSize, connectionTimeoutMillis: 30_000, ...(options.customPlans ? { options: PLAN_CACHE_OPTIONS } : {}) },
  });
}
