import { DeadlinePolicy } from '@aduan/complaints';
import { DatabaseModule } from '@aduan/platform';
import { Global, Module } from '@nestjs/common';
import { SlaBreachEntity } from './breaches/sla-breach.entity';
import { HolidayEntity } from './calendar/holiday.entity';
import { SlaPolicyEntity } from './policy/sla-policy.entity';
import { SlaAdminService } from './admin/sla-admin.service';
import { FireSlaTimerHandler } from './timers/fire-sla-timer.handler';
import { SlaDeadlinePolicy } from './calendar/sla-deadline-policy';

/** Global so that `complaints` finds its `DeadlinePolicy` port implemented here. */
@Global()
@Module({
  imports: [DatabaseModule.forFeature([HolidayEntity, SlaPolicyEntity, SlaBreachEntity])],
  providers: [SlaDeadlinePolicy, { provide: DeadlinePolicy, useExisting: SlaDeadlinePolicy }, FireSlaTimerHandler, SlaAdminService],
  exports: [DeadlinePolicy, SlaDeadlinePolicy, SlaAdminService],
})
export class SlaModule {}
