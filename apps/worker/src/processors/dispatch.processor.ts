import { AssignComplaintResult, AssignComplaintsCommand, AssignComplaintsHandler, AssignRequest } from '@aduan/complaints';
import type { Tier } from '@aduan/directory';
import { APP_CONFIG, AppConfig, DispatchComplaintPayload, JobName } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { configuredBatcher, JobHandler, Processor } from './job-handler';

type DispatchJob = JobName.DispatchToLurah | JobName.DispatchToCamat | JobName.DispatchToOpd | JobName.DispatchToInspektorat;

/**
 * The tier queues (`lurah`, `camat`, `opd`, `inspektorat`): put the complaint in the unit's
 * inbox. Each queue batches its own jobs: jobs that arrive together are assigned in one transaction.
 */
@Injectable()
export class DispatchProcessor implements Processor {
  readonly batched = [JobName.DispatchToLurah, JobName.DispatchToCamat, JobName.DispatchToOpd, JobName.DispatchToInspektorat];
  readonly handlers: Processor['handlers'];

  constructor(private readonly handler: AssignComplaintsHandler, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.handlers = {
      [JobName.DispatchToLurah]: this.assign('lurah', JobName.DispatchToLurah),
      [JobName.DispatchToCamat]: this.assign('camat', JobName.DispatchToCamat),
      [JobName.DispatchToOpd]: this.assign('opd', JobName.DispatchToOpd),
      [JobName.DispatchToInspektorat]: this.assign('inspektorat', JobName.DispatchToInspektorat),
    };
  }

  private assign(tier: Tier, job: DispatchJob): JobHandler<DispatchJob> {
    const batcher = configuredBatcher<AssignRequest, AssignComplaintResult>(this.config, (requests) => this.handler.execute(new AssignComplaintsCommand(requests, job)));
    return (payload: DispatchComplaintPayload, messageId: string) =>
      batcher.submit({ complaintId: payload.complaintId, unitId: payload.unitId, tier, routingId: payload.routingId, messageId });
  }
}
