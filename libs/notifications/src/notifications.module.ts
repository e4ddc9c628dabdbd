import { Module } from '@nestjs/common';
import { SendNotificationHandler } from './send-notification/send-notification.handler';

@Module({ providers: [SendNotificationHandler] })
export class NotificationsModule {}
