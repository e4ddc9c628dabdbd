import { DomainError } from '@aduan/platform';
import type { DataSource } from 'typeorm';
import type { ConflictReferences, TenantConflictFacts } from '../conflict/conflict-references';
import { Complaint } from '../domain/complaint';
import { MarkerSet } from '../domain/markers';
import type { DirectoryUnit } from '../domain/possibly-accused';
import type { IntakeReferences } from './intake-references';
import type { IntakeResponseCipher } from './intake-response-cipher';
import { SubmitComplaintCommand, SubmitComplaintResult } from './submit-complaint.command';
import { SubmitComplaintHandler } from './submit-complaint.handler';
import type { SubmitComplaintInput } from './submit-complaint.schema';

const KEL: DirectoryUnit = { id: 'u-kel', code: 'KEL.36.73.01.1001', type: 'kelurahan', name: 'Kelurahan Serang', parentId: 'u-kec' };
const KEC: DirectoryUnit = { id: 'u-kec', code: 'KEC.36.73.01', type: 'kecamatan', name: 'Kecamatan Serang', parentId: null };
const facts: TenantConflictFacts = { units: [KEL, KEC], byCode: new Map([KEL, KEC].map((u) => [u.code, u])), markers: new MarkerSet([]), officials: [] };

/** Reference data as intake's ports answer it: one kelurahan, two categories. */
const references = {
  kelurahanRef: async (code: string) => (code === '36.73.01.1001' ? { tenantCode: '36.73', kecamatanCode: '36.73.01' } : undefined),
  category: async (code: string) => ({ SAMPAH: { aboutOfficial: false }, PUNGLI: { aboutOfficial: true } })[code],
} as unknown as IntakeReferences;
const conflicts = { forTenant: async () => facts } as unknown as ConflictReferences;
const input = (over: Partial<SubmitComplaintInput> = {}): SubmitComplaintInput => ({ category: 'SAMPAH', kelurahan: '36.73.01.1001', description: '  Sampah menumpuk di gang  ', ...over });
const answer = (c: Complaint): SubmitComplaintResult => ({ trackingNumber: c.snapshot.trackingNumber, accessCode: 'AAAA-BBBB-CCCC', status: 'submitted', submittedAt: c.snapshot.submittedAt, replayed: false });

/**
 * The handler with its ports faked; `insert` (the one write) is replaced by `inserts`, which may
 * throw what PostgreSQL would. `stored` is the intake_key row a replay reads.
 */
function intake(inserts: (c: Complaint, attempt: number) => Promise<SubmitComplaintResult>, stored: Record<string, unknown>[] = []) {
  const queries: string[] = [];
  const dataSource = { query: async (sql: string) => (queries.push(sql.trim().split(/\s+/)[0]), sql.startsWith('SELECT') ? stored : []) } as unknown as DataSource;
  const responses = { open: () => ({ trackingNumber: 'ADN-261201-FIRST1', accessCode: 'FIRS-TANS-WER1', submittedAt: '2026-12-01T03:00:00.000Z' }) } as unknown as IntakeResponseCipher;
  const handler = new SubmitComplaintHandler(dataSource, references, null as never, null as never, responses, null as never, conflicts, { INTAKE_BATCH_SIZE: 1, INTAKE_BATCHES_IN_FLIGHT: 1 } as never);
  const written: Complaint[] = [];
  let attempt = 0;
  jest.spyOn(handler as unknown as { insert: (c: Complaint) => Promise<SubmitComplaintResult> }, 'insert').mockImplementation((c: Complaint) => {
    written.push(c);
    return inserts(c, ++attempt);
  });
  return { handler, written, queries };
}
const keyed = { scope: 'idempotency-key', key: 'k-1', ttlMs: 86_400_000 };

describe('SubmitComplaintHandler', () => {
  it('refuses an unknown kelurahan and category together, and writes nothing', async () => {
    const { handler, written } = intake(async (c) => answer(c));
    const refused = handler.execute(new SubmitComplaintCommand(input({ kelurahan: '36.73.09.9999', category: 'NOPE' }), 'web', null));
    await expect(refused).rejects.toMatchObject({ kind: 'invalid', errors: [{ field: 'kelurahan' }, { field: 'category' }] });
    expect(written).toEqual([]);
  });

  it('refuses an accused unit that is not one of the tenant’s', async () => {
    const { handler, written } = intake(async (c) => answer(c));
    await expect(handler.execute(new SubmitComplaintCommand(input({ accused: { unit: 'KEL.36.71.01.1001' } }), 'web', null))).rejects.toMatchObject({
      kind: 'invalid', errors: [{ field: 'accused.unit' }],
    });
    expect(written).toEqual([]);
  });

  it('files it protected by default, trimmed, with no accused for an all-blank one', async () => {
    const { handler, written } = intake(async (c) => answer(c));
    await handler.execute(new SubmitComplaintCommand(input({ accused: { name: '' } }), 'web', null));
    expect(written[0].snapshot).toMatchObject({ status: 'submitted', tenantCode: '36.73', kecamatanCode: '36.73.01', description: 'Sampah menumpuk di gang', anonymous: true, confidential: true, accused: null, reporterOnFile: false });
  });

  it('keeps a resident’s choice to be named, unless the complaint is about an official', async () => {
    const { handler, written } = intake(async (c) => answer(c));
    await handler.execute(new SubmitComplaintCommand(input({ anonymous: false, confidential: false, reporter: { name: 'Siti' } }), 'web', null));
    await handler.execute(new SubmitComplaintCommand(input({ category: 'PUNGLI', anonymous: false, confidential: false }), 'web', null));
    await handler.execute(new SubmitComplaintCommand(input({ anonymous: false, confidential: false, accused: { unit: 'KEL.36.73.01.1001' } }), 'web', null));
    expect(written.map((c) => [c.snapshot.anonymous, c.snapshot.confidential])).toEqual([[false, false], [true, true], [true, true]]);
    expect(written[0].snapshot.reporterOnFile).toBe(true);
    expect(written[2].snapshot).toMatchObject({ accusedUnitIds: ['u-kel'], accusedReview: 'pending' });
  });

  it('files again under a new tracking number after a collision, and gives up after five', async () => {
    const collide = async (c: Complaint, attempt: number) => {
      if (attempt < 3) throw Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'complaint_tracking_number_key' });
      return answer(c);
    };
    const { handler, written } = intake(collide);
    await handler.execute(new SubmitComplaintCommand(input(), 'web', null));
    expect(written).toHaveLength(3);
    expect(new Set(written.map((c) => c.snapshot.id)).size).toBe(3);

    const always = intake(async () => Promise.reject(Object.assign(new Error('duplicate key'), { code: '23505' })));
    await expect(always.handler.execute(new SubmitComplaintCommand(input(), 'web', null))).rejects.toMatchObject({ code: '23505' });
    expect(always.written).toHaveLength(5);
  });

  it('answers a repeated idempotency key with the stored first answer, writing nothing new', async () => {
    const first = intake(async (c) => answer(c));
    await first.handler.execute(new SubmitComplaintCommand(input(), 'web', null, keyed));
    const body = (first.handler as unknown as { insert: jest.Mock }).insert.mock.calls[0][5].bodySha256 as string;
    const repeat = intake(
      async () => Promise.reject(Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'intake_key_pkey' })),
      [{ body_sha256: body, response_ciphertext: 'x', response_key_id: 'k', created_at: new Date() }],
    );
    await expect(repeat.handler.execute(new SubmitComplaintCommand(input(), 'web', null, keyed))).resolves.toEqual({
      trackingNumber: 'ADN-261201-FIRST1', accessCode: 'FIRS-TANS-WER1', status: 'submitted', submittedAt: new Date('2026-12-01T03:00:00.000Z'), replayed: true,
    });
    expect(repeat.written).toHaveLength(1);
  });

  it('refuses a key reused for another complaint, and clears an expired key to file anew', async () => {
    const reused = intake(
      async () => Promise.reject(Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'intake_key_pkey' })),
      [{ body_sha256: 'another body', response_ciphertext: 'x', response_key_id: 'k', created_at: new Date() }],
    );
    const refused = reused.handler.execute(new SubmitComplaintCommand(input(), 'web', null, keyed));
    await expect(refused).rejects.toEqual(expect.any(DomainError));
    await expect(refused).rejects.toMatchObject({ kind: 'conflict' });
    expect(reused.written).toHaveLength(1);

    const expired = intake(
      async (c, attempt) => (attempt === 1 ? Promise.reject(Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'intake_key_pkey' })) : answer(c)),
      [{ body_sha256: 'whatever', response_ciphertext: 'x', response_key_id: 'k', created_at: new Date(Date.now() - 2 * 86_400_000) }],
    );
    await expect(expired.handler.execute(new SubmitComplaintCommand(input(), 'web', null, keyed))).resolves.toMatchObject({ replayed: false });
    expect(expired.queries).toEqual(['SELECT', 'DELETE']);
    expect(expired.written).toHaveLength(2);
  });
});
