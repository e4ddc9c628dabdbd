export { NotificationsModule } from './notifications.module';
export { type WebhookNotice } from './channels/webhook-payload';
export { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './channels/webhook-signature';
export { type NotificationRequest, SendNotificationCommand, type SendNotificationResult, SendNotificationsCommand } from './send-notification/send-notification.command';
export { SendNotificationsHandler } from './send-notification/send-notification.handler';
