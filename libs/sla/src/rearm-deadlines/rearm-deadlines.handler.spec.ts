import { Complaint, ComplaintProps, ComplaintUnitOfWork } from '@aduan/complaints';
import { JobName } from '@aduan/platform';
import { RearmDeadlinesHandler } from './rearm-deadlines.handler';
import type { Replanned, RunningDeadline, WaitingStay } from './replan-deadline';

const t = (iso: string) => new Date(iso);
const now = t('2026-12-01T03:00:00Z');
const revision = { id: 'rev1', scope: 'ID', year: 2027, before_dates: null, actor_type: 'official', actor_id: 'admin1', rearm_status: 'pending' as const, rearm_cursor: null };

function complaint(over: Partial<ComplaintProps>): Complaint {
  const c = Complaint.submit(
    {
      id: 'c1', trackingNumber: 'ADN-261122-ABCDEF', tenantCode: '36.73', categoryCode: 'SAMPAH', kelurahanCode: '36.73.01.1001', kecamatanCode: '36.73.01',
      description: 'Sampah menumpuk', address: null, lat: null, long: null, anonymous: false, confidential: false, accused: null, reporterOnFile: true,
      channel: 'web', submittedAt: t('2026-11-20T03:00:00Z'),
    },
    false,
  );
  return Complaint.restore({ ...c.snapshot, currentUnitId: 'kel', currentTier: 'lurah', ...over });
}

/** The unit of work as the port the handler writes through: every call recorded, nothing written. */
function recordingUnitOfWork(c: Complaint) {
  const calls = { audits: [] as { event: string; data?: Record<string, unknown> }[], notices: [] as unknown[][], jobs: [] as { job: string; deliverAt?: Date }[], moves: [] as unknown[][] };
  const uow = {
    complaint: c,
    now,
    audit: (r: { event: string; data?: Record<string, unknown> }) => (calls.audits.push(r), uow),
    notify: (...args: unknown[]) => (calls.notices.push(args), uow),
    publish: (job: string, _payload: unknown, timer?: { deliverAt: Date }) => (calls.jobs.push({ job, deliverAt: timer?.deliverAt }), uow),
    moveFirstResponse: (...args: unknown[]) => (calls.moves.push(args), uow),
  };
  return { uow: uow as unknown as ComplaintUnitOfWork, calls };
}

// `move` reads none of the handler's collaborators: no constructor needed.
const handler = Object.create(RearmDeadlinesHandler.prototype) as RearmDeadlinesHandler;
const move = (uow: ComplaintUnitOfWork, d: RunningDeadline, change: Replanned, stay?: WaitingStay) => handler['move'](uow, d, change, stay, revision, 'sla');
const deadline = (kind: RunningDeadline['kind'], at: string): RunningDeadline => ({ kind, from: t('2026-11-20T03:00:00Z'), at: t(at), workingDays: 5, provisional: false, shiftMs: 0, pausedAt: null });
const to = (at: string): Replanned => ({ to: { at: t(at), workingDays: 5, provisional: false }, clamped: false });
const stay: WaitingStay = {
  complaint_id: 'c1', id: 'a1', unit_id: 'kel', assigned_at: t('2026-11-30T03:00:00Z'), first_response_due_at: t('2026-12-03T16:59:59.999Z'),
  first_response_working_days: 3, first_response_provisional: false,
};

describe('RearmDeadlinesHandler: one moved deadline', () => {
  it('brings a first response forward: the stay, its due and reminder timers, the audit entry and a notice to the unit', () => {
    const c = complaint({ status: 'routed', dueAt: stay.first_response_due_at });
    const { uow, calls } = recordingUnitOfWork(c);
    move(uow, deadline('first_response', '2026-12-03T16:59:59.999Z'), to('2026-12-02T16:59:59.999Z'), stay);
    expect(c.snapshot.dueAt).toEqual(t('2026-12-02T16:59:59.999Z'));
    expect(calls.moves).toEqual([['a1', { at: t('2026-12-02T16:59:59.999Z'), workingDays: 5, provisional: false }]]);
    expect(calls.jobs.map((j) => j.job)).toEqual([JobName.FirstResponseDue, JobName.FirstResponseReminder]);
    expect(calls.audits).toEqual([expect.objectContaining({
      event: 'complaint.deadline_moved',
      data: expect.objectContaining({ kind: 'first_response', from: '2026-12-03T16:59:59.999Z', to: '2026-12-02T16:59:59.999Z', unit_id: 'kel', holiday_revision: expect.objectContaining({ id: 'rev1', year: 2027 }) }),
    })]);
    expect(calls.notices).toEqual([['unit', 'unit.deadline_moved_earlier', { kind: 'first_response', from: '2026-12-03T16:59:59.999Z', due_at: '2026-12-02T16:59:59.999Z', year: 2027 }, 'kel']]);
  });

  it('tells nobody of a deadline that moved later', () => {
    const c = complaint({ status: 'routed', dueAt: stay.first_response_due_at });
    const { uow, calls } = recordingUnitOfWork(c);
    move(uow, deadline('first_response', '2026-12-03T16:59:59.999Z'), to('2026-12-04T16:59:59.999Z'), stay);
    expect(calls.audits.map((a) => a.event)).toEqual(['complaint.deadline_moved']);
    expect(calls.notices).toEqual([]);
  });

  it('records a deadline counted again to the same time as recounted, and tells nobody', () => {
    const c = complaint({ status: 'routed', dueAt: stay.first_response_due_at });
    const { uow, calls } = recordingUnitOfWork(c);
    move(uow, deadline('first_response', '2026-12-03T16:59:59.999Z'), { to: { at: t('2026-12-03T16:59:59.999Z'), workingDays: 3, provisional: true }, clamped: false }, stay);
    expect(calls.audits.map((a) => a.event)).toEqual(['complaint.deadline_recounted']);
    expect(calls.notices).toEqual([]);
  });

  it('never tells a unit the complaint may accuse', () => {
    const c = complaint({ status: 'routed', dueAt: stay.first_response_due_at, accusedUnitIds: ['kel'] });
    const { uow, calls } = recordingUnitOfWork(c);
    move(uow, deadline('first_response', '2026-12-03T16:59:59.999Z'), to('2026-12-02T16:59:59.999Z'), stay);
    expect(calls.audits.map((a) => a.event)).toEqual(['complaint.deadline_moved']);
    expect(calls.notices).toEqual([]);
  });

  it('arms a new resolution timer only while the clock runs, not while it waits for the resident', () => {
    const running = recordingUnitOfWork(complaint({ status: 'in_progress', resolutionDueAt: t('2026-12-10T16:59:59.999Z'), dueAt: t('2026-12-10T16:59:59.999Z') }));
    move(running.uow, deadline('resolution', '2026-12-10T16:59:59.999Z'), to('2026-12-09T16:59:59.999Z'));
    expect(running.calls.jobs).toEqual([{ job: JobName.ResolutionDue, deliverAt: t('2026-12-09T16:59:59.999Z') }]);
    expect(running.calls.notices.map((n) => n[3])).toEqual(['kel']);

    const waiting = recordingUnitOfWork(complaint({ status: 'awaiting_info', pausedAt: now, resolutionDueAt: t('2026-12-10T16:59:59.999Z'), dueAt: t('2026-12-10T16:59:59.999Z') }));
    move(waiting.uow, deadline('resolution', '2026-12-10T16:59:59.999Z'), to('2026-12-09T16:59:59.999Z'));
    expect(waiting.calls.jobs).toEqual([]);
    expect(waiting.uow.complaint.snapshot.resolutionDueAt).toEqual(t('2026-12-09T16:59:59.999Z'));
  });

  it('moves an automatic closing with its timer, and names no unit', () => {
    const resolvedAt = t('2026-11-28T03:00:00Z');
    const { uow, calls } = recordingUnitOfWork(complaint({ status: 'resolved', resolvedAt, autoCloseAt: t('2026-12-12T16:59:59.999Z') }));
    move(uow, deadline('auto_close', '2026-12-12T16:59:59.999Z'), to('2026-12-11T16:59:59.999Z'));
    expect(uow.complaint.snapshot.autoCloseAt).toEqual(t('2026-12-11T16:59:59.999Z'));
    expect(calls.jobs).toEqual([{ job: JobName.AutoClose, deliverAt: t('2026-12-11T16:59:59.999Z') }]);
    expect(calls.audits[0].data).not.toHaveProperty('unit_id');
    expect(calls.notices).toEqual([]);
  });
});
