import { AuditModule } from '@aduan/audit';
import { ComplaintsModule } from '@aduan/complaints';
import { DirectoryModule } from '@aduan/directory';
import { ConfigModule, DatabaseModule, MetricsModule, OutboxReconciler, OutboxRelay, QueueModule, RedisModule } from '@aduan/platform';
import { NotificationsModule } from '@aduan/notifications';
import { RoutingModule } from '@aduan/routing';
import { SlaModule } from '@aduan/sla';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditSealing } from './audit-sealing';
import { WorkerHeartbeat } from './heartbeat';
import { JobObserver } from './observability/job-observer';
import { MetricsServer } from './observability/metrics-server';
import { PipelineMetrics } from './observability/pipeline-metrics';
import { AuditProcessor } from './processors/audit.processor';
import { DispatchProcessor } from './processors/dispatch.processor';
import { NotificationProcessor } from './processors/notification.processor';
import { SlaProcessor } from './processors/sla.processor';
import { RoutingProcessor } from './processors/routing.processor';
import { ResponseTimeProjection } from './response-time-projection';
import { WorkerHost } from './worker-host';

@Module({
  imports: [
    ConfigModule,
    MetricsModule,
    // The consumers' prepared statements lock and read growing tables: plan them for their current size.
    DatabaseModule.forRoot('aduan-worker', { customPlans: true }),
    RedisModule,
    QueueModule,
    CqrsModule.forRoot(),
    DirectoryModule,
    AuditModule,
    SlaModule,
    ComplaintsModule,
    RoutingModule,
    NotificationsModule,
  ],
  providers: [OutboxRelay, OutboxReconciler, RoutingProcessor, DispatchProcessor, SlaProcessor, NotificationProcessor, AuditProcessor, AuditSealing, ResponseTimeProjection, PipelineMetrics, JobObserver, MetricsServer, WorkerHost, WorkerHeartbeat],
})
export class WorkerModule {}
