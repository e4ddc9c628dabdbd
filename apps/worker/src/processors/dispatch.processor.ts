import { AssignComplaintCommand, Tier } from '@aduan/complaints';
import { DispatchComplaintPayload, JobName } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Processor } from './job-handler';

/** The tier queues (`lurah`, `camat`, `opd`, `inspektorat`): put the complaint in the unit's inbox. */
@Injectable()
export class DispatchProcessor implements Processor {
  constructor(private readonly commands: CommandBus) {}

  private assign(tier: Tier, job: JobName) {
    return (payload: DispatchComplaintPayload, messageId: string) =>
      this.commands.execute(new AssignComplaintCommand(payload.complaintId, payload.unitId, tier, payload.routingId, job, messageId));
  }

  readonly handlers: Processor['handlers'] = {
    [JobName.DispatchToLurah]: this.assign('lurah', JobName.DispatchToLurah),
    [JobName.DispatchToCamat]: this.assign('camat', JobName.DispatchToCamat),
    [JobName.DispatchToOpd]: this.assign('opd', JobName.DispatchToOpd),
    [JobName.DispatchToInspektorat]: this.assign('inspektorat', JobName.DispatchToInspektorat),
  };
}
