import { ComplaintsModule } from '@aduan/complaints';
import { DirectoryModule, OfficialsService } from '@aduan/directory';
import { AuditModule } from '@aduan/audit';
import { APP_CONFIG, AppConfig, ConfigModule, DatabaseModule, ProblemFilter, QueueModule, RedisModule } from '@aduan/platform';
import { SlaModule } from '@aduan/sla';
import { Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { OfficialsController } from './admin/officials.controller';
import { AuthController } from './auth/auth.controller';
import { BearerGuard } from './auth/auth.guard';
import { ComplaintsController } from './complaints/complaints.controller';
import { InboxController } from './console/inbox.controller';
import { DirectoryController } from './directory/directory.controller';
import { HealthController } from './health/health.controller';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule.forRoot('aduan-api'),
    RedisModule,
    QueueModule,
    CqrsModule.forRoot(),
    DirectoryModule,
    AuditModule,
    SlaModule,
    ComplaintsModule,
  ],
  controllers: [HealthController, DirectoryController, ComplaintsController, AuthController, InboxController, OfficialsController],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }, BearerGuard],
})
export class ApiModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiModule.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly officials: OfficialsService) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.ADMIN_PASSWORD) return;
    if (await this.officials.ensureBootstrapAdmin(this.config.ADMIN_USERNAME, this.config.ADMIN_PASSWORD)) {
      this.logger.log(`bootstrap admin "${this.config.ADMIN_USERNAME}" created`);
    }
  }
}
