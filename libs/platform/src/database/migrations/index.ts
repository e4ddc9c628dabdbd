import { Initial1795355886962 } from './1795355886962-initial';
import { AuditAppendOnlyAndOutboxNotify1795355900000 } from './1795355900000-audit-append-only-and-outbox-notify';
import { ActionsSlaNotifications1795356900204 } from './1795356900204-actions-sla-notifications';
import { Attachment1795357122897 } from './1795357122897-attachment';
import { ApiKeysAndIntakeKeys1795357278991 } from './1795357278991-api-keys-and-intake-keys';
import { OfficialSessions1795358494178 } from './1795358494178-official-sessions';
import { OfficialEmail1795358842111 } from './1795358842111-official-email';
import { OutboxNotifyAfterCommit1795358900000 } from './1795358900000-outbox-notify-after-commit';
import { NotificationDelivery1795358993798 } from './1795358993798-notification-delivery';
import { OutboxTimerHorizon1795359100000 } from './1795359100000-outbox-timer-horizon';
import { OutboxPublishedIndex1795359200000 } from './1795359200000-outbox-published-index';
import { ConflictOfInterest1795361000000 } from './1795361000000-conflict-of-interest';
import { ConflictOfInterestRules1795361100000 } from './1795361100000-conflict-of-interest-rules';
import { RefreshTokenReuse1795362000000 } from './1795362000000-refresh-token-reuse';
import { ComplaintApiKey1795363000000 } from './1795363000000-complaint-api-key';
import { WorkingCalendars1795364000000 } from './1795364000000-working-calendars';
import { AuditTreeAndCheckpoints1795365000000 } from './1795365000000-audit-tree-and-checkpoints';
import { InboxKeysetIndex1795371000000 } from './1795371000000-inbox-keyset-index';
import { AuditTrailIndexes1795372000000 } from './1795372000000-audit-trail-indexes';
import { AssignmentUnitIndex1795372100000 } from './1795372100000-assignment-unit-index';
import { ReporterErasure1795376200000 } from './1795376200000-reporter-erasure';
import { ResponseTimes1795376300000 } from './1795376300000-response-times';
import { ResponseTimeRollup1795376400000 } from './1795376400000-response-time-rollup';
import { ResponseTimeCoveringIndexes1795376900000 } from './1795376900000-response-time-covering-indexes';
import { ResponseTimeQuartersYearsAndCoveringIndexes1795377000000 } from './1795377000000-response-time-quarters-years-and-covering-indexes';

/** Every migration, in order. Never edit one that has landed; add a new one. */
export const MIGRATIONS = [Initial1795355886962, AuditAppendOnlyAndOutboxNotify1795355900000, ActionsSlaNotifications1795356900204, Attachment1795357122897, ApiKeysAndIntakeKeys1795357278991, OfficialSessions1795358494178, OfficialEmail1795358842111, OutboxNotifyAfterCommit1795358900000, NotificationDelivery1795358993798, OutboxTimerHorizon1795359100000, OutboxPublishedIndex1795359200000, ConflictOfInterest1795361000000, ConflictOfInterestRules1795361100000, RefreshTokenReuse1795362000000, ComplaintApiKey1795363000000, WorkingCalendars1795364000000, AuditTreeAndCheckpoints1795365000000, InboxKeysetIndex1795371000000, AuditTrailIndexes1795372000000, AssignmentUnitIndex1795372100000, ReporterErasure1795376200000, ResponseTimes1795376300000, ResponseTimeRollup1795376400000, ResponseTimeCoveringIndexes1795376900000, ResponseTimeQuartersYearsAndCoveringIndexes1795377000000];
