import { COMPLAINT_STATUSES } from '../domain/complaint-status';
import { complaintStatusesFor, open311Status, statusAfter, statusNotes } from './open311-status';

describe('Open311 status', () => {
  it('maps every complaint status to open or closed, with a note in Bahasa Indonesia', () => {
    expect(Object.fromEntries(COMPLAINT_STATUSES.map((s) => [s, open311Status(s)]))).toEqual({
      submitted: 'open',
      routed: 'open',
      in_progress: 'open',
      awaiting_info: 'open',
      resolved: 'closed',
      closed: 'closed',
      rejected: 'closed',
    });
    for (const s of COMPLAINT_STATUSES) expect(statusNotes(s)).toMatch(/^Pe/);
    expect(complaintStatusesFor(['closed'])).toEqual(['resolved', 'closed', 'rejected']);
    expect(complaintStatusesFor(['open', 'closed'])).toEqual([...COMPLAINT_STATUSES]);
  });

  it('replays a chain of events into statuses', () => {
    const chain: [string, Record<string, unknown>][] = [
      ['complaint.submitted', {}],
      ['complaint.routed', {}],
      ['complaint.assigned', {}],
      ['complaint.info_requested', {}],
      ['complaint.resident_replied', { resumed: false }],
      ['complaint.resident_replied', { resumed: true }],
      ['complaint.deadline_missed', {}],
      ['complaint.resolved', {}],
      ['complaint.reopened', {}],
      ['complaint.forwarded', {}],
      ['complaint.rejected', {}],
    ];
    const seen: string[] = [];
    let status = statusAfter('submitted', 'complaint.submitted', {});
    for (const [event, data] of chain) seen.push((status = statusAfter(status, event, data)));
    expect(seen).toEqual(['submitted', 'submitted', 'routed', 'awaiting_info', 'awaiting_info', 'in_progress', 'in_progress', 'resolved', 'in_progress', 'routed', 'rejected']);
    expect(statusAfter('routed', 'complaint.something_new', { status: 'closed' })).toBe('closed');
    expect(statusAfter('routed', 'complaint.something_new', { status: 'bogus' })).toBe('routed');
  });
});
