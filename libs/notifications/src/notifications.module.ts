import { ComplaintsModule } from '@aduan/complaints';
import { APP_CONFIG, AppConfig, DatabaseModule } from '@aduan/platform';
import { Module } from '@nestjs/common';
import { EmailChannel } from './channels/email.channel';
import { WebhookChannel } from './channels/webhook.channel';
import { AddressHasher } from './deliveries/address-hasher';
import { NotificationDeliveryEntity } from './deliveries/notification-delivery.entity';
import { SendNotificationHandler, SendNotificationsHandler } from './send-notification/send-notification.handler';

/** The `notification` queue's handler and its channels (email over SMTP, a signed webhook). */
@Module({
  imports: [DatabaseModule.forFeature([NotificationDeliveryEntity]), ComplaintsModule],
  providers: [
    EmailChannel,
    WebhookChannel,
    { provide: AddressHasher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new AddressHasher(Buffer.from(c.PRIVACY_KEY, 'base64')) },
    SendNotificationHandler,
    SendNotificationsHandler,
  ],
  exports: [SendNotificationsHandler],
})
export class NotificationsModule {}
