import type { ComplaintAccessFacts, Principal } from '@aduan/directory';
import type { EntityManager } from 'typeorm';
import { complaintAt, recordingWriter, TN, writesOf } from '../../../../test/support/complaint-writes';
import { loadAccessFacts } from '../persistence/access-facts';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import type { ReporterCipher } from '../privacy/reporter-cipher';
import { RevealReporterCommand } from './reveal-reporter.command';
import { RevealReporterHandler } from './reveal-reporter.handler';

jest.mock('../persistence/complaint-loads');
jest.mock('../persistence/access-facts');
const lock = jest.mocked(lockComplaintByTrackingNumber);
const facts = jest.mocked(loadAccessFacts);

const inspector: Principal = { officialId: 'o-insp', username: 'insp', name: 'Inspektur', roles: ['inspector'], tenantCode: '36.73', unitId: 'insp', unitCode: null };
const visible: ComplaintAccessFacts = { tenantCode: '36.73', currentUnitId: 'kel', accusedUnitIds: [] };
const ERASED_AT = new Date('2026-02-01T00:00:00Z');

/** The handler over a manager whose reporter row is `row`, and a cipher that opens to Siti. */
function reveal(row: { reporter_ciphertext: string | null; reporter_key_id: string | null; reporter_erased_at: Date | null }) {
  const manager = { query: async () => [row] } as unknown as EntityManager;
  const opened: string[] = [];
  const cipher = { open: (sealed: { ciphertext: string }, complaintId: string) => (opened.push(`${sealed.ciphertext}@${complaintId}`), { name: 'Siti', phone: '0812' }) } as unknown as ReporterCipher;
  const { writer, units } = recordingWriter(manager);
  return { handler: new RevealReporterHandler(writer, cipher), units, opened };
}
const run = (h: RevealReporterHandler, who: Principal = inspector) => h.execute(new RevealReporterCommand(TN, who, 'Pemeriksaan dugaan pungli', 'req-1'));

describe('RevealReporterHandler', () => {
  beforeEach(() => {
    lock.mockReset().mockResolvedValue(complaintAt('in_progress', { anonymous: true }));
    facts.mockReset().mockResolvedValue(visible);
  });

  it('opens the sealed identity for an inspector and audits the reveal with its reason', async () => {
    const { handler, units, opened } = reveal({ reporter_ciphertext: 'sealed', reporter_key_id: 'k1', reporter_erased_at: null });
    expect(await run(handler)).toEqual({ name: 'Siti', phone: '0812', email: undefined, anonymous: true });
    expect(opened).toEqual(['sealed@c-1']);
    const w = writesOf(units()[0]);
    expect(w.events).toEqual(['complaint.reporter_revealed']);
    expect(w.audits[0]).toMatchObject({ actor: { type: 'official', id: 'o-insp' }, data: { reason: 'Pemeriksaan dugaan pungli', unit_id: 'insp' } });
    expect(w.notices).toEqual([]);
  });

  it('audits a reveal of a complaint filed without an identity too, and answers it empty', async () => {
    const { handler, units, opened } = reveal({ reporter_ciphertext: null, reporter_key_id: null, reporter_erased_at: null });
    expect(await run(handler)).toEqual({ name: undefined, phone: undefined, email: undefined, anonymous: true });
    expect(opened).toEqual([]);
    expect(writesOf(units()[0]).events).toEqual(['complaint.reporter_revealed']);
  });

  it('answers 410 for an erased identity and audits nothing', async () => {
    const { handler, units } = reveal({ reporter_ciphertext: null, reporter_key_id: null, reporter_erased_at: ERASED_AT });
    await expect(run(handler)).rejects.toMatchObject({ kind: 'gone', message: expect.stringContaining(ERASED_AT.toISOString()) });
    expect(units()).toEqual([]);
  });

  it('refuses a caller the access rule refuses before reading the identity', async () => {
    const { handler, units, opened } = reveal({ reporter_ciphertext: 'sealed', reporter_key_id: 'k1', reporter_erased_at: null });
    await expect(run(handler, { ...inspector, roles: ['handler'], unitId: 'kel' })).rejects.toMatchObject({ kind: 'forbidden' });
    expect(opened).toEqual([]);
    expect(units()).toEqual([]);
  });

  it('answers a malformed tracking number and an unknown one alike, without a lock for the first', async () => {
    const { handler } = reveal({ reporter_ciphertext: 'sealed', reporter_key_id: 'k1', reporter_erased_at: null });
    lock.mockResolvedValueOnce(null);
    await expect(run(handler)).rejects.toMatchObject({ kind: 'not_found' });
    lock.mockClear();
    await expect(handler.execute(new RevealReporterCommand('nope', inspector, 'x', null))).rejects.toMatchObject({ kind: 'not_found' });
    expect(lock).not.toHaveBeenCalled();
  });
});
