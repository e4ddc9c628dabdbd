import type { ComplaintAccessFacts, Principal } from '@aduan/directory';
import { DomainError, JobName } from '@aduan/platform';
import type { EntityManager } from 'typeorm';
import { complaintAt, recordingWriter, TN, writesOf } from '../../../../test/support/complaint-writes';
import type { DeadlinePolicy } from '../assign-complaint/deadline-policy';
import type { OfficialAction } from '../official-actions/official-action-steps';
import { loadAccessFacts } from '../persistence/access-facts';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import { ActOnComplaintCommand } from './act-on-complaint.command';
import { ActOnComplaintHandler } from './act-on-complaint.handler';

jest.mock('../persistence/complaint-loads');
jest.mock('../persistence/access-facts');
const lock = jest.mocked(lockComplaintByTrackingNumber);
const facts = jest.mocked(loadAccessFacts);

// Far ahead of the wall clock the unit of work stamps, so every reminder is still to come.
const DUE = { at: new Date('2099-01-12T03:00:00Z'), workingDays: 5, provisional: false };
const official = (unitId: string, roles: Principal['roles'] = ['handler']): Principal =>
  ({ officialId: 'o-1', username: 'u', name: 'Petugas', roles, tenantCode: '36.73', unitId, unitCode: null });
const UNITS = [{ id: 'dlh', code: 'OPD.36.73.DLH', type: 'opd' }, { id: 'kec', code: 'KEC.36.73.01', type: 'kecamatan' }];

/**
 * The handler over a manager that knows the units above, the open stay (`forwardedFrom`: the unit
 * that passed it here by disposisi) and one other complaint, ADN-260101-ORIGIN.
 */
function handler(o: { forwardedFrom?: string } = {}) {
  const manager = {
    query: async (sql: string, [value]: unknown[]) => {
      if (sql.includes('FROM unit')) return UNITS.filter((u) => u.code === value || u.id === value);
      if (sql.includes('FROM assignment')) return o.forwardedFrom ? [{ from_unit_id: o.forwardedFrom }] : [];
      if (sql.includes('FROM complaint')) return value === 'ADN-260101-ORIGIN' ? [{ id: 'c-0', tracking_number: value }] : [];
      throw new Error(`unexpected statement: ${sql}`);
    },
  } as unknown as EntityManager;
  const { writer, units } = recordingWriter(manager);
  const deadlines = { resolutionDueAt: async () => DUE, autoCloseAt: async () => DUE, firstResponseDueAt: async () => DUE } as unknown as DeadlinePolicy;
  return { act: new ActOnComplaintHandler(writer, deadlines), units };
}

const run = (h: ActOnComplaintHandler, action: OfficialAction, who = official('kel'), tn = TN) => h.execute(new ActOnComplaintCommand(tn, who, action, 'req-1'));
const problem = (kind: string) => expect.objectContaining({ name: 'DomainError', kind });
const visibleTo = (currentUnitId: string | null, accusedUnitIds: string[] = []): ComplaintAccessFacts => ({ tenantCode: '36.73', currentUnitId, accusedUnitIds });

describe('ActOnComplaintHandler', () => {
  beforeEach(() => {
    lock.mockReset();
    facts.mockReset().mockResolvedValue(visibleTo('kel'));
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
    lock.mockResolvedValueOnce(complaintAt('routed', { currentUnitId: 'other-unit' }));
    facts.mockResolvedValueOnce(visibleTo('other-unit'));
    const hidden = await run(act, { type: 'acknowledge' }).catch((e: DomainError) => e);
    expect(unknown).toEqual(problem('not_found'));
    expect(hidden).toEqual(problem('not_found'));
    expect((hidden as DomainError).message).toBe((unknown as DomainError).message);
    expect(units()).toHaveLength(0);
  });

  it('lets a unit that may only read it see but not act: forbidden', async () => {
    const { act, units } = handler();
    lock.mockResolvedValueOnce(complaintAt('in_progress', { currentUnitId: 'kec' }));
    facts.mockResolvedValueOnce({ ...visibleTo('kec'), readOnlyUnitIds: ['kel'] });
    await expect(run(act, { type: 'resolve', resolution: 'Sudah diangkut petugas.' })).rejects.toEqual(problem('forbidden'));
    expect(units()).toHaveLength(0);
  });

  it('turns an action that does not fit the status into a conflict naming the status', async () => {
    const { act } = handler();
    lock.mockResolvedValueOnce(complaintAt('resolved'));
    await expect(run(act, { type: 'acknowledge' })).rejects.toEqual(expect.objectContaining({ kind: 'conflict', message: expect.stringContaining('resolved') }));
  });

  it('acknowledges: the resolution clock starts, its timer is armed, the step is audited and the resident told', async () => {
    const { act, units } = handler();
    const c = complaintAt('routed');
    lock.mockResolvedValueOnce(c);
    await run(act, { type: 'acknowledge', note: 'Dicek besok.' });
    expect(c.snapshot).toMatchObject({ status: 'in_progress', resolutionDueAt: DUE.at, version: 4 });
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.acknowledged']);
    expect(w.audits[0]).toMatchObject({ actor: { type: 'official', id: 'o-1' }, data: { unit_id: 'kel' }, requestId: 'req-1' });
    expect(w.messages).toEqual(['note']);
    expect(w.notices).toEqual(['resident.acknowledged']);
    expect(w.jobs).toEqual([JobName.ResolutionDue, JobName.SendNotification]);
  });

  it('asks the resident: the complaint waits, the question is public and the resident told', async () => {
    const { act, units } = handler();
    const c = complaintAt('in_progress');
    lock.mockResolvedValueOnce(c);
    await run(act, { type: 'request-info', question: 'Di RT berapa tepatnya?' });
    expect(c.status).toBe('awaiting_info');
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.info_requested']);
    expect(w.messages).toEqual(['question']);
    expect(w.notices).toEqual(['resident.info_requested']);
  });

  it('forwards by disposisi: the stay moves with a fresh first-response clock, the sender keeps read access', async () => {
    const { act, units } = handler();
    const c = complaintAt('in_progress');
    lock.mockResolvedValueOnce(c);
    await run(act, { type: 'forward', unit: 'OPD.36.73.DLH', reason: 'Wewenang DLH.' });
    expect(c.snapshot).toMatchObject({ status: 'routed', currentUnitId: 'dlh', currentTier: 'opd', dueAt: DUE.at });
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.forwarded']);
    expect(w.audits[0].data).toMatchObject({ to_unit_id: 'dlh', to_unit: 'OPD.36.73.DLH', reason: 'Wewenang DLH.' });
    expect(w.ended).toBe('forwarded');
    expect(w.assignments).toEqual([expect.objectContaining({ unitId: 'dlh', via: 'forwarded', fromUnitId: 'kel' })]);
    expect(w.readAccess).toEqual([{ unitId: 'kel', reason: 'forwarded' }]);
    expect(w.notices).toEqual(['unit.assigned → dlh']);
    expect(w.jobs).toEqual([JobName.FirstResponseDue, JobName.FirstResponseReminder, JobName.SendNotification]);
  });

  it('refuses to forward to an unknown unit or into the accused set, writing nothing', async () => {
    const { act, units } = handler();
    lock.mockResolvedValue(complaintAt('in_progress'));
    await expect(run(act, { type: 'forward', unit: 'OPD.36.73.NOPE', reason: 'Salah kirim.' })).rejects.toMatchObject({ kind: 'invalid', errors: [{ field: 'unit', message: 'unknown unit' }] });
    facts.mockResolvedValueOnce(visibleTo('kel', ['dlh']));
    await expect(run(act, { type: 'forward', unit: 'OPD.36.73.DLH', reason: 'Wewenang DLH.' })).rejects.toMatchObject({ kind: 'invalid', errors: [{ field: 'unit', message: 'conflict of interest' }] });
    expect(units().map((u) => writesOf(u).events)).toEqual([[], []]);
  });

  it('returns a complaint routing placed to the kecamatan, and one forwarded here to its sender', async () => {
    const routed = handler();
    lock.mockResolvedValueOnce(complaintAt('routed'));
    await run(routed.act, { type: 'return', reason: 'Bukan wewenang kelurahan.' });
    expect(writesOf(routed.units()[0]).audits[0].data).toMatchObject({ to_unit_id: 'kec', to_unit: 'KEC.36.73.01' });
    const forwarded = handler({ forwardedFrom: 'dlh' });
    lock.mockResolvedValueOnce(complaintAt('routed'));
    await run(forwarded.act, { type: 'return', reason: 'Bukan wewenang kelurahan.' });
    const w = writesOf(forwarded.units()[0]);
    expect(w.events).toEqual(['complaint.returned']);
    expect(w.assignments).toEqual([expect.objectContaining({ unitId: 'dlh', via: 'returned' })]);
  });

  it('resolves: the closing timer is armed and the resident asked for feedback', async () => {
    const { act, units } = handler();
    const c = complaintAt('in_progress');
    lock.mockResolvedValueOnce(c);
    await run(act, { type: 'resolve', resolution: 'Sampah sudah diangkut petugas.' });
    expect(c.status).toBe('resolved');
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.resolved']);
    expect(w.outbox.map((o) => o.job)).toEqual([JobName.AutoClose, JobName.SendNotification]);
  });

  it('rejects a duplicate naming an original the caller can see, and refuses one they cannot see like one that does not exist', async () => {
    const { act, units } = handler();
    const c = complaintAt('in_progress');
    lock.mockResolvedValue(c);
    facts.mockResolvedValueOnce(visibleTo('kel')).mockResolvedValueOnce(visibleTo('other-unit'));
    const hidden = await run(act, { type: 'reject', reason: 'duplicate', note: 'Sama dengan yang lain.', duplicate_of: 'ADN-260101-ORIGIN' }).catch((e: DomainError) => e);
    const unknown = await run(act, { type: 'reject', reason: 'duplicate', note: 'Sama dengan yang lain.', duplicate_of: 'ADN-260101-NOSUCH' }).catch((e: DomainError) => e);
    expect(hidden).toMatchObject({ kind: 'invalid', errors: [{ field: 'duplicate_of' }] });
    expect((hidden as DomainError).message).toBe((unknown as DomainError).message);
    expect(c.status).toBe('in_progress');
    await run(act, { type: 'reject', reason: 'duplicate', note: 'Sama dengan yang lain.', duplicate_of: 'ADN-260101-ORIGIN' });
    expect(c.status).toBe('rejected');
    const w = writesOf(units()[2]);
    expect(w.events).toEqual(['complaint.rejected']);
    expect(w.audits[0].data).toMatchObject({ reason: 'duplicate', duplicate_of: 'ADN-260101-ORIGIN' });
    expect(w.ended).toBe('rejected');
    expect(w.notices).toEqual(['resident.rejected']);
  });
});
