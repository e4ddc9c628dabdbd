import { COMPLAINT_STATUSES } from '../domain/complaint-status';
import { complaintStatusesFor, FEED_EVENTS, open311Status, STATUS_EVENTS, statusNotes, updateStatus } from './open311-status';

/** FixMyStreet's `Open311::map_state`, restated to check what a FixMyStreet body would show for each status (without extended statuses). */
function fixMyStreetState(status: string, extendedStatuses: boolean): string {
  const words = status.toLowerCase().replace(/_/g, ' ');
  const map: Record<string, string> = {
    fixed: 'fixed - council',
    'not councils responsibility': 'not responsible',
    'no further action': 'unable to fix',
    open: 'confirmed',
    closed: extendedStatuses ? 'closed' : 'fixed - council',
  };
  return map[words] ?? words;
}

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

  it('says in status_notes why a complaint was rejected', () => {
    expect(statusNotes('rejected', 'duplicate')).toMatch(/sama dengan pengaduan lain/);
    expect(statusNotes('rejected', 'out_of_scope')).toMatch(/di luar kewenangan/);
    expect(statusNotes('rejected', 'invalid')).toMatch(/tidak dapat ditindaklanjuti/);
    expect(statusNotes('rejected', 'something_new')).toBe(statusNotes('rejected'));
    expect(statusNotes('resolved', 'duplicate')).toBe(statusNotes('resolved'));
  });

  it('gives each update the specific status FixMyStreet knows', () => {
    const cases: [string, Record<string, unknown>, string | null][] = [
      ['complaint.assigned', {}, 'open'],
      ['complaint.acknowledged', {}, 'in_progress'],
      ['complaint.info_requested', { question: '?' }, 'investigating'],
      ['complaint.resident_replied', { resumed: true }, 'in_progress'],
      ['complaint.resident_replied', { resumed: false }, null],
      ['complaint.forwarded', {}, 'internal_referral'],
      ['complaint.returned', {}, 'internal_referral'],
      ['complaint.escalated', {}, 'internal_referral'],
      ['complaint.resolved', {}, 'fixed'],
      ['complaint.rejected', { reason: 'duplicate' }, 'duplicate'],
      ['complaint.rejected', { reason: 'out_of_scope' }, 'not_councils_responsibility'],
      ['complaint.rejected', { reason: 'invalid' }, 'no_further_action'],
      ['complaint.rejected', { reason: 'unheard_of' }, 'no_further_action'],
      ['complaint.reopened', {}, 'open'],
      ['complaint.closed', { auto: true }, 'fixed'],
      ['complaint.photo_added', {}, null],
      ['complaint.deadline_missed', {}, null],
    ];
    expect(cases.map(([event, data]) => [event, data, updateStatus(event, data)])).toEqual(cases);
  });

  it('never lets a rejection look fixed in FixMyStreet, with or without extended statuses', () => {
    for (const extended of [false, true]) {
      const shown = (event: string, data: Record<string, unknown>) => fixMyStreetState(updateStatus(event, data)!, extended);
      expect(shown('complaint.rejected', { reason: 'duplicate' })).toBe('duplicate');
      expect(shown('complaint.rejected', { reason: 'out_of_scope' })).toBe('not responsible');
      expect(shown('complaint.rejected', { reason: 'invalid' })).toBe('unable to fix');
      expect(shown('complaint.resolved', {})).toBe('fixed - council');
      // Aduan closes only what was resolved: the report stays fixed.
      expect(shown('complaint.closed', {})).toBe('fixed - council');
      expect(shown('complaint.acknowledged', {})).toBe('in progress');
      expect(shown('complaint.reopened', {})).toBe('confirmed');
    }
  });

  it('feeds only events that carry or keep a status, and never internal ones', () => {
    for (const event of FEED_EVENTS) {
      if (event !== 'complaint.photo_added') expect({ event, status: updateStatus(event, { reason: 'invalid' }) }).toEqual({ event, status: expect.any(String) });
    }
    for (const internal of ['complaint.submitted', 'complaint.routed', 'complaint.resident_replied', 'complaint.deadline_missed', 'complaint.reporter_revealed']) {
      expect(FEED_EVENTS).not.toContain(internal);
    }
    // A photo takes its status from the last of these before it.
    for (const event of STATUS_EVENTS) expect(updateStatus(event, { resumed: true, reason: 'duplicate' })).not.toBeNull();
  });
});
