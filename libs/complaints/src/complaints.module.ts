import { APP_CONFIG, AppConfig, DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { ActOnComplaintHandler } from './act-on-complaint/act-on-complaint.handler';
import { AddPhotoHandler } from './attachments/add-photo.handler';
import { ConflictMarkerEntity } from './conflict/conflict-marker.entity';
import { ConflictReferences } from './conflict/conflict-references';
import { MarkersService } from './markers/markers.service';
import { AccusedReviewQuery } from './triage-accused/accused-review.query';
import { TriageAccusedHandler } from './triage-accused/triage-accused.handler';
import { AttachmentEntity } from './attachments/attachment.entity';
import { PhotoReads } from './attachments/photo-reads';
import { AssignComplaintsHandler } from './assign-complaint/assign-complaint.handler';
import { ComplaintWriter } from './persistence/complaint-writer';
import { ResidentWritesHandler } from './resident-writes/resident-writes.handler';
import { RevealReporterHandler } from './reveal-reporter/reveal-reporter.handler';
import { EraseReporterHandler } from './erase-reporter/erase-reporter.handler';
import { InboxQuery } from './inbox/inbox.query';
import { Open311MediaSigner } from './open311/open311-media';
import { Open311Requests } from './open311/open311-requests.query';
import { NotificationEntity } from './notifications/notification.entity';
import { AssignmentEntity } from './persistence/assignment.entity';
import { ComplaintAccessEntity } from './persistence/complaint-access.entity';
import { ComplaintMessageEntity } from './persistence/complaint-message.entity';
import { ComplaintEntity } from './persistence/complaint.entity';
import { AccessCodeHasher, ReporterCipher } from './privacy/reporter-cipher';
import { IntakeKeyEntity } from './submit-complaint/intake-key.entity';
import { IntakeReferences } from './submit-complaint/intake-references';
import { IntakeResponseCipher } from './submit-complaint/intake-response-cipher';
import { SubmitComplaintHandler } from './submit-complaint/submit-complaint.handler';
import { ComplaintViews } from './view-complaint/complaint-views';
import { AuditTrailsQuery } from './oversight/audit-trails.query';
import { IntegrityViewsQuery } from './oversight/integrity-views.query';

/**
 * The Complaint aggregate and its use cases. Needs a `DeadlinePolicy` provider in scope (the
 * `sla` lib's global module supplies it).
 */
@Module({
  imports: [DatabaseModule.forFeature([ComplaintEntity, IntakeKeyEntity, AssignmentEntity, ComplaintAccessEntity, ComplaintMessageEntity, NotificationEntity, AttachmentEntity, ConflictMarkerEntity])],
  providers: [
    {
      provide: ReporterCipher,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new ReporterCipher(new Map([[c.PRIVACY_KEY_ID, Buffer.from(c.PRIVACY_KEY, 'base64')]]), c.PRIVACY_KEY_ID),
    },
    { provide: AccessCodeHasher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new AccessCodeHasher(c.ACCESS_CODE_SECRET) },
    { provide: Open311MediaSigner, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new Open311MediaSigner(c.ACCESS_CODE_SECRET) },
    {
      provide: IntakeResponseCipher,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new IntakeResponseCipher(new Map([[c.PRIVACY_KEY_ID, Buffer.from(c.PRIVACY_KEY, 'base64')]]), c.PRIVACY_KEY_ID),
    },
    IntakeReferences,
    ConflictReferences,
    ComplaintWriter,
    SubmitComplaintHandler,
    AssignComplaintsHandler,
    ActOnComplaintHandler,
    ResidentWritesHandler,
    RevealReporterHandler,
    EraseReporterHandler,
    ComplaintViews,
    InboxQuery,
    Open311Requests,
    AddPhotoHandler,
    PhotoReads,
    TriageAccusedHandler,
    AccusedReviewQuery,
    MarkersService,
    AuditTrailsQuery,
    IntegrityViewsQuery,
  ],
  exports: [ComplaintWriter, AssignComplaintsHandler, ComplaintViews, InboxQuery, ReporterCipher, Open311Requests, PhotoReads, AccusedReviewQuery, MarkersService, AuditTrailsQuery, IntegrityViewsQuery],
})
export class ComplaintsModule {}
