import { decodeInboxCursor, encodeInboxCursor, InboxCursor } from './inbox-cursor';

const cursor: InboxCursor = { dueKey: '2026-12-03T18:10:00.123456+00:00', submittedAt: '2026-12-01T01:02:03.5+07:00', id: '3f0c9a4e-8d1b-4c2a-9e6f-0a1b2c3d4e5f', page: 2 };
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('inbox cursor', () => {
  it('comes back as it went out, microseconds and "no deadline" included', () => {
    expect(decodeInboxCursor(encodeInboxCursor(cursor))).toEqual(cursor);
    const none = { ...cursor, dueKey: 'infinity', page: 400 };
    expect(decodeInboxCursor(encodeInboxCursor(none))).toEqual(none);
  });

  it.each([
    ['not base64url', 'abc$def'],
    ['not JSON', Buffer.from('[1,2').toString('base64url')],
    ['an object', raw({ dueKey: cursor.dueKey })],
    ['three fields', raw([cursor.dueKey, cursor.submittedAt, cursor.id])],
    ['a date without a time', raw(['2026-12-03', cursor.submittedAt, cursor.id, 2])],
    ['an impossible date', raw(['2026-13-45T10:00:00Z', cursor.submittedAt, cursor.id, 2])],
    ['SQL in a key', raw(["2026-12-03T18:10:00Z' OR 1=1 --", cursor.submittedAt, cursor.id, 2])],
    ['infinity as the submission time', raw([cursor.dueKey, 'infinity', cursor.id, 2])],
    ['a bad id', raw([cursor.dueKey, cursor.submittedAt, 'not-a-uuid', 2])],
    ['page 1', raw([cursor.dueKey, cursor.submittedAt, cursor.id, 1])],
    ['a fractional page', raw([cursor.dueKey, cursor.submittedAt, cursor.id, 2.5])],
    ['too long', 'A'.repeat(401)],
  ])('rejects %s', (_label, value) => {
    expect(decodeInboxCursor(value)).toBeNull();
  });
});
