/**
 * Where an inbox page ended: the last row's keys in complaint_inbox_order_idx (the deadline or
 * 'infinity', the submission time as PostgreSQL wrote them, to the microsecond, and the id), and
 * the number of the page it opens. Opaque to clients (base64url of a JSON array). It carries no
 * authority: the next page applies the caller's access rules and filters as any page does.
 */
export interface InboxCursor {
  dueKey: string;
  submittedAt: string;
  id: string;
  page: number;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:\d{2})?)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_PAGE = 10_000_000;

const isTimestamp = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));

export function encodeInboxCursor(c: InboxCursor): string {
  return Buffer.from(JSON.stringify([c.dueKey, c.submittedAt, c.id, c.page])).toString('base64url');
}

/** The cursor, or null when `raw` is not one this inbox could have given out. */
export function decodeInboxCursor(raw: string): InboxCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(raw)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 4) return null;
  const [dueKey, submittedAt, id, page] = value as unknown[];
  if (!(dueKey === 'infinity' || isTimestamp(dueKey)) || !isTimestamp(submittedAt)) return null;
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 2 || page > MAX_PAGE) return null;
  return { dueKey, submittedAt, id, page };
}
