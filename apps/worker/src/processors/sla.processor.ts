import { JobName } from '@aduan/platform';
import { FireSlaTimerCommand } from '@aduan/sla';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Processor } from './job-handler';

/** `sla` queue: deadlines, reminders, automatic closing. */
@Injectable()
export class SlaProcessor implements Processor {
  constructor(private readonly commands: CommandBus) {}

  readonly handlers: Processor['handlers'] = {
    [JobName.FirstResponseDue]: (p, id) => this.commands.execute(new FireSlaTimerCommand({ kind: 'first-response-due', assignmentId: p.assignmentId }, JobName.FirstResponseDue, id)),
    [JobName.FirstResponseReminder]: (p, id) =>
      this.commands.execute(new FireSlaTimerCommand({ kind: 'first-response-reminder', assignmentId: p.assignmentId }, JobName.FirstResponseReminder, id)),
    [JobName.ResolutionDue]: (p, id) =>
      this.commands.execute(new FireSlaTimerCommand({ kind: 'resolution-due', complaintId: p.complaintId, dueAt: new Date(p.dueAt) }, JobName.ResolutionDue, id)),
    [JobName.AutoClose]: (p, id) =>
      this.commands.execute(new FireSlaTimerCommand({ kind: 'auto-close', complaintId: p.complaintId, resolvedAt: new Date(p.resolvedAt) }, JobName.AutoClose, id)),
  };
}
