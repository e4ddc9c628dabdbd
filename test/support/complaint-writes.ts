import { Complaint, ComplaintProps, type ComplaintUnitOfWork, ComplaintWriter, WriteScope } from '@aduan/complaints';
import type { JobName } from '@aduan/platform';
import type { EntityManager } from 'typeorm';

export const TN = 'ADN-260105-AB12CD';
export const NOW = new Date('2026-01-05T03:00:00Z');

/** A complaint as a handler spec's lock answers it: held by `currentUnitId`, version 3. */
export function complaintAt(status: ComplaintProps['status'], over: Partial<ComplaintProps> = {}): Complaint {
  const currentUnitId = over.currentUnitId === undefined ? 'kel' : over.currentUnitId;
  return Complaint.restore({
    id: 'c-1', trackingNumber: TN, tenantCode: '36.73', categoryCode: 'SAMPAH', kelurahanCode: '36.73.01.1001', kecamatanCode: '36.73.01',
    description: 'Sampah menumpuk', address: null, lat: null, long: null, anonymous: true, confidential: true, accused: null, accusedUnitIds: [],
    accusedReview: null, reporterOnFile: true, status, channel: 'web', currentUnitId, currentTier: currentUnitId ? 'lurah' : null, submittedAt: NOW,
    dueAt: null, dueProvisional: false, resolutionDueAt: null, resolutionFrom: null, resolutionWorkingDays: null, resolutionPausedMs: 0, pausedAt: null,
    resolvedAt: null, autoCloseAt: null, autoCloseWorkingDays: null, autoCloseProvisional: false, closedAt: null, version: 3,
    ...over,
  });
}

/**
 * A ComplaintWriter for handler specs: the work runs over `manager` and the units of work it opens
 * are kept, unwritten, for the spec to read (the statements themselves are the e2e tests').
 */
export function recordingWriter(manager: EntityManager = {} as EntityManager) {
  const scopes: WriteScope[] = [];
  const writer = {
    transaction: async <T>(work: (scope: WriteScope) => Promise<T>): Promise<T> => {
      const scope = new WriteScope(manager);
      scopes.push(scope);
      return work(scope);
    },
  } as unknown as ComplaintWriter;
  return { writer, units: (): ComplaintUnitOfWork[] => scopes.flatMap((s) => s.units) };
}

interface Pending {
  audits: { event: string; data?: Record<string, unknown>; actor: { type: string; id?: string | null } }[];
  outbox: { job: JobName; payload: unknown; deliverAt?: Date | null }[];
  notifications: { audience: string; template: string; unitId: string | null; data: Record<string, unknown> }[];
  newAssignments: { unitId: string; via: string; fromUnitId: string | null }[];
  messages: { kind: string; public: boolean }[];
  endCurrent: { reason: string } | null;
  access: { unitId: string; reason: string }[];
}

/** What a unit of work would write, read by name: audit events, notices, jobs and the rest. */
export function writesOf(uow: ComplaintUnitOfWork) {
  const p = uow as unknown as Pending;
  return {
    events: p.audits.map((a) => a.event),
    audits: p.audits,
    notices: p.notifications.map((n) => `${n.template}${n.unitId ? ` → ${n.unitId}` : ''}`),
    notifications: p.notifications,
    jobs: p.outbox.map((o) => o.job),
    outbox: p.outbox,
    assignments: p.newAssignments,
    messages: p.messages.map((m) => m.kind),
    ended: p.endCurrent?.reason ?? null,
    readAccess: p.access,
  };
}
