import type { ComplaintAccessFacts, Principal } from '@aduan/directory';
import type { EntityManager } from 'typeorm';
import { complaintAt, recordingWriter, TN, writesOf } from '../../../../test/support/complaint-writes';
import { loadAccessFacts } from '../persistence/access-facts';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import { EraseReporterCommand } from './erase-reporter.command';
import { EraseReporterHandler } from './erase-reporter.handler';

jest.mock('../persistence/complaint-loads');
jest.mock('../persistence/access-facts');
const lock = jest.mocked(lockComplaintByTrackingNumber);
const facts = jest.mocked(loadAccessFacts);

const inspector: Principal = { officialId: 'o-insp', username: 'insp', name: 'Inspektur', roles: ['inspector'], tenantCode: '36.73', unitId: 'insp', unitCode: null };
const visible: ComplaintAccessFacts = { tenantCode: '36.73', currentUnitId: 'kel', accusedUnitIds: [] };

/**
 * The handler over a manager that answers the reporter row with `row` and each UPDATE with
 * `touched` rows (pg's [rows, count]); `statements` lists what it was asked, by table.
 */
function erase(row: { reporter_ciphertext: string | null; reporter_erased_at: Date | null }, touched = 2) {
  const statements: string[] = [];
  const manager = {
    query: async (sql: string) => {
      const table = /^(?:SELECT .* FROM|UPDATE) (\w+)/s.exec(sql.trim())?.[1] ?? sql;
      statements.push(`${sql.trim().split(/\s/)[0]} ${table}`);
      return sql.trim().startsWith('SELECT') ? [{ reporter_key_id: row.reporter_ciphertext && 'k1', ...row }] : [[], touched];
    },
  } as unknown as EntityManager;
  const { writer, units } = recordingWriter(manager);
  return { handler: new EraseReporterHandler(writer), units, statements };
}
const run = (h: EraseReporterHandler, who: Principal = inspector) => h.execute(new EraseReporterCommand(TN, who, 'Permintaan pelapor', 'INSP/2026/7', 'req-1'));

describe('EraseReporterHandler', () => {
  beforeEach(() => {
    lock.mockReset().mockResolvedValue(complaintAt('closed'));
    facts.mockReset().mockResolvedValue(visible);
  });

  it('clears the identity, the delivery addresses and the intake fingerprint, and audits the erasure by reference', async () => {
    const { handler, units, statements } = erase({ reporter_ciphertext: 'sealed', reporter_erased_at: null }, 3);
    const answer = await run(handler);
    const [uow] = units();
    expect(answer).toEqual({ erasedAt: uow.now, hadIdentity: true });
    expect(statements).toEqual(['SELECT complaint', 'UPDATE complaint', 'UPDATE notification_delivery', 'UPDATE intake_key']);
    const w = writesOf(uow);
    expect(w.events).toEqual(['complaint.reporter_erased']);
    expect(w.audits[0].data).toEqual({ reason: 'Permintaan pelapor', request_reference: 'INSP/2026/7', unit_id: 'insp', had_identity: true, delivery_addresses: 3, intake_keys: 3 });
    expect(w.notices).toEqual([]);
  });

  it('marks a complaint filed without an identity erased all the same, saying it had none', async () => {
    const { handler, units } = erase({ reporter_ciphertext: null, reporter_erased_at: null }, 0);
    expect(await run(handler)).toMatchObject({ hadIdentity: false });
    expect(writesOf(units()[0]).audits[0].data).toMatchObject({ had_identity: false, delivery_addresses: 0, intake_keys: 0 });
  });

  it('answers a second erasure 410 and writes nothing', async () => {
    const { handler, units, statements } = erase({ reporter_ciphertext: null, reporter_erased_at: new Date('2026-02-01T00:00:00Z') });
    await expect(run(handler)).rejects.toMatchObject({ kind: 'gone' });
    expect(statements).toEqual(['SELECT complaint']);
    expect(units()).toEqual([]);
  });

  it('refuses an official who is not an inspector (403) and one who cannot see the complaint (404), touching nothing', async () => {
    const { handler, statements } = erase({ reporter_ciphertext: 'sealed', reporter_erased_at: null });
    await expect(run(handler, { ...inspector, roles: ['handler'], unitId: 'kel' })).rejects.toMatchObject({ kind: 'forbidden' });
    facts.mockResolvedValueOnce({ ...visible, tenantCode: '36.71' });
    await expect(run(handler)).rejects.toMatchObject({ kind: 'not_found' });
    expect(statements).toEqual([]);
  });
});
