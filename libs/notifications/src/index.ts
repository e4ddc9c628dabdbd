export * from './notifications.module';
export * from './send-notification/send-notification.command';
export * from './templates/templates';
