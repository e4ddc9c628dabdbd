import { hashEntry } from '@aduan/audit';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { chainedTrailCte } from '../../bench/seed-audit-chain';
import { TEST_DATABASE_URL } from '../support/test-env';

/**
 * The scale seed hashes its audit entries in SQL (bench/seed-audit-chain.ts). If the
 * application's canonical form changes and the seed's does not, every seeded log fails verify:
 * this compares the two on the shapes of data the seed writes.
 */
describe('the scale seed chains audit entries as the application does', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  it('gives each entry the hash and the link the application would', async () => {
    const complaint = randomUUID();
    const unit = randomUUID();
    const rows = [
      { seq: 1, at: '2026-03-01T02:03:04.005Z', event: 'complaint.submitted', data: '{}' },
      { seq: 2, at: '2026-03-01T05:00:00.120Z', event: 'complaint.routed', data: `{"unit_id":"${unit}"}` },
      { seq: 3, at: '2026-03-02T00:00:00.000Z', event: 'complaint.resident_replied', data: '{"resumed":true}' },
      { seq: 4, at: '2026-03-03T23:59:59.999Z', event: 'complaint.reopened', data: '{"rating":2,"satisfied":false}' },
      { seq: 5, at: '2026-03-04T12:00:00.500Z', event: 'complaint.closed', data: '{"auto":true}' },
    ];
    const { rows: chained } = await client.query<{ seq: number; prev_hash: string | null; hash: string }>(
      `WITH RECURSIVE src AS (
         SELECT $1::uuid AS complaint_id, r.seq, r.at, r.event, r.data
           FROM jsonb_to_recordset($2::jsonb) AS r(seq int, at timestamptz, event text, data text)),
       ${chainedTrailCte('chained', 'src')}
       SELECT seq, prev_hash, hash FROM chained ORDER BY seq`,
      [complaint, JSON.stringify(rows)],
    );
    let prevHash: string | null = null;
    const expected = rows.map((r) => {
      const entry = {
        stream: `complaint:${complaint}`, seq: r.seq, at: new Date(r.at), actorType: 'system' as const, actorId: null, event: r.event,
        data: JSON.parse(r.data) as Record<string, unknown>, channel: 'worker' as const, requestId: null, outcome: 'success', prevHash,
      };
      const hash = hashEntry(entry);
      const row = { seq: r.seq, prev_hash: prevHash, hash };
      prevHash = hash;
      return row;
    });
    expect(chained).toEqual(expected);
  });
});
