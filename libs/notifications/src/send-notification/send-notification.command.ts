import { Command } from '@nestjs/cqrs';

export type SendNotificationResult = 'rendered' | 'duplicate' | 'gone';

/** The `notification` queue prepares a notice for delivery. */
export class SendNotificationCommand extends Command<SendNotificationResult> {
  constructor(readonly notificationId: string, readonly consumer: string, readonly messageId: string) {
    super();
  }
}
