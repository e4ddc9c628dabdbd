import type { ComplaintAccessFacts, Principal } from '@aduan/directory';
import { DomainError, JobName } from '@aduan/platform';
import type { EntityManager } from 'typeorm';
import type { DeadlinePolicy } from '../assign-complaint/deadline-policy';
import { Complaint, ComplaintProps } from '../domain/complaint';
import type { ComplaintStatus } from '../domain/complaint-status';
import { loadAccessFacts } from '../persistence/access-facts';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import { ComplaintUnitOfWork } from '../persistence/complaint-unit-of-work';
import type { ComplaintWriter } from '../persistence/complaint-writer';
import type { OfficialAction } from '../official-actions/official-action-steps';
import { ActOnComplaintCommand } from './act-on-complaint.command';
import { ActOnComplaintHandler } from './act-on-complaint.handler';

jest.mock('../persistence/complaint-loads');
jest.mock('../persistence/access-facts');
const lock = jest.mocked(lockComplaintByTrackingNumber);
const facts = jest.mocked(loadAccessFacts);

const TN = 'ADN-260105-AB12CD';
const NOW = new Date('2026-01-05T03:00:00Z');
const DUE = { at: new Date('2026-01-12T03:00:00Z'), workingDays: 5, provisional: false };
const official = (unitId: string, roles: Principal['roles'] = ['handler']): Principal =>
  ({ officialId: 'o-1', username: 'u', name: 'Petugas', roles, tenantCode: '36.73', unitId, unitCode: null });

function complaint(status: ComplaintStatus, currentUnitId: string | null = 'kel'): Complaint {
  return Complaint.restore({
    id: 'c-1', trackingNumber: TN, tenantCode: '36.73', categoryCode: 'SAMPAH', kelurahanCode: '36.73.01.1001', kecamatanCode: '36.73.01',
    description: 'Sampah menumpuk', address: null, lat: null, long: null, anonymous: true, confidential: true, accused: null, accusedUnitIds: [],
    accusedReview: null, reporterOnFile: true, status, channel: 'web', currentUnitId, currentTier: currentUnitId ? 'lurah' : null, submittedAt: NOW,
    dueAt: null, dueProvisional: false, resolutionDueAt: null, resolutionFrom: null, resolutionWorkingDays: null, resolutionPausedMs: 0, pausedAt: null,
    resolvedAt: null, autoCloseAt: null, autoCloseWorkingDays: null, autoCloseProvisional: false, closedAt: null, version: 3,
  } satisfies ComplaintProps);
}

/** The handler over a writer whose transaction only collects the units the action opens. */
function handler() {
  const units: ComplaintUnitOfWork[] = [];
  const manager = {} as EntityManager;
  const writer = {
    transaction: (work: (scope: unknown) => Promise<unknown>) =>
      work({ manager, open: (c: Complaint) => units.push(new ComplaintUnitOfWork(manager, c, NOW)) && units[units.length - 1] }),
  } as unknown as ComplaintWriter;
  const deadlines = { resolutionDueAt: async () => DUE, autoCloseAt: async () => DUE } as unknown as DeadlinePolicy;
  return { act: new ActOnComplaintHandler(writer, deadlines), units };
}

const run = (h: ActOnComplaintHandler, action: OfficialAction, who = official('kel'), tn = TN) => h.execute(new ActOnComplaintCommand(tn, who, action, 'req-1'));
const problem = (kind: string) => expect.objectContaining({ name: 'DomainError', kind });
const pending = (uow: ComplaintUnitOfWork) => uow as unknown as { audits: { event: string }[]; outbox: { job: JobName }[]; notifications: { template: string }[] };

describe('ActOnComplaintHandler', () => {
  const visibleTo = (currentUnitId: string | null, accusedUnitIds: string[] = []): ComplaintAccessFacts => ({ tenantCode: '36.73', currentUnitId, accusedUnitIds });
  beforeEach(() => {
    lock.mockReset();
    facts.mockReset();
  });

  it('answers not found for a malformed tracking number without opening a transaction', async () => {
    const { act } = handler();
    await expect(run(act, { type: 'acknowledge' }, official('kel'), 'not-a-number')).rejects.toEqual(problem('not_found'));
    expect(lock).not.toHaveBeenCalled();
  });

  it('answers an unknown complaint and one the caller may not see alike', async () => {
    const { act, units } = handler();
    lock.mockResolvedValueOnce(null);
    const unknown = await run(act, { type: 'acknowledge' }).catch((e: DomainError) => e);
    lock.mockResolvedValueOnce(complaint('routed', 'other-unit'));
    facts.mockResolvedValueOnce(visibleTo('other-unit'));
    const hidden = await run(act, { type: 'acknowledge' }).catch((e: DomainError) => e);
    expect(unknown).toEqual(problem('not_found'));
    expect(hidden).toEqual(problem('not_found'));
    expect((hidden as DomainError).message).toBe((unknown as DomainError).message);
    expect(units).toHaveLength(0);
  });

  it('lets a unit that may only read it see but not act: forbidden', async () => {
    const { act, units } = handler();
    lock.mockResolvedValueOnce(complaint('in_progress', 'kec'));
    facts.mockResolvedValueOnce({ ...visibleTo('kec'), readOnlyUnitIds: ['kel'] });
    await expect(run(act, { type: 'resolve', resolution: 'Sudah diangkut petugas.' })).rejects.toEqual(problem('forbidden'));
    expect(units).toHaveLength(0);
  });

  it('turns an action that does not fit the status into a conflict naming the status', async () => {
    const { act } = handler();
    lock.mockResolvedValueOnce(complaint('resolved'));
    facts.mockResolvedValueOnce(visibleTo('kel'));
    await expect(run(act, { type: 'acknowledge' })).rejects.toEqual(expect.objectContaining({ kind: 'conflict', message: expect.stringContaining('resolved') }));
  });

  it('acknowledges: the resolution clock starts, its timer is armed, the step is audited and the resident told', async () => {
    const { act, units } = handler();
    const c = complaint('routed');
    lock.mockResolvedValueOnce(c);
    facts.mockResolvedValueOnce(visibleTo('kel'));
    await run(act, { type: 'acknowledge', note: 'Dicek besok.' });
    expect(c.snapshot).toMatchObject({ status: 'in_progress', resolutionDueAt: DUE.at, version: 4 });
    const [uow] = units.map(pending);
    expect(uow.audits.map((a) => a.event)).toEqual(['complaint.acknowledged']);
    expect(uow.notifications.map((n) => n.template)).toEqual(['resident.acknowledged']);
    expect(uow.outbox.map((o) => o.job)).toEqual([JobName.ResolutionDue, JobName.SendNotification]);
  });

  it('resolves: the closing timer is armed and the resident asked for feedback', async () => {
    const { act, units } = handler();
    const c = complaint('in_progress');
    lock.mockResolvedValueOnce(c);
    facts.mockResolvedValueOnce(visibleTo('kel'));
    await run(act, { type: 'resolve', resolution: 'Sampah sudah diangkut petugas.' });
    expect(c.status).toBe('resolved');
    const [uow] = units.map(pending);
    expect(uow.audits.map((a) => a.event)).toEqual(['complaint.resolved']);
    expect(uow.outbox.map((o) => o.job)).toEqual([JobName.AutoClose, JobName.SendNotification]);
  });
});
