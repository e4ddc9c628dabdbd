import { SendNotificationCommand } from '@aduan/notifications';
import { JobName } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Processor } from './job-handler';

/** `notification` queue: notices to residents, units and the Inspektorat. */
@Injectable()
export class NotificationProcessor implements Processor {
  constructor(private readonly commands: CommandBus) {}

  readonly handlers: Processor['handlers'] = {
    // The attempt tells the handler when a failed delivery is final, so the row ends as `failed`.
    [JobName.SendNotification]: (p, id, attempt) => this.commands.execute(new SendNotificationCommand(p.notificationId, JobName.SendNotification, id, attempt)),
  };
}
