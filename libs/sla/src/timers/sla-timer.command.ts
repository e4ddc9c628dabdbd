import { Command } from '@nestjs/cqrs';

export type SlaTimer =
  | { kind: 'first-response-due'; assignmentId: string }
  | { kind: 'first-response-reminder'; assignmentId: string }
  | { kind: 'resolution-due'; complaintId: string; dueAt: Date }
  | { kind: 'auto-close'; complaintId: string; resolvedAt: Date };

export type SlaTimerResult = 'escalated' | 'breached' | 'reminded' | 'closed' | 'met' | 'duplicate';

/** A timer on the `sla` queue went off. The database decides whether it still matters. */
export class FireSlaTimerCommand extends Command<SlaTimerResult> {
  constructor(readonly timer: SlaTimer, readonly consumer: string, readonly messageId: string) {
    super();
  }
}
