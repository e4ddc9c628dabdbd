import { JobName } from '@aduan/platform';
import { complaintAt, NOW, recordingWriter, writesOf } from '../../../../test/support/complaint-writes';
import type { Complaint } from '../domain/complaint';
import { claimAndLockComplaints } from '../persistence/complaint-loads';
import { AssignComplaintsCommand, AssignRequest } from './assign-complaint.command';
import { AssignComplaintsHandler } from './assign-complaint.handler';
import type { DeadlinePolicy } from './deadline-policy';

jest.mock('../persistence/complaint-loads');
const claim = jest.mocked(claimAndLockComplaints);

// Far ahead of the wall clock the unit of work stamps, so the reminder is still to come.
const DUE = { at: new Date('2099-01-07T03:00:00Z'), workingDays: 2, provisional: true };
const deadlines = { firstResponseDueAt: async () => DUE } as unknown as DeadlinePolicy;
const request = (complaintId: string, messageId: string): AssignRequest => ({ complaintId, unitId: 'kel', tier: 'lurah', routingId: `r-${complaintId}`, messageId });

/** The batch's claim: the messages this consumer claims first, and their complaints locked. */
function claims(claimed: string[], complaints: Complaint[]) {
  claim.mockResolvedValueOnce({ claimed: new Set(claimed), complaints: new Map(complaints.map((c) => [c.id, c])) } as never);
}

describe('AssignComplaintsHandler', () => {
  beforeEach(() => claim.mockReset());

  it('refuses a batch that names one complaint twice before it opens a transaction', async () => {
    const { writer, units } = recordingWriter();
    const handler = new AssignComplaintsHandler(writer, deadlines);
    await expect(handler.execute(new AssignComplaintsCommand([request('c-1', 'm-1'), request('c-1', 'm-2')], 'lurah'))).rejects.toThrow('names one complaint twice');
    expect(claim).not.toHaveBeenCalled();
    expect(units()).toEqual([]);
  });

  it('puts a routed complaint in the unit’s inbox: stay, both first-response timers, audit, notices to unit and resident', async () => {
    const { writer, units } = recordingWriter();
    const c = complaintAt('submitted', { currentUnitId: null, submittedAt: NOW });
    claims(['m-1'], [c]);
    const outcome = await new AssignComplaintsHandler(writer, deadlines).execute(new AssignComplaintsCommand([request('c-1', 'm-1')], 'lurah'));
    expect(outcome).toEqual([{ ok: true, value: 'assigned' }]);
    expect(c.snapshot).toMatchObject({ status: 'routed', currentUnitId: 'kel', currentTier: 'lurah', dueAt: DUE.at, dueProvisional: true });
    const w = writesOf(units()[0]);
    expect(w.assignments).toEqual([expect.objectContaining({ unitId: 'kel', via: 'routed' })]);
    expect(w.events).toEqual(['complaint.assigned']);
    expect(w.audits[0]).toMatchObject({ actor: { type: 'system', id: 'lurah' }, data: { unit_id: 'kel', routing_id: 'r-c-1', due_provisional: true } });
    expect(w.notices).toEqual(['unit.assigned → kel', 'resident.routed']);
    expect(w.jobs).toEqual([JobName.FirstResponseDue, JobName.FirstResponseReminder, JobName.SendNotification, JobName.SendNotification]);
  });

  it('answers a replayed message as a duplicate and a complaint already in an inbox as skipped, writing nothing for either', async () => {
    const { writer, units } = recordingWriter();
    const held = complaintAt('routed', { id: 'c-2' });
    claims(['m-2'], [held]);
    const outcome = await new AssignComplaintsHandler(writer, deadlines).execute(new AssignComplaintsCommand([request('c-1', 'm-1'), request('c-2', 'm-2')], 'lurah'));
    expect(outcome.map((o) => o.ok && o.value)).toEqual(['duplicate', 'skipped']);
    expect(held.snapshot).toMatchObject({ status: 'routed', version: 3 });
    expect(units().map((u) => writesOf(u).events)).toEqual([[]]);
    expect(units().map((u) => writesOf(u).jobs)).toEqual([[]]);
  });

  it('fails the batch when a claimed complaint does not exist', async () => {
    const { writer } = recordingWriter();
    claims(['m-1'], []);
    await expect(new AssignComplaintsHandler(writer, deadlines).execute(new AssignComplaintsCommand([request('c-9', 'm-1')], 'lurah'))).rejects.toThrow('c-9 does not exist');
  });
});
