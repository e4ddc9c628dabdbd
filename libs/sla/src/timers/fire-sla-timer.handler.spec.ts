import { DeadlinePolicy, loadAccessFacts, lockComplaint } from '@aduan/complaints';
import type { ComplaintAccessFacts } from '@aduan/directory';
import { claimMessage, JobName } from '@aduan/platform';
import type { EntityManager } from 'typeorm';
import { complaintAt, recordingWriter, writesOf } from '../../../../test/support/complaint-writes';
import { FireSlaTimerHandler } from './fire-sla-timer.handler';
import { FireSlaTimerCommand, SlaTimer } from './sla-timer.command';

jest.mock('@aduan/complaints', () => ({ ...jest.requireActual('@aduan/complaints'), lockComplaint: jest.fn(), loadAccessFacts: jest.fn() }));
jest.mock('@aduan/platform', () => ({ ...jest.requireActual('@aduan/platform'), claimMessage: jest.fn() }));
const lock = jest.mocked(lockComplaint);
const facts = jest.mocked(loadAccessFacts);
const claim = jest.mocked(claimMessage);

const DUE = new Date('2026-01-07T03:00:00Z');
const LATE = new Date('2026-01-07T03:00:05Z');
const NEXT_DUE = { at: new Date('2099-01-09T03:00:00Z'), workingDays: 2, provisional: false };
const deadlines = { firstResponseDueAt: async () => NEXT_DUE } as unknown as DeadlinePolicy;
const notAccused: ComplaintAccessFacts = { tenantCode: '36.73', currentUnitId: 'kel', accusedUnitIds: [] };

/**
 * The handler over a manager that answers the assignment, the unit ladder (kel under kec, or kel
 * alone) and the Inspektorat; `breaches` lists the sla_breach rows it was asked to insert.
 */
function timers(o: { responded?: boolean; ladder?: 'kel-kec' | 'kel' } = {}) {
  const breaches: unknown[][] = [];
  const manager = {
    query: async (sql: string, params: unknown[]) => {
      if (sql.includes('FROM assignment')) return [{ id: 'a-1', complaint_id: 'c-1', unit_id: 'kel', first_response_due_at: DUE, responded_at: o.responded ? DUE : null, ended_at: null }];
      if (sql.includes('WITH RECURSIVE')) {
        const kel = { id: 'kel', type: 'kelurahan', parent_id: o.ladder === 'kel' ? null : 'kec', active: true };
        return o.ladder === 'kel' ? [kel] : [kel, { id: 'kec', type: 'kecamatan', parent_id: null, active: true }];
      }
      if (sql.includes('INSERT INTO sla_breach')) {
        breaches.push(params);
        return [];
      }
      if (sql.includes('FROM unit WHERE code')) return [{ id: 'insp' }];
      throw new Error(`unexpected statement: ${sql}`);
    },
  } as unknown as EntityManager;
  const { writer, units } = recordingWriter(manager);
  const handler = new FireSlaTimerHandler(writer, deadlines);
  return { fire: (timer: SlaTimer, at = LATE) => handler.execute(new FireSlaTimerCommand(timer, 'sla', 'm-1', at)), units, breaches };
}
const firstResponse = (kind: 'first-response-due' | 'first-response-reminder', dueAt: Date | null = DUE): SlaTimer => ({ kind, assignmentId: 'a-1', dueAt });

describe('FireSlaTimerHandler', () => {
  beforeEach(() => {
    claim.mockReset().mockResolvedValue(true);
    lock.mockReset().mockImplementation(async () => complaintAt('routed', { dueAt: DUE }));
    facts.mockReset().mockResolvedValue(notAccused);
  });

  it('does nothing for a timer it has already fired', async () => {
    const { fire, units } = timers();
    claim.mockResolvedValueOnce(false);
    expect(await fire(firstResponse('first-response-due'))).toBe('duplicate');
    expect(lock).not.toHaveBeenCalled();
    expect(units()).toEqual([]);
  });

  it('reminds the unit still waiting to answer', async () => {
    const { fire, units } = timers();
    expect(await fire(firstResponse('first-response-reminder'), new Date('2026-01-06T03:00:00Z'))).toBe('reminded');
    expect(writesOf(units()[0]).notices).toEqual(['unit.reminder → kel']);
    expect(writesOf(units()[0]).events).toEqual([]);
  });

  it('is disarmed by an answer, and by a deadline that moved since it was armed', async () => {
    expect(await timers({ responded: true }).fire(firstResponse('first-response-due'))).toBe('met');
    const moved = timers();
    expect(await moved.fire(firstResponse('first-response-due', new Date('2026-01-06T03:00:00Z')))).toBe('met');
    expect(moved.units()).toEqual([]);
  });

  it('refuses to fire well before the deadline, so the job is retried', async () => {
    await expect(timers().fire(firstResponse('first-response-due'), new Date('2026-01-07T02:59:00Z'))).rejects.toThrow('fired before');
  });

  it('escalates a missed first response one rung up, records the breach and tells the Inspektorat', async () => {
    const { fire, units, breaches } = timers();
    expect(await fire(firstResponse('first-response-due'))).toBe('escalated');
    const [uow] = units();
    expect(uow.complaint.snapshot).toMatchObject({ status: 'routed', currentUnitId: 'kec', currentTier: 'camat', dueAt: NEXT_DUE.at });
    const w = writesOf(uow);
    expect(w.events).toEqual(['complaint.escalated']);
    expect(w.ended).toBe('escalated');
    expect(w.readAccess).toEqual([{ unitId: 'kel', reason: 'escalated' }]);
    expect(w.assignments).toEqual([expect.objectContaining({ unitId: 'kec', via: 'escalated', fromUnitId: 'kel' })]);
    expect(w.notices).toEqual(['unit.escalated_to_you → kec', 'inspektorat.breach → insp']);
    expect(w.jobs.slice(0, 2)).toEqual([JobName.FirstResponseDue, JobName.FirstResponseReminder]);
    expect(breaches).toEqual([[expect.any(String), 'c-1', 'a-1', 'kel', '36.73', 'first_response', DUE, LATE, 'kec']]);
  });

  it('at the top of the ladder records a missed deadline, and keeps a suspect Inspektorat out of it', async () => {
    const { fire, units, breaches } = timers({ ladder: 'kel' });
    facts.mockResolvedValue({ ...notAccused, accusedUnitIds: ['insp'] });
    expect(await fire(firstResponse('first-response-due'))).toBe('breached');
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.deadline_missed']);
    expect(w.notices).toEqual([]);
    expect(breaches).toHaveLength(1);
  });

  it('a missed resolution is a breach the unit and the Inspektorat hear of; a paused or moved one is met', async () => {
    lock.mockImplementation(async () => complaintAt('in_progress', { resolutionDueAt: DUE }));
    const { fire, units } = timers();
    expect(await fire({ kind: 'resolution-due', complaintId: 'c-1', dueAt: DUE })).toBe('breached');
    expect(writesOf(units()[0]).notices).toEqual(['unit.resolution_overdue → kel', 'inspektorat.breach → insp']);
    expect(await fire({ kind: 'resolution-due', complaintId: 'c-1', dueAt: new Date('2026-01-06T03:00:00Z') })).toBe('met');
    lock.mockImplementation(async () => complaintAt('awaiting_info', { resolutionDueAt: DUE }));
    expect(await fire({ kind: 'resolution-due', complaintId: 'c-1', dueAt: DUE })).toBe('met');
    expect(units()).toHaveLength(1);
  });

  it('closes a resolution the resident left unanswered, but not a later one', async () => {
    const resolvedAt = new Date('2026-01-05T03:00:00Z');
    lock.mockImplementation(async () => complaintAt('resolved', { resolvedAt, autoCloseAt: DUE }));
    const { fire, units } = timers();
    expect(await fire({ kind: 'auto-close', complaintId: 'c-1', resolvedAt, closeAt: DUE })).toBe('closed');
    const w = writesOf(units()[0]);
    expect(units()[0].complaint.status).toBe('closed');
    expect(w.events).toEqual(['complaint.closed']);
    expect(w.ended).toBe('closed');
    expect(w.notices).toEqual(['resident.closed']);
    expect(await fire({ kind: 'auto-close', complaintId: 'c-1', resolvedAt: new Date('2026-01-01T00:00:00Z'), closeAt: DUE })).toBe('met');
  });
});
