import { Complaint, IllegalTransition } from './complaint';

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
  channel: 'web',
  submittedAt: new Date('2026-11-20T03:00:00Z'),
};

describe('Complaint', () => {
  it('starts submitted with the resident’s privacy choice', () => {
    const c = Complaint.submit(base, false);
    expect(c.status).toBe('submitted');
    expect(c.snapshot.anonymous).toBe(false);
    expect(c.snapshot.confidential).toBe(false);
  });

  it('forces anonymity and confidentiality for complaints about an official', () => {
    expect(Complaint.submit(base, true).snapshot).toMatchObject({ anonymous: true, confidential: true });
    const accused = Complaint.submit({ ...base, accused: { name: 'Pak X', unit: 'KEL.36.73.01.1001' } }, false);
    expect(accused.snapshot).toMatchObject({ anonymous: true, confidential: true });
  });

  it('is routed when assigned, and cannot be assigned a second time', () => {
    const due = new Date('2026-11-25T16:59:59.999Z');
    const c = Complaint.submit(base, false);
    c.assign('u1', 'lurah', due);
    expect(c.snapshot).toMatchObject({ status: 'routed', currentUnitId: 'u1', currentTier: 'lurah', dueAt: due, version: 2 });
    expect(() => c.assign('u2', 'camat', due)).toThrow(IllegalTransition);
    const done = Complaint.restore({ ...c.snapshot, status: 'closed' });
    expect(() => done.assign('u2', 'camat', due)).toThrow(IllegalTransition);
  });
});
