import { Command } from '@nestjs/cqrs';

/**
 * `sent`: every delivery went out; `rendered`: nothing to deliver (no channel configured, or
 * nobody to send to); `duplicate`: an earlier run finished it; `gone`: no such notification.
 * A delivery that failed throws (`NotificationDeliveryError`), so the queue retries.
 */
export type SendNotificationResult = 'sent' | 'rendered' | 'duplicate' | 'gone';

/** Which run of the job this is: `made` runs failed before it; `max` is the last one. */
export interface DeliveryAttempt {
  made: number;
  max: number;
}

/** The `notification` queue renders a notice and delivers it through each configured channel. */
export class SendNotificationCommand extends Command<SendNotificationResult> {
  constructor(
    readonly notificationId: string,
    readonly consumer: string,
    readonly messageId: string,
    /** without it, this run is the only one: a failure is final */
    readonly attempt: DeliveryAttempt = { made: 0, max: 1 },
  ) {
    super();
  }
}
