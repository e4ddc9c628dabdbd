/**
 * The one registry of queues, jobs and their payloads. Queue and job names appear as string
 * literals here and nowhere else. Jobs carry ids, never complaint content or reporter data.
 */
export enum QueueName {
  Routing = 'routing',
  Lurah = 'lurah',
  Camat = 'camat',
  Opd = 'opd',
  Inspektorat = 'inspektorat',
  Sla = 'sla',
  Notification = 'notification',
  Audit = 'audit',
}

export enum JobName {
  RouteComplaint = 'routing.route-complaint',
  DispatchToLurah = 'lurah.dispatch-complaint',
  DispatchToCamat = 'camat.dispatch-complaint',
  DispatchToOpd = 'opd.dispatch-complaint',
  DispatchToInspektorat = 'inspektorat.dispatch-complaint',
  FirstResponseDue = 'sla.first-response-due',
  FirstResponseReminder = 'sla.first-response-reminder',
  ResolutionDue = 'sla.resolution-due',
  AutoClose = 'sla.auto-close',
  RearmDeadlines = 'sla.rearm-deadlines',
  SendNotification = 'notification.send',
  VerifyAudit = 'audit.verify',
}

export interface DispatchComplaintPayload {
  complaintId: string;
  unitId: string;
  /** the routing decision this dispatch carries out (its audit entry's event id) */
  routingId: string;
}

/** Payload type of every job. */
export interface JobPayloads {
  [JobName.RouteComplaint]: { complaintId: string };
  [JobName.DispatchToLurah]: DispatchComplaintPayload;
  [JobName.DispatchToCamat]: DispatchComplaintPayload;
  [JobName.DispatchToOpd]: DispatchComplaintPayload;
  [JobName.DispatchToInspektorat]: DispatchComplaintPayload;
  /**
   * `dueAt` is the deadline a timer was armed for: one that has moved since (a revised holiday
   * table) makes it a no-op. Timers armed before deadlines could move carry no `dueAt`.
   */
  [JobName.FirstResponseDue]: { assignmentId: string; dueAt?: string };
  [JobName.FirstResponseReminder]: { assignmentId: string; dueAt?: string };
  [JobName.ResolutionDue]: { complaintId: string; dueAt: string };
  /** `closeAt`: the closing time it was armed for (absent from timers armed before it could move) */
  [JobName.AutoClose]: { complaintId: string; resolvedAt: string; closeAt?: string };
  /** a revised holiday table: count every running deadline it concerns again */
  [JobName.RearmDeadlines]: { revisionId: string };
  [JobName.SendNotification]: { notificationId: string };
  /** one run of verify over the whole audit log (audit_verification row) */
  [JobName.VerifyAudit]: { verificationId: string };
}

/** Which queue carries each job. */
export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  [JobName.RouteComplaint]: QueueName.Routing,
  [JobName.DispatchToLurah]: QueueName.Lurah,
  [JobName.DispatchToCamat]: QueueName.Camat,
  [JobName.DispatchToOpd]: QueueName.Opd,
  [JobName.DispatchToInspektorat]: QueueName.Inspektorat,
  [JobName.FirstResponseDue]: QueueName.Sla,
  [JobName.FirstResponseReminder]: QueueName.Sla,
  [JobName.ResolutionDue]: QueueName.Sla,
  [JobName.AutoClose]: QueueName.Sla,
  [JobName.RearmDeadlines]: QueueName.Sla,
  [JobName.SendNotification]: QueueName.Notification,
  [JobName.VerifyAudit]: QueueName.Audit,
};

/**
 * Deterministic BullMQ ids for timers, so arming twice is one job (BullMQ ids may not hold ':').
 * Each names the time it was armed for: a deadline that moves gets a timer of its own.
 */
export const timerJobId = {
  firstResponseDue: (assignmentId: string, dueAt: Date) => `frd-${assignmentId}-${dueAt.getTime()}`,
  firstResponseReminder: (assignmentId: string, dueAt: Date) => `frr-${assignmentId}-${dueAt.getTime()}`,
  resolutionDue: (complaintId: string, dueAt: Date) => `rsd-${complaintId}-${dueAt.getTime()}`,
  autoClose: (complaintId: string, resolvedAt: Date, closeAt: Date) => `acl-${complaintId}-${resolvedAt.getTime()}-${closeAt.getTime()}`,
  rearmDeadlines: (revisionId: string) => `rearm-${revisionId}`,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);

export function isJobName(value: string): value is JobName {
  return (Object.values(JobName) as string[]).includes(value);
}

/** Parses `WORKER_QUEUES` ("all" or a comma list); unknown names are an error, not a silent skip. */
export function parseQueueList(value: string): QueueName[] {
  if (value.trim() === 'all') return [...ALL_QUEUES];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(ALL_QUEUES as string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`WORKER_QUEUES names unknown queues: ${unknown.join(', ') || '(empty)'}; known: ${ALL_QUEUES.join(', ')}`);
  }
  return [...new Set(names)] as QueueName[];
}
