import { JobName } from '../queue/queue-names';
import { envelopeJobId, jobRow, OutboxJobRow, outboxMessage, withCarriers } from './outbox';

describe('withCarriers', () => {
  const route = () => outboxMessage(JobName.RouteComplaint, { complaintId: 'c' });
  const notice = () => outboxMessage(JobName.SendNotification, { notificationId: 'n' });
  const timer = () => outboxMessage(JobName.FirstResponseDue, { assignmentId: 'a' }, { jobId: 'frd-a', deliverAt: new Date(Date.now() + 60_000) });
  const carriers = (rows: readonly OutboxJobRow[]) => Object.fromEntries(withCarriers(rows).map((r) => [r.id, r.job_id]));

  it('puts the rows of one job name in one envelope, and leaves a lone row and timers alone', () => {
    const [r1, r2, r3, n1, t1, t2] = [route(), route(), route(), notice(), timer(), timer()];
    const g = envelopeJobId([r1.id, r2.id, r3.id]);
    expect(carriers([r1, t1, n1, r2, t2, r3].map(jobRow))).toEqual({ [r1.id]: g, [r2.id]: g, [r3.id]: g, [n1.id]: null, [t1.id]: 'frd-a', [t2.id]: 'frd-a' });
  });

  it('names an envelope after exactly the rows it carries: one row more or less is another job', () => {
    const [a, b, c] = [route(), route(), route()].map((m) => m.id);
    expect(envelopeJobId([a, b])).toBe(envelopeJobId([a, b]));
    expect(envelopeJobId([a, b])).toMatch(/^g-[0-9a-f]{40}$/);
    expect(new Set([envelopeJobId([a, b]), envelopeJobId([a, b, c]), envelopeJobId([a]), envelopeJobId([b, a])]).size).toBe(4);
  });

  it('answers the same for the same rows in the same order, so the writer and the publisher agree', () => {
    const rows = [route(), notice(), route(), notice()].map(jobRow);
    expect(withCarriers(rows)).toEqual(withCarriers(rows.map((r) => ({ ...r }))));
    expect(new Set(withCarriers(rows).map((r) => r.job_id)).size).toBe(2);
  });

  it('leaves a row that already names its job alone, and does not group the rest around it', () => {
    const rows = [route(), route()].map(jobRow).map((r, i) => (i === 0 ? { ...r, job_id: 'given' } : r));
    expect(withCarriers(rows).map((r) => r.job_id)).toEqual(['given', null]);
  });
});
