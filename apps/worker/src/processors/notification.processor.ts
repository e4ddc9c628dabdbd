import { NotificationRequest, SendNotificationResult, SendNotificationsCommand, SendNotificationsHandler } from '@aduan/notifications';
import { APP_CONFIG, AppConfig, JobName, MicroBatcher } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { configuredBatcher, Processor } from './job-handler';

/** `notification` queue: notices to residents, units and the Inspektorat, handled in batches. */
@Injectable()
export class NotificationProcessor implements Processor {
  private readonly batcher: MicroBatcher<NotificationRequest, SendNotificationResult>;

  constructor(handler: SendNotificationsHandler, @Inject(APP_CONFIG) config: AppConfig) {
    this.batcher = configuredBatcher(config, (requests) => handler.execute(new SendNotificationsCommand(requests, JobName.SendNotification)));
  }

  readonly batched = [JobName.SendNotification];

  readonly handlers: Processor['handlers'] = {
    // The attempt tells the handler when a failed delivery is final, so the row ends as `failed`.
    [JobName.SendNotification]: (p, messageId, attempt) => this.batcher.submit({ notificationId: p.notificationId, messageId, attempt }),
  };
}
