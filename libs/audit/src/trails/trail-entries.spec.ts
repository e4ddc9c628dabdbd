import { sealEntry } from '../audit-chain';
import { auditLeafHash } from '../merkle/audit-leaf';
import { checkEntry, streamVerdict, trailEntry, TrailEntryRow } from './trail-entries';

/** Three entries of one stream, as a trail reads them back from the database. */
function chain(): TrailEntryRow[] {
  const at = new Date('2026-12-01T03:00:00.000Z');
  const sealed = [sealEntry({ stream: 'complaint:x', actor: { type: 'resident' }, event: 'complaint.submitted', data: { a: 1 }, channel: 'web' }, null, at)];
  sealed.push(sealEntry({ stream: 'complaint:x', actor: { type: 'system', id: 'routing' }, event: 'complaint.routed', data: { unit_id: 'u' }, channel: 'worker' }, sealed[0], at));
  sealed.push(sealEntry({ stream: 'complaint:x', actor: { type: 'official', id: 'o' }, event: 'complaint.acknowledged', channel: 'api', requestId: 'r' }, sealed[1], at));
  return sealed.map((e, i) => ({
    id: e.id, stream: e.stream, seq: e.seq, at: e.at, actor_type: e.actorType, actor_id: e.actorId, event: e.event, data: e.data, channel: e.channel,
    request_id: e.requestId, outcome: e.outcome, prev_hash: e.prevHash, hash: e.hash, predecessor_hash: i === 0 ? null : sealed[i - 1].hash,
    leaf_idx: String(i), leaf_hash: Buffer.from(auditLeafHash({ id: e.id, stream: e.stream, seq: e.seq, hash: e.hash })), actor_username: null, actor_name: null,
  }));
}

describe('a trail’s own check of each entry', () => {
  it('finds an untouched chain intact, and places each entry against the latest checkpoint', () => {
    const entries = chain().map((r) => trailEntry(r, 2));
    expect(entries.map((e) => [e.chain, e.checkpoint])).toEqual([['intact', 'checkpointed'], ['intact', 'checkpointed'], ['intact', 'sealed']]);
    expect(streamVerdict(entries)).toEqual({ status: 'intact', entries: 3, first_broken: null });
    expect(trailEntry({ ...chain()[0], leaf_idx: null, leaf_hash: null }, 2).checkpoint).toBe('pending');
  });

  it('names an altered entry, a broken link, a leaf that no longer matches, and a gap', () => {
    const rows = chain();
    expect(checkEntry({ ...rows[1], data: { unit_id: 'other' } })).toBe('altered');
    expect(checkEntry({ ...rows[2], predecessor_hash: 'f'.repeat(64) })).toBe('unlinked');
    expect(checkEntry({ ...rows[1], leaf_hash: Buffer.alloc(32) })).toBe('leaf_mismatch');
    const altered = [rows[0], { ...rows[1], event: 'complaint.rejected' }, rows[2]].map((r) => trailEntry(r, 3));
    expect(streamVerdict(altered)).toEqual({ status: 'broken', entries: 3, first_broken: { id: rows[1].id, seq: 2, reason: 'altered' } });
    const gap = [rows[0], rows[2]].map((r) => trailEntry(r, 3));
    expect(streamVerdict(gap).first_broken).toEqual({ id: rows[2].id, seq: 3, reason: 'seq 2 is missing' });
  });
});
