import { Complaint } from './complaint';
import { COMPLAINT_STATUSES, ComplaintStatus } from './complaint-status';
import { actionsAllowedFrom, OFFICIAL_ACTIONS, OfficialActionName } from './official-actions';

const at = new Date('2026-11-21T00:00:00Z');
const due = { at: new Date('2026-11-25T16:59:59.999Z'), workingDays: 3, provisional: false };

function inStatus(status: ComplaintStatus): Complaint {
  const c = Complaint.submit(
    {
      id: 'c1', trackingNumber: 'ADN-261122-ABCDEF', tenantCode: '36.73', categoryCode: 'JALAN_RUSAK', kelurahanCode: '36.73.01.1001',
      kecamatanCode: '36.73.01', description: 'Jalan berlubang di depan sekolah', address: null, lat: null, long: null,
      anonymous: false, confidential: false, accused: null, reporterOnFile: false, channel: 'web', submittedAt: new Date('2026-11-20T03:00:00Z'),
    },
    false,
  );
  return Complaint.restore({ ...c.snapshot, status, currentUnitId: 'u1', currentTier: 'lurah', pausedAt: status === 'awaiting_info' ? at : null });
}

/** What each action asks of the aggregate. */
const RUN: Record<OfficialActionName, (c: Complaint) => void> = {
  acknowledge: (c) => c.acknowledge(at, due),
  'request-info': (c) => c.requestInfo(at, due),
  forward: (c) => c.handOver('u2', 'opd', due, 'forwarded'),
  return: (c) => c.handOver('u2', 'camat', due, 'returned'),
  resolve: (c) => c.resolve(at, due),
  reject: (c) => c.reject(at),
};

const accepts = (action: OfficialActionName, status: ComplaintStatus) => {
  try {
    RUN[action](inStatus(status));
    return true;
  } catch {
    return false;
  }
};

describe('actionsAllowedFrom', () => {
  it.each(COMPLAINT_STATUSES)('lists, from %s, exactly the actions the aggregate accepts', (status) => {
    expect(actionsAllowedFrom(status)).toEqual(OFFICIAL_ACTIONS.filter((a) => accepts(a, status)));
  });

  it('offers every action from some status and none once the complaint has left the unit’s hands', () => {
    expect(actionsAllowedFrom('routed')).toEqual(['acknowledge', 'request-info', 'forward', 'return', 'resolve', 'reject']);
    expect(actionsAllowedFrom('awaiting_info')).toEqual(['reject']);
    for (const status of ['submitted', 'resolved', 'closed', 'rejected'] as const) expect(actionsAllowedFrom(status)).toEqual([]);
  });
});
