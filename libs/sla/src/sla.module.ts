import { ComplaintsModule, DeadlinePolicy } from '@aduan/complaints';
import { DatabaseModule } from '@aduan/platform';
import { Global, Module } from '@nestjs/common';
import { SlaAdminService } from './admin/sla-admin.service';
import { SlaBreachEntity } from './breaches/sla-breach.entity';
import { CalendarStatus } from './calendar/calendar-status';
import { CalendarWatch } from './calendar/calendar-watch';
import { HolidayRevisionEntity } from './calendar/holiday-revision.entity';
import { HolidayTableEntity } from './calendar/holiday-table.entity';
import { HolidayEntity } from './calendar/holiday.entity';
import { SlaDeadlinePolicy } from './calendar/sla-deadline-policy';
import { HolidayTablesService } from './holiday-tables/holiday-tables.service';
import { SlaPolicyListener } from './policy/sla-policy-listener';
import { SlaPolicyEntity } from './policy/sla-policy.entity';
import { ResponseTimeProjector } from './response-times/response-time-projector';
import { ResponseTimesQuery } from './response-times/response-times.query';
import { PublicStatisticsQuery } from './statistics/public-statistics.query';
import { RearmDeadlinesHandler } from './rearm-deadlines/rearm-deadlines.handler';
import { FireSlaTimerHandler } from './timers/fire-sla-timer.handler';

/** Global so that `complaints` finds its `DeadlinePolicy` port implemented here. */
@Global()
@Module({
  imports: [DatabaseModule.forFeature([HolidayTableEntity, HolidayEntity, HolidayRevisionEntity, SlaPolicyEntity, SlaBreachEntity]), ComplaintsModule],
  providers: [
    SlaDeadlinePolicy,
    { provide: DeadlinePolicy, useExisting: SlaDeadlinePolicy },
    FireSlaTimerHandler,
    RearmDeadlinesHandler,
    SlaAdminService,
    HolidayTablesService,
    CalendarStatus,
    CalendarWatch,
    SlaPolicyListener,
    ResponseTimeProjector,
    ResponseTimesQuery,
    PublicStatisticsQuery,
  ],
  exports: [FireSlaTimerHandler, RearmDeadlinesHandler, DeadlinePolicy, SlaDeadlinePolicy, SlaAdminService, HolidayTablesService, CalendarStatus, CalendarWatch, SlaPolicyListener, ResponseTimeProjector, ResponseTimesQuery, PublicStatisticsQuery],
})
export class SlaModule {}
