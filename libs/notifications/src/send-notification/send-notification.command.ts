import type { BatchOutcome } from '@aduan/platform';
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

/** One `notification.send` job of a batch. */
export interface NotificationRequest {
  notificationId: string;
  messageId: string;
  attempt: DeliveryAttempt;
}

/**
 * The jobs the `notification` queue received together; one outcome per request, in order. With
 * no delivery channel configured they are settled in one transaction; otherwise each is sent as
 * by SendNotificationCommand.
 */
export class SendNotificationsCommand extends Command<BatchOutcome<SendNotificationResult>[]> {
  constructor(readonly requests: readonly NotificationRequest[], readonly consumer: string) {
    super();
  }
}
