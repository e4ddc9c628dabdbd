import { databaseClock } from '@aduan/platform';
import { Command } from '@nestjs/cqrs';

/**
 * A timer and the time it was armed for (`dueAt`, `closeAt`): when PostgreSQL holds another time
 * (the deadline moved), the timer is stale and does nothing. First-response and closing timers
 * armed before deadlines could move carry no time.
 */
export type SlaTimer =
  | { kind: 'first-response-due'; assignmentId: string; dueAt: Date | null }
  | { kind: 'first-response-reminder'; assignmentId: string; dueAt: Date | null }
  | { kind: 'resolution-due'; complaintId: string; dueAt: Date }
  | { kind: 'auto-close'; complaintId: string; resolvedAt: Date; closeAt: Date | null };

export type SlaTimerResult = 'escalated' | 'breached' | 'reminded' | 'closed' | 'met' | 'duplicate';

/**
 * A timer on the `sla` queue went off at `firedAt` (when the worker runs its job, by PostgreSQL's clock). The database
 * decides whether it still matters.
 */
export class FireSlaTimerCommand extends Command<SlaTimerResult> {
  constructor(readonly timer: SlaTimer, readonly consumer: string, readonly messageId: string, readonly firedAt: Date = databaseClock.now()) {
    super();
  }
}
