import { canonicalJson, hashEntry, sealEntry } from './audit-chain';

describe('audit chain', () => {
  const at = new Date('2026-11-20T03:04:05.678Z');
  const record = {
    stream: 'complaint:1',
    actor: { type: 'resident' as const },
    event: 'complaint.submitted',
    data: { b: 1, a: { d: [2, { z: 1, y: 2 }], c: 'x' } },
    channel: 'web' as const,
  };

  it('encodes objects canonically whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { y: 2, x: [1, { q: 1, p: 2 }] } })).toBe('{"a":{"x":[1,{"p":2,"q":1}],"y":2},"b":1}');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('starts a chain at seq 1 with no previous hash, then links entries', () => {
    const first = sealEntry(record, null, at);
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBeNull();
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const second = sealEntry({ ...record, event: 'complaint.routed' }, first, at);
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).not.toBe(first.hash);
  });

  it('changes the hash when any covered field changes', () => {
    const entry = sealEntry(record, null, at);
    const { hash, id: _id, ...rest } = entry;
    expect(hashEntry(rest)).toBe(hash);
    expect(hashEntry({ ...rest, data: { ...rest.data, b: 2 } })).not.toBe(hash);
    expect(hashEntry({ ...rest, at: new Date(at.getTime() + 1) })).not.toBe(hash);
    expect(hashEntry({ ...rest, actorId: 'someone' })).not.toBe(hash);
    expect(hashEntry({ ...rest, prevHash: 'f'.repeat(64) })).not.toBe(hash);
  });
});
