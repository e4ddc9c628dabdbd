import { claimAndLockComplaints, Complaint, ComplaintProps, ComplaintWriter } from '@aduan/complaints';
import { JobName, preparedQuery } from '@aduan/platform';
import type { EntityManager } from 'typeorm';
import { RouteComplaintsCommand, RouteRequest } from './route-complaint.command';
import { RouteComplaintsHandler } from './route-complaint.handler';

jest.mock('@aduan/complaints', () => ({ ...jest.requireActual('@aduan/complaints'), claimAndLockComplaints: jest.fn() }));
jest.mock('@aduan/platform', () => ({ ...jest.requireActual('@aduan/platform'), preparedQuery: jest.fn() }));
const claim = jest.mocked(claimAndLockComplaints);
const query = jest.mocked(preparedQuery);

const complaint = (id: string, status: ComplaintProps['status'] = 'submitted') =>
  Complaint.restore({ id, status, tenantCode: '36.73', categoryCode: 'SAMPAH', kelurahanCode: '36.73.01.1001', kecamatanCode: '36.73.01', accusedReview: null, version: 1 } as ComplaintProps);
/** The facts of the batch: the kelurahan's offices, no category rule, nobody accused. */
const FACTS = {
  units: [{ id: 'kel', code: 'KEL.36.73.01.1001', active: true }, { id: 'kec', code: 'KEC.36.73.01', active: true }, { id: 'insp', code: 'INSP.36.73', active: true }],
  rules: [],
  accused: [],
};

interface Opened {
  complaint: Complaint;
  audits: { id?: string; event: string; data?: Record<string, unknown>; requestId?: string | null }[];
  outbox: { job: JobName; payload: Record<string, unknown> }[];
}

/** The handler over a writer whose units only record what the handler asks of them. */
function handler() {
  const opened: Opened[] = [];
  const writer = {
    transaction: (work: (scope: unknown) => Promise<unknown>) =>
      work({
        manager: {} as EntityManager,
        open: (c: Complaint) => {
          const unit = {
            complaint: c, audits: [], outbox: [],
            audit(record: Opened['audits'][number]) { this.audits.push(record); return this; },
            publish(job: JobName, payload: Record<string, unknown>) { this.outbox.push({ job, payload }); return this; },
          } as Opened & { audit: unknown; publish: unknown };
          opened.push(unit);
          return unit;
        },
      }),
  } as unknown as ComplaintWriter;
  return { route: new RouteComplaintsHandler(writer), opened };
}

const req = (complaintId: string): RouteRequest => ({ complaintId, messageId: `m-${complaintId}` });
const run = (h: RouteComplaintsHandler, requests: RouteRequest[]) => h.execute(new RouteComplaintsCommand(requests, JobName.RouteComplaint));

describe('RouteComplaintsHandler', () => {
  beforeEach(() => {
    claim.mockReset();
    query.mockReset().mockResolvedValue([FACTS]);
  });

  it('records each decision and a dispatch to the tier that names it, and answers routed, skipped or duplicate', async () => {
    const { route, opened } = handler();
    claim.mockResolvedValueOnce({ claimed: new Set(['m-a', 'm-b']), complaints: new Map([['a', complaint('a')], ['b', complaint('b', 'routed')], ['c', complaint('c')]]) });
    const outcomes = await run(route, [req('a'), req('b'), req('c')]);
    expect(outcomes.map((o) => (o.ok ? o.value : o.error))).toEqual(['routed', 'skipped', 'duplicate']);
    expect(opened.map((u) => u.complaint.id)).toEqual(['a']);
    const [{ audits, outbox }] = opened;
    expect(audits).toEqual([expect.objectContaining({ event: 'complaint.routed', data: { unit_id: 'kel', tier: 'lurah', reason: 'location' }, requestId: 'm-a' })]);
    expect(outbox).toEqual([{ job: JobName.DispatchToLurah, payload: { complaintId: 'a', unitId: 'kel', routingId: audits[0].id } }]);
    expect(audits[0].id).toEqual(expect.any(String));
  });

  it('reads the facts once for the whole batch, and not at all when nothing is routable', async () => {
    const { route } = handler();
    claim.mockResolvedValueOnce({ claimed: new Set(['m-a', 'm-b']), complaints: new Map([['a', complaint('a')], ['b', complaint('b')]]) });
    await run(route, [req('a'), req('b')]);
    expect(query).toHaveBeenCalledTimes(1);
    claim.mockResolvedValueOnce({ claimed: new Set(), complaints: new Map([['a', complaint('a')]]) });
    await run(route, [req('a')]);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('fails the batch for a complaint named twice, one that does not exist, or one no unit can take', async () => {
    const { route } = handler();
    await expect(run(route, [req('a'), req('a')])).rejects.toThrow('names one complaint twice');
    claim.mockResolvedValueOnce({ claimed: new Set(['m-x']), complaints: new Map() });
    await expect(run(route, [req('x')])).rejects.toThrow('complaint x does not exist');
    query.mockResolvedValueOnce([{ units: [], rules: [], accused: [] }]);
    claim.mockResolvedValueOnce({ claimed: new Set(['m-a']), complaints: new Map([['a', complaint('a')]]) });
    await expect(run(route, [req('a')])).rejects.toThrow('no usable unit');
  });
});
