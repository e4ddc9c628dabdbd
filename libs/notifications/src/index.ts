export * from './notifications.module';
export * from './channels/webhook-payload';
export * from './channels/webhook-signature';
export * from './deliveries/notification-delivery.entity';
export * from './send-notification/send-notification.command';
export { SendNotificationsHandler } from './send-notification/send-notification.handler';
export * from './templates/templates';
