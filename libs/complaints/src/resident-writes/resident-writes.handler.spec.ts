import { JobName } from '@aduan/platform';
import type { EntityManager } from 'typeorm';
import { complaintAt, recordingWriter, TN, writesOf } from '../../../../test/support/complaint-writes';
import type { DeadlinePolicy } from '../assign-complaint/deadline-policy';
import type { ConflictReferences } from '../conflict/conflict-references';
import type { Complaint } from '../domain/complaint';
import { DEFAULT_MARKERS, MarkerSet } from '../domain/markers';
import type { DirectoryUnit } from '../domain/possibly-accused';
import { normalizeAccessCode } from '../domain/tracking-number';
import { accusedClosure } from '../persistence/access-facts';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import type { AccessCodeHasher } from '../privacy/reporter-cipher';
import { ResidentWrite, ResidentWritesCommand } from './resident-writes.command';
import { ResidentWritesHandler } from './resident-writes.handler';

jest.mock('../persistence/complaint-loads');
jest.mock('../persistence/access-facts');
const lock = jest.mocked(lockComplaintByTrackingNumber);
const closure = jest.mocked(accusedClosure);

const CODE = 'AAAA-BBBB-CCCC';
const REOPEN_DUE = { at: new Date('2099-01-20T03:00:00Z'), workingDays: 10, provisional: false };
const unit = (id: string, code: string, type: DirectoryUnit['type'], parentId: string | null): DirectoryUnit => ({ id, code, type, name: code, parentId });
const UNITS = [unit('kel', 'KEL.36.73.01.1001', 'kelurahan', 'kec'), unit('kec', 'KEC.36.73.01', 'kecamatan', null), unit('dlh', 'OPD.36.73.DLH', 'opd', null)];
const conflicts = {
  forTenant: async () => ({ units: UNITS, byCode: new Map(UNITS.map((u) => [u.code, u])), markers: new MarkerSet(DEFAULT_MARKERS), officials: [] }),
} as unknown as ConflictReferences;

/** The handler over a complaint held by `heldBy`; the access code matches when it is CODE. */
function resident(c: Complaint, heldBy: string | null = c.snapshot.currentUnitId) {
  lock.mockResolvedValueOnce(c);
  const manager = { query: async () => [{ access_code_hash: `hash:${normalizeAccessCode(CODE)}`, current_unit_id: heldBy }] } as unknown as EntityManager;
  const hasher = { matches: (code: string, hash: string) => hash === `hash:${code}` } as unknown as AccessCodeHasher;
  const deadlines = { resolutionDueAt: async () => REOPEN_DUE } as unknown as DeadlinePolicy;
  const { writer, units } = recordingWriter(manager);
  const handler = new ResidentWritesHandler(writer, hasher, deadlines, conflicts);
  return { write: (w: ResidentWrite, code = CODE) => handler.execute(new ResidentWritesCommand(TN, code, w, 'req-1')), units };
}

describe('ResidentWritesHandler', () => {
  beforeEach(() => {
    lock.mockReset();
    closure.mockReset();
  });

  it('answers a wrong access code like an unknown complaint, writing nothing', async () => {
    const { write, units } = resident(complaintAt('in_progress'));
    await expect(write({ type: 'reply', message: 'Masih menumpuk.' }, 'ZZZZ-ZZZZ-ZZZZ')).rejects.toMatchObject({ kind: 'not_found' });
    expect(units()).toEqual([]);
  });

  it('a reply to a question resumes the clock, re-arms the resolution timer and tells the unit', async () => {
    const due = new Date('2099-01-10T03:00:00Z');
    const c = complaintAt('awaiting_info', { pausedAt: new Date('2026-01-06T03:00:00Z'), resolutionDueAt: due, dueAt: due });
    const { write, units } = resident(c);
    await write({ type: 'reply', message: 'Lokasinya di gang Melati.' });
    expect(c.status).toBe('in_progress');
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.resident_replied']);
    expect(w.audits[0].data).toMatchObject({ resumed: true });
    expect(w.messages).toEqual(['reply']);
    expect(w.jobs).toEqual([JobName.ResolutionDue, JobName.SendNotification]);
    expect(w.notices).toEqual(['unit.resident_replied → kel']);
  });

  it('satisfied feedback closes the complaint, ends the stay and thanks the resident', async () => {
    const c = complaintAt('resolved');
    const { write, units } = resident(c);
    await write({ type: 'feedback', satisfied: true, rating: 5 });
    expect(c.status).toBe('closed');
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.closed']);
    expect(w.ended).toBe('closed');
    expect(w.notices).toEqual(['resident.closed']);
  });

  it('unsatisfied feedback reopens it with a fresh resolution clock and tells the unit', async () => {
    const c = complaintAt('resolved');
    const { write, units } = resident(c);
    await write({ type: 'feedback', satisfied: false, rating: 1, comment: 'Sampahnya masih ada.' });
    expect(c.snapshot).toMatchObject({ status: 'in_progress', resolutionDueAt: REOPEN_DUE.at });
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.reopened']);
    expect(w.messages).toEqual(['feedback']);
    expect(w.jobs).toEqual([JobName.ResolutionDue, JobName.SendNotification]);
    expect(w.notices).toEqual(['unit.reopened → kel']);
  });

  it('a reply accusing the unit holding it sends the complaint back to routing, and that unit hears nothing', async () => {
    const c = complaintAt('in_progress', { currentUnitId: 'dlh' });
    closure.mockImplementation(async (_m, ids) => [...ids]);
    const { write, units } = resident(c);
    await write({ type: 'reply', message: 'Petugas yang datang minta uang bensin.' });
    expect(c.snapshot).toMatchObject({ status: 'submitted', currentUnitId: null, accusedUnitIds: ['dlh', 'kec', 'kel'], accusedReview: 'pending' });
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.resident_replied', 'complaint.accused_flagged', 'complaint.rerouted']);
    expect(w.ended).toBe('rerouted');
    expect(w.jobs).toEqual([JobName.RouteComplaint]);
    expect(w.notices).toEqual([]);
  });

  it('turns a write that does not fit the status into a conflict', async () => {
    const { write } = resident(complaintAt('closed'));
    await expect(write({ type: 'feedback', satisfied: true })).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining('closed') });
  });
});
