import { JobName, timerJobId } from '@aduan/platform';
import { ComplaintUnitOfWork } from './complaint-unit-of-work';

/** A reminder goes out when three quarters of the first-response window has passed. */
const REMINDER_AT = 0.75;

/**
 * Arms the first-response timers of a new stay in a unit's inbox: the deadline itself and a
 * reminder before it. Both are delayed jobs written to the outbox in the caller's transaction.
 */
export function armFirstResponse(uow: ComplaintUnitOfWork, assignmentId: string, assignedAt: Date, dueAt: Date): void {
  const remindAt = new Date(assignedAt.getTime() + (dueAt.getTime() - assignedAt.getTime()) * REMINDER_AT);
  uow.publish(JobName.FirstResponseDue, { assignmentId }, { jobId: timerJobId.firstResponseDue(assignmentId), deliverAt: dueAt });
  uow.publish(JobName.FirstResponseReminder, { assignmentId }, { jobId: timerJobId.firstResponseReminder(assignmentId), deliverAt: remindAt });
}

/** Arms the resolution deadline; a later deadline gets a timer of its own, the old one finds nothing to do. */
export function armResolution(uow: ComplaintUnitOfWork, complaintId: string, dueAt: Date): void {
  uow.publish(JobName.ResolutionDue, { complaintId, dueAt: dueAt.toISOString() }, { jobId: timerJobId.resolutionDue(complaintId, dueAt), deliverAt: dueAt });
}

/** Arms the closing of a resolution the resident leaves unanswered. */
export function armAutoClose(uow: ComplaintUnitOfWork, complaintId: string, resolvedAt: Date, closeAt: Date): void {
  uow.publish(JobName.AutoClose, { complaintId, resolvedAt: resolvedAt.toISOString() }, { jobId: timerJobId.autoClose(complaintId, resolvedAt), deliverAt: closeAt });
}
