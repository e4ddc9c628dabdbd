import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { OutboxNotifier } from '../outbox/outbox-notifier';
import { OutboxPublisher } from '../outbox/outbox-publisher';
import { OutboxTransactions } from '../outbox/outbox-transactions';
import { guardNewClients, PgPoolLike } from './connection-errors';
import { createDataSource } from './data-source';
import { DatabaseClockSync } from './database-clock';
import { registerEntities } from './entity-registry';

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The PostgreSQL connection pool for the whole app; `customPlans` for the worker (see PLAN_CACHE_OPTIONS). */
  static forRoot(applicationName: string, options: { customPlans?: boolean } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [APP_CONFIG],
          useFactory: async (config: AppConfig) => {
            const dataSource = await createDataSource(config.DATABASE_URL, config.DB_POOL_SIZE, applicationName, options).initialize();
            const logger = new Logger('Database');
            guardNewClients((dataSource.driver as PostgresDriver).master as PgPoolLike, (message) => logger.warn(`${applicationName}: ${message}`));
            return dataSource;
          },
        },
        OutboxNotifier,
        OutboxPublisher,
        OutboxTransactions,
        DatabaseClockSync,
      ],
      exports: [DataSource, OutboxNotifier, OutboxPublisher, OutboxTransactions],
    };
  }

  /** Lets a lib announce its entities; call it at module definition time. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  static forFeature(entities: Function[]): DynamicModule {
    registerEntities(entities);
    return { module: DatabaseFeatureModule };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

@Module({})
class DatabaseFeatureModule {}
