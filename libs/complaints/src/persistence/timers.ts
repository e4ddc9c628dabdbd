import { JobName, timerJobId } from '@aduan/platform';
import { SLA_DEFAULTS } from '../domain/sla-defaults';
import { ComplaintUnitOfWork } from './complaint-unit-of-work';

/**
 * Arms the first-response timers of a stay in a unit's inbox: the deadline itself and a reminder
 * before it. Both are delayed jobs written to the outbox in the caller's transaction. A deadline
 * re-armed after it moved gets its reminder only while the reminder's time is still ahead.
 */
export function armFirstResponse(uow: ComplaintUnitOfWork, assignmentId: string, assignedAt: Date, dueAt: Date): void {
  const remindAt = new Date(assignedAt.getTime() + (dueAt.getTime() - assignedAt.getTime()) * SLA_DEFAULTS.reminderAt);
  const payload = { assignmentId, dueAt: dueAt.toISOString() };
  uow.publish(JobName.FirstResponseDue, payload, { jobId: timerJobId.firstResponseDue(assignmentId, dueAt), deliverAt: dueAt });
  if (remindAt.getTime() > uow.now.getTime()) {
    uow.publish(JobName.FirstResponseReminder, payload, { jobId: timerJobId.firstResponseReminder(assignmentId, dueAt), deliverAt: remindAt });
  }
}

/** Arms the resolution deadline; a later deadline gets a timer of its own, the old one finds nothing to do. */
export function armResolution(uow: ComplaintUnitOfWork, complaintId: string, dueAt: Date): void {
  uow.publish(JobName.ResolutionDue, { complaintId, dueAt: dueAt.toISOString() }, { jobId: timerJobId.resolutionDue(complaintId, dueAt), deliverAt: dueAt });
}

/** Arms the closing of a resolution the resident leaves unanswered. */
export function armAutoClose(uow: ComplaintUnitOfWork, complaintId: string, resolvedAt: Date, closeAt: Date): void {
  uow.publish(
    JobName.AutoClose,
    { complaintId, resolvedAt: resolvedAt.toISOString(), closeAt: closeAt.toISOString() },
    { jobId: timerJobId.autoClose(complaintId, resolvedAt, closeAt), deliverAt: closeAt },
  );
}
