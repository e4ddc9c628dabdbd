import { runEnvelope } from './job-handler';

describe('runEnvelope', () => {
  const attempt = { made: 0, max: 3 };
  const envelope = (ids: string[]) => ({ envelope: ids.map((id) => ({ messageId: id, payload: { complaintId: `c-${id}` } })) });

  it('hands every message to the handler under its own message id, together, and answers their results', async () => {
    const seen: [unknown, string][] = [];
    const results = await runEnvelope(async (payload, messageId) => {
      seen.push([payload, messageId]);
      return `done ${messageId}`;
    }, envelope(['a', 'b', 'c']), attempt);
    expect(results).toEqual(['done a', 'done b', 'done c']);
    expect(seen).toEqual([[{ complaintId: 'c-a' }, 'a'], [{ complaintId: 'c-b' }, 'b'], [{ complaintId: 'c-c' }, 'c']]);
  });

  it('fails with the one failed message\'s own error, after the others have run to the end', async () => {
    const finished: string[] = [];
    const own = new Error('complaint c-b does not exist');
    await expect(
      runEnvelope(async (_, messageId) => {
        if (messageId === 'b') throw own;
        await new Promise((r) => setTimeout(r, 5));
        finished.push(messageId);
      }, envelope(['a', 'b', 'c']), attempt),
    ).rejects.toBe(own);
    expect(finished.sort()).toEqual(['a', 'c']);
  });

  it('names how many failed, and the first error, when several do', async () => {
    await expect(
      runEnvelope(async (_, messageId) => {
        if (messageId !== 'b') throw new Error(`bad ${messageId}`);
      }, envelope(['a', 'b', 'c']), attempt),
    ).rejects.toThrow('2 of 3 messages failed; the first: bad a');
  });
});
