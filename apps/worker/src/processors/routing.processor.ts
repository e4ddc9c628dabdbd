import { APP_CONFIG, AppConfig, JobName, MicroBatcher } from '@aduan/platform';
import { RouteComplaintResult, RouteComplaintsCommand, RouteComplaintsHandler, RouteRequest } from '@aduan/routing';
import { Inject, Injectable } from '@nestjs/common';
import { configuredBatcher, Processor } from './job-handler';

/** `routing` queue: decide the unit. Jobs that arrive together are decided in one transaction. */
@Injectable()
export class RoutingProcessor implements Processor {
  private readonly batcher: MicroBatcher<RouteRequest, RouteComplaintResult>;

  constructor(handler: RouteComplaintsHandler, @Inject(APP_CONFIG) config: AppConfig) {
    this.batcher = configuredBatcher(config, (requests) => handler.execute(new RouteComplaintsCommand(requests, JobName.RouteComplaint)));
  }

  readonly batched = [JobName.RouteComplaint];

  readonly handlers: Processor['handlers'] = {
    [JobName.RouteComplaint]: (payload, messageId) => this.batcher.submit({ complaintId: payload.complaintId, messageId }),
  };
}
