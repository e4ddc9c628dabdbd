import { Complaint, ComplaintProps, IllegalTransition } from './complaint';
import { ComplaintStatus } from './complaint-status';

const base = {
  id: 'c1',
  trackingNumber: 'ADN-261122-ABCDEF',
  tenantCode: '36.73',
  categoryCode: 'JALAN_RUSAK',
  kelurahanCode: '36.73.01.1001',
  kecamatanCode: '36.73.01',
  description: 'Jalan berlubang di depan sekolah',
  address: null,
  lat: null,
  long: null,
  anonymous: false,
  confidential: false,
  accused: null,
  reporterOnFile: false,
  channel: 'web',
  submittedAt: new Date('2026-11-20T03:00:00Z'),
};
const t = (iso: string) => new Date(iso);
const due = { at: t('2026-11-25T16:59:59.999Z'), workingDays: 3, provisional: false };
const deadline = (iso: string, workingDays: number | null = 5, provisional = false) => ({ at: t(iso), workingDays, provisional });

function inStatus(status: ComplaintStatus, extra: Partial<ComplaintProps> = {}): Complaint {
  const c = Complaint.submit(base, false);
  return Complaint.restore({ ...c.snapshot, status, currentUnitId: 'u1', currentTier: 'lurah', ...extra });
}

/** Every action against every status: exactly the allowed cells succeed. */
const ACTIONS: Record<string, (c: Complaint) => void> = {
  assign: (c) => c.assign('u2', 'lurah', due),
  acknowledge: (c) => c.acknowledge(t('2026-11-21T00:00:00Z'), due),
  requestInfo: (c) => c.requestInfo(t('2026-11-21T00:00:00Z'), due),
  residentWrites: (c) => c.residentWrites(t('2026-11-21T00:00:00Z')),
  forward: (c) => c.handOver('u2', 'opd', due, 'forwarded'),
  return: (c) => c.handOver('u2', 'camat', due, 'returned'),
  escalate: (c) => c.handOver('u2', 'camat', due, 'escalated'),
  resolve: (c) => c.resolve(t('2026-11-21T00:00:00Z'), due),
  reject: (c) => c.reject(t('2026-11-21T00:00:00Z')),
  feedback: (c) => c.feedback(true, t('2026-11-21T00:00:00Z'), due),
  returnToRouting: (c) => c.returnToRouting(),
};
const ALLOWED: Record<string, ComplaintStatus[]> = {
  assign: ['submitted'],
  acknowledge: ['routed'],
  requestInfo: ['routed', 'in_progress'],
  residentWrites: ['submitted', 'routed', 'in_progress', 'awaiting_info'],
  forward: ['routed', 'in_progress'],
  return: ['routed', 'in_progress'],
  escalate: ['routed'],
  resolve: ['routed', 'in_progress'],
  reject: ['routed', 'in_progress', 'awaiting_info'],
  feedback: ['resolved'],
  returnToRouting: ['routed', 'in_progress', 'awaiting_info'],
};
const STATUSES: ComplaintStatus[] = ['submitted', 'routed', 'in_progress', 'awaiting_info', 'resolved', 'closed', 'rejected'];

describe('Complaint', () => {
  it('starts submitted with the resident’s privacy choice', () => {
    const c = Complaint.submit(base, false);
    expect(c.status).toBe('submitted');
    expect(c.snapshot).toMatchObject({ anonymous: false, confidential: false, version: 1 });
  });

  it('forces anonymity and confidentiality for complaints about an official', () => {
    expect(Complaint.submit(base, true).snapshot).toMatchObject({ anonymous: true, confidential: true });
    const accused = Complaint.submit({ ...base, accused: { name: 'Pak X', unit: 'KEL.36.73.01.1001' } }, false);
    expect(accused.snapshot).toMatchObject({ anonymous: true, confidential: true });
  });

  describe.each(Object.keys(ACTIONS))('%s', (action) => {
    it.each(STATUSES)('from %s', (status) => {
      const c = inStatus(status, { pausedAt: status === 'awaiting_info' ? t('2026-11-20T05:00:00Z') : null, resolvedAt: status === 'resolved' ? t('2026-11-20T05:00:00Z') : null });
      if (ALLOWED[action].includes(status)) {
        expect(() => ACTIONS[action](c)).not.toThrow();
      } else {
        expect(() => ACTIONS[action](c)).toThrow(IllegalTransition);
        expect(c.status).toBe(status);
      }
    });
  });

  it('is routed when assigned and then runs the resolution clock from the acknowledgement', () => {
    const c = Complaint.submit(base, false);
    c.assign('u1', 'lurah', { ...due, provisional: true });
    expect(c.snapshot).toMatchObject({ status: 'routed', currentUnitId: 'u1', currentTier: 'lurah', dueAt: due.at, dueProvisional: true, version: 2 });
    const resolution = deadline('2026-11-30T16:59:59.999Z');
    c.acknowledge(t('2026-11-23T02:00:00Z'), resolution);
    expect(c.snapshot).toMatchObject({
      status: 'in_progress', resolutionDueAt: resolution.at, dueAt: resolution.at, dueProvisional: false,
      resolutionFrom: t('2026-11-23T02:00:00Z'), resolutionWorkingDays: 5, resolutionPausedMs: 0,
    });
  });

  it('stops the clock while waiting for the resident and moves the deadline by the wait', () => {
    const c = inStatus('routed');
    const resolution = deadline('2026-11-30T10:00:00Z');
    c.requestInfo(t('2026-11-21T10:00:00Z'), resolution);
    expect(c.snapshot).toMatchObject({ status: 'awaiting_info', pausedAt: t('2026-11-21T10:00:00Z'), resolutionDueAt: resolution.at, resolutionFrom: t('2026-11-21T10:00:00Z') });
    expect(c.residentWrites(t('2026-11-23T10:00:00Z'))).toBe(true);
    expect(c.snapshot).toMatchObject({
      status: 'in_progress', pausedAt: null, resolutionDueAt: t('2026-12-02T10:00:00Z'), dueAt: t('2026-12-02T10:00:00Z'), resolutionPausedMs: 2 * 86_400_000,
    });
    expect(c.residentWrites(t('2026-11-24T10:00:00Z'))).toBe(false);
    expect(c.status).toBe('in_progress');
  });

  it('hands over to another unit, never to its own, and escalates only what is unanswered', () => {
    const c = inStatus('in_progress');
    expect(() => c.handOver('u1', 'lurah', due, 'forwarded')).toThrow(IllegalTransition);
    expect(() => c.handOver('u2', 'camat', due, 'escalated')).toThrow(IllegalTransition);
    c.handOver('u2', 'opd', due, 'forwarded');
    expect(c.snapshot).toMatchObject({ status: 'routed', currentUnitId: 'u2', currentTier: 'opd', resolutionDueAt: null, resolutionFrom: null, dueAt: due.at });
  });

  it('reopens on a dissatisfied resident and closes on a satisfied one', () => {
    const reopened = inStatus('resolved', { resolvedAt: t('2026-11-21T00:00:00Z') });
    reopened.feedback(false, t('2026-11-22T00:00:00Z'), due);
    expect(reopened.snapshot).toMatchObject({ status: 'in_progress', resolvedAt: null, dueAt: due.at, resolutionFrom: t('2026-11-22T00:00:00Z'), autoCloseAt: null });
    const closed = inStatus('resolved', { resolvedAt: t('2026-11-21T00:00:00Z') });
    closed.feedback(true, t('2026-11-22T00:00:00Z'), due);
    expect(closed.snapshot).toMatchObject({ status: 'closed', closedAt: t('2026-11-22T00:00:00Z') });
  });

  it('starts with the possibly-accused set it was given, protected and pending review', () => {
    const c = Complaint.submit({ ...base, accusedUnitIds: ['kel', 'kec', 'kel'] }, false);
    expect(c.snapshot).toMatchObject({ accusedUnitIds: ['kec', 'kel'], accusedReview: 'pending', anonymous: true, confidential: true });
    expect(Complaint.submit(base, false).snapshot).toMatchObject({ accusedUnitIds: [], accusedReview: null, anonymous: false });
  });

  it('adds suspects a reply names, and asks for review again; a known suspect changes nothing', () => {
    const c = Complaint.restore({ ...inStatus('routed').snapshot, accusedUnitIds: ['kel'], accusedReview: 'cleared' });
    const version = c.snapshot.version;
    expect(c.flagAccused(['kel'])).toEqual([]);
    expect(c.snapshot.version).toBe(version);
    expect(c.flagAccused(['dlh', 'kel'])).toEqual(['dlh']);
    expect(c.snapshot).toMatchObject({ accusedUnitIds: ['dlh', 'kel'], accusedReview: 'pending', anonymous: true, confidential: true });
  });

  it('lets an inspector confirm the set or replace it, never with none, and clear it once', () => {
    const c = Complaint.restore({ ...inStatus('routed').snapshot, accusedUnitIds: ['kel', 'kec'], accusedReview: 'pending' });
    c.confirmAccused();
    expect(c.snapshot).toMatchObject({ accusedUnitIds: ['kel', 'kec'], accusedReview: 'confirmed' });
    c.confirmAccused(['dlh']);
    expect(c.snapshot).toMatchObject({ accusedUnitIds: ['dlh'], accusedReview: 'confirmed' });
    expect(() => c.confirmAccused([])).toThrow(IllegalTransition);
    c.clearAccused();
    // A false alarm empties the set; the privacy it brought stays (a protective setting is never lowered).
    expect(c.snapshot).toMatchObject({ accusedUnitIds: [], accusedReview: 'cleared', anonymous: true, confidential: true });
    expect(() => c.clearAccused()).toThrow(IllegalTransition);
    expect(() => c.confirmAccused()).toThrow(IllegalTransition);
  });

  it('returns to routing out of every inbox, its clocks stopped', () => {
    const c = inStatus('awaiting_info', { pausedAt: t('2026-11-20T05:00:00Z'), resolutionDueAt: due.at, dueAt: due.at, dueProvisional: true, resolutionFrom: t('2026-11-19T05:00:00Z'), resolutionWorkingDays: 5 });
    c.returnToRouting();
    expect(c.snapshot).toMatchObject({
      status: 'submitted', currentUnitId: null, currentTier: null, dueAt: null, dueProvisional: false, resolutionDueAt: null, resolutionFrom: null, resolutionWorkingDays: null, pausedAt: null,
    });
  });

  it('auto-closes only the resolution its timer was armed for', () => {
    const resolvedAt = t('2026-11-21T00:00:00Z');
    const c = inStatus('resolved', { resolvedAt });
    expect(() => c.autoClose(t('2026-12-05T00:00:00Z'), t('2026-11-01T00:00:00Z'))).toThrow(IllegalTransition);
    c.autoClose(t('2026-12-05T00:00:00Z'), resolvedAt);
    expect(c.status).toBe('closed');
  });

  it('remembers when a resolution closes by itself, and how it was counted', () => {
    const c = inStatus('in_progress');
    c.resolve(t('2026-11-21T00:00:00Z'), deadline('2026-12-07T16:59:59.999Z', 10, true));
    expect(c.snapshot).toMatchObject({ status: 'resolved', dueAt: null, autoCloseAt: t('2026-12-07T16:59:59.999Z'), autoCloseWorkingDays: 10, autoCloseProvisional: true });
  });

  describe('moveDeadline (a revised holiday table)', () => {
    const later = deadline('2026-11-26T16:59:59.999Z', 3, false);

    it('moves the first response of a complaint still waiting for it', () => {
      const c = inStatus('routed', { dueAt: due.at, dueProvisional: true });
      c.moveDeadline('first_response', later);
      expect(c.snapshot).toMatchObject({ dueAt: later.at, dueProvisional: false, version: 2 });
      expect(() => inStatus('in_progress').moveDeadline('first_response', later)).toThrow(IllegalTransition);
    });

    it('moves the resolution of a complaint being handled or waiting for the resident', () => {
      for (const status of ['in_progress', 'awaiting_info'] as const) {
        const c = inStatus(status, { resolutionDueAt: due.at, dueAt: due.at });
        c.moveDeadline('resolution', later);
        expect(c.snapshot).toMatchObject({ status, resolutionDueAt: later.at, dueAt: later.at, resolutionWorkingDays: 3 });
      }
      expect(() => inStatus('routed').moveDeadline('resolution', later)).toThrow(IllegalTransition);
    });

    it('moves the automatic closing of a resolved complaint only', () => {
      const c = inStatus('resolved', { autoCloseAt: due.at });
      c.moveDeadline('auto_close', later);
      expect(c.snapshot).toMatchObject({ autoCloseAt: later.at, autoCloseWorkingDays: 3, dueAt: null });
      expect(() => inStatus('closed').moveDeadline('auto_close', later)).toThrow(IllegalTransition);
    });
  });
});
