import { APP_CONFIG, AppConfig, DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { AssignComplaintHandler } from './assign-complaint/assign-complaint.handler';
import { InboxQuery } from './inbox/inbox.query';
import { NotificationEntity } from './notifications/notification.entity';
import { AssignmentEntity } from './persistence/assignment.entity';
import { ComplaintAccessEntity } from './persistence/complaint-access.entity';
import { ComplaintMessageEntity } from './persistence/complaint-message.entity';
import { ComplaintEntity } from './persistence/complaint.entity';
import { AccessCodeHasher, ReporterCipher } from './privacy/reporter-cipher';
import { IntakeReferences } from './submit-complaint/intake-references';
import { SubmitComplaintHandler } from './submit-complaint/submit-complaint.handler';
import { ComplaintViews } from './view-complaint/complaint-views';

/**
 * The Complaint aggregate and its use cases. Needs a `DeadlinePolicy` provider in scope (the
 * `sla` lib's global module supplies it).
 */
@Module({
  imports: [DatabaseModule.forFeature([ComplaintEntity, AssignmentEntity, ComplaintAccessEntity, ComplaintMessageEntity, NotificationEntity])],
  providers: [
    {
      provide: ReporterCipher,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new ReporterCipher(new Map([[c.PRIVACY_KEY_ID, Buffer.from(c.PRIVACY_KEY, 'base64')]]), c.PRIVACY_KEY_ID),
    },
    { provide: AccessCodeHasher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new AccessCodeHasher(c.ACCESS_CODE_SECRET) },
    IntakeReferences,
    SubmitComplaintHandler,
    AssignComplaintHandler,
    ComplaintViews,
    InboxQuery,
  ],
  exports: [ComplaintViews, InboxQuery, ReporterCipher],
})
export class ComplaintsModule {}
