import { Initial1795355886962 } from './1795355886962-initial';
import { AuditAppendOnlyAndOutboxNotify1795355900000 } from './1795355900000-audit-append-only-and-outbox-notify';
import { ActionsSlaNotifications1795356900204 } from './1795356900204-actions-sla-notifications';

/** Every migration, in order. Never edit one that has landed; add a new one. */
export const MIGRATIONS = [Initial1795355886962, AuditAppendOnlyAndOutboxNotify1795355900000, ActionsSlaNotifications1795356900204];
