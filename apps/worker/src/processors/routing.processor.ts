import { JobName } from '@aduan/platform';
import { RouteComplaintCommand } from '@aduan/routing';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Processor } from './job-handler';

/** `routing` queue: decide the unit. */
@Injectable()
export class RoutingProcessor implements Processor {
  constructor(private readonly commands: CommandBus) {}

  readonly handlers: Processor['handlers'] = {
    [JobName.RouteComplaint]: (payload, messageId) =>
      this.commands.execute(new RouteComplaintCommand(payload.complaintId, JobName.RouteComplaint, messageId)),
  };
}
