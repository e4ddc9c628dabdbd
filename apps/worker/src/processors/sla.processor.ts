import { JobName } from '@aduan/platform';
import { FireSlaTimerCommand, FireSlaTimerHandler, RearmDeadlinesCommand, RearmDeadlinesHandler } from '@aduan/sla';
import { Injectable } from '@nestjs/common';
import { Processor } from './job-handler';

const optionalDate = (iso: string | undefined) => (iso ? new Date(iso) : null);

/** `sla` queue: deadlines, reminders, automatic closing, and re-counting deadlines after a holiday table changes. */
@Injectable()
export class SlaProcessor implements Processor {
  constructor(private readonly timers: FireSlaTimerHandler, private readonly rearm: RearmDeadlinesHandler) {}

  readonly handlers: Processor['handlers'] = {
    [JobName.FirstResponseDue]: (p, id) =>
      this.timers.execute(new FireSlaTimerCommand({ kind: 'first-response-due', assignmentId: p.assignmentId, dueAt: optionalDate(p.dueAt) }, JobName.FirstResponseDue, id)),
    [JobName.FirstResponseReminder]: (p, id) =>
      this.timers.execute(new FireSlaTimerCommand({ kind: 'first-response-reminder', assignmentId: p.assignmentId, dueAt: optionalDate(p.dueAt) }, JobName.FirstResponseReminder, id)),
    [JobName.ResolutionDue]: (p, id) =>
      this.timers.execute(new FireSlaTimerCommand({ kind: 'resolution-due', complaintId: p.complaintId, dueAt: new Date(p.dueAt) }, JobName.ResolutionDue, id)),
    [JobName.AutoClose]: (p, id) =>
      this.timers.execute(
        new FireSlaTimerCommand({ kind: 'auto-close', complaintId: p.complaintId, resolvedAt: new Date(p.resolvedAt), closeAt: optionalDate(p.closeAt) }, JobName.AutoClose, id),
      ),
    [JobName.RearmDeadlines]: (p, id) => this.rearm.execute(new RearmDeadlinesCommand(p.revisionId, JobName.RearmDeadlines, id)),
  };
}
