import { ComplaintsModule } from '@aduan/complaints';
import { DirectoryModule, OfficialAccounts } from '@aduan/directory';
import { AuditModule } from '@aduan/audit';
import { APP_CONFIG, AppConfig, ConfigModule, DatabaseModule, MetricsModule, QueueModule, READINESS_CHECKS, REDIS, RedisModule } from '@aduan/platform';
import { RoutingModule } from '@aduan/routing';
import { CalendarStatus, SlaModule } from '@aduan/sla';
import { Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ApiKeysController } from './admin/api-keys.controller';
import { BoardSigner } from './admin/queue-board';
import { QueueBoardController } from './admin/queue-board.controller';
import { HolidaysController } from './admin/holidays.controller';
import { OfficialsController } from './admin/officials.controller';
import { RulesController } from './admin/rules.controller';
import { ResidentWritesController } from './complaints/resident-writes.controller';
import { ActionsController } from './console/actions.controller';
import { AuditLogController } from './oversight/audit-log.controller';
import { AuditTrailsController } from './oversight/audit-trails.controller';
import { IntegrityViewsController } from './oversight/integrity-views.controller';
import { ConflictsController } from './oversight/conflicts.controller';
import { MarkersController } from './oversight/markers.controller';
import { RevealReporterController } from './oversight/reveal-reporter.controller';
import { ResponseTimesController } from './oversight/response-times.controller';
import { AuthController } from './auth/auth.controller';
import { BearerGuard } from './auth/auth.guard';
import { ComplaintsController } from './complaints/complaints.controller';
import { PhotosController } from './complaints/photos.controller';
import { InboxController } from './console/inbox.controller';
import { DirectoryController } from './directory/directory.controller';
import { outboxCheck, postgresCheck, redisCheck, workerCheck } from './health/dependency-checks';
import { HealthController } from './health/health.controller';
import { ApiExceptionFilter } from './http/error-shapes';
import { Open311RequestsController } from './open311/open311-requests.controller';
import { Open311ServicesController } from './open311/open311-services.controller';
import { WebController } from './web/web.controller';
import { StatisticsController } from './statistics/statistics.controller';

@Module({
  imports: [
    ConfigModule,
    MetricsModule,
    DatabaseModule.forRoot('aduan-api'),
    RedisModule,
    QueueModule,
    CqrsModule.forRoot(),
    DirectoryModule,
    AuditModule,
    SlaModule,
    ComplaintsModule,
    RoutingModule,
  ],
  controllers: [HealthController, DirectoryController, ComplaintsController, PhotosController, ResidentWritesController, ActionsController, RulesController, HolidaysController, RevealReporterController, ConflictsController, MarkersController, AuditLogController, AuditTrailsController, IntegrityViewsController,
    ResponseTimesController, StatisticsController, AuthController, InboxController, OfficialsController, ApiKeysController, QueueBoardController, Open311ServicesController, Open311RequestsController, WebController],
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    BearerGuard,
    { provide: BoardSigner, useFactory: (config: AppConfig) => new BoardSigner(config.AUTH_TOKEN_SECRET), inject: [APP_CONFIG] },
    // What /health/ready checks, in order.
    {
      provide: READINESS_CHECKS,
      useFactory: (dataSource: DataSource, redis: Redis, calendar: CalendarStatus, config: AppConfig) => [
        postgresCheck(dataSource),
        redisCheck(redis),
        workerCheck(redis, config.QUEUE_PREFIX, config.WORKER_HEARTBEAT_TIMEOUT_SECONDS),
        outboxCheck(dataSource, config.OUTBOX_LAG_READY_SECONDS),
        calendar,
      ],
      inject: [DataSource, REDIS, CalendarStatus, APP_CONFIG],
    },
  ],
})
export class ApiModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiModule.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly accounts: OfficialAccounts) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.ADMIN_PASSWORD) return;
    if (await this.accounts.ensureBootstrapAdmin(this.config.ADMIN_USERNAME, this.config.ADMIN_PASSWORD)) {
      this.logger.log(`bootstrap admin "${this.config.ADMIN_USERNAME}" created`);
    }
  }
}
