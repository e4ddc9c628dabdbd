import { Principal } from '@aduan/directory';
import { preparedQuery, statementName } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPEN_STATUSES } from '../domain/complaint-status';
import { notAccusedSql } from '../persistence/access-facts';
import { z } from 'zod';
import { decodeInboxCursor, encodeInboxCursor } from './inbox-cursor';

/** Mirrors the predicate of the partial index complaint_inbox_order_idx (migrations 1795371000000, 1795377100001). */
const OPEN_SQL = `c.status IN (${OPEN_STATUSES.map((st) => `'${st}'`).join(', ')})`;
/** The index's second key: the deadline, none last. Written exactly as the index states it. */
const DUE_KEY_SQL = `coalesce(c.due_at, 'infinity'::timestamptz)`;
/** A timestamptz as `Date.prototype.toISOString` writes it (UTC, milliseconds): no Date per value in the api. */
const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The total is counted up to this many; beyond it, `total` is this bound and `total_is_estimate` is true. */
export const INBOX_TOTAL_BOUND = 1000;

export const inboxFilterSchema = z
  .strictObject({
    status: z.enum(OPEN_STATUSES as [string, ...string[]]).optional(),
    category: z.string().regex(/^[A-Z0-9_]{1,64}$/).optional(),
    overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    page: z.coerce.number().int().min(1).max(100_000).optional(),
    page_size: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(400)
      .transform((raw, ctx) => {
        const cursor = decodeInboxCursor(raw);
        if (!cursor) ctx.addIssue({ code: 'custom', message: 'not a cursor this inbox gave out (use next_cursor as given)' });
        return cursor ?? z.NEVER;
      })
      .optional(),
  })
  .refine((f) => f.page === undefined || f.cursor === undefined, { message: 'give either page or cursor, not both', path: ['cursor'] })
  .transform(({ page, ...f }) => ({ ...f, page: f.cursor?.page ?? page ?? 1 }));
export type InboxFilter = z.infer<typeof inboxFilterSchema>;

export interface InboxItem {
  tracking_number: string;
  category: string;
  kelurahan: string;
  status: string;
  tier: string;
  assigned_at: string;
  due_at: string | null;
  /** counted over a year whose official holiday table is not loaded yet: it may still move */
  due_provisional: boolean;
  overdue: boolean;
}

export interface InboxPage {
  items: InboxItem[];
  page: number;
  page_size: number;
  /** exact when total_is_estimate is false; otherwise a lower bound (INBOX_TOTAL_BOUND) */
  total: number;
  total_is_estimate: boolean;
  /** pass as `cursor` for the page after this one; null on the last page */
  next_cursor: string | null;
}

interface Row extends InboxItem {
  id: string;
  due_key: string;
  submitted_key: string;
  total: number;
}

/**
 * The statements of an inbox page for a unit. `page` answers the page (one row more than asked,
 * to know whether another follows) with the bounded total on every row, in one round trip;
 * `total` is the count alone, for a page that came back empty. Exported for the plan test, which
 * checks that PostgreSQL answers both from complaint_inbox_order_idx without sorting.
 */
export function inboxStatements(unitId: string, filter: InboxFilter): { page: { sql: string; params: unknown[] }; total: { sql: string; params: unknown[] } } {
  const params: unknown[] = [unitId];
  // AccessPolicy's invariant too: a unit never holds what accuses it, and if it ever did, it would not see it.
  const where = [`c.current_unit_id = $1`, OPEN_SQL, notAccusedSql('$1')];
  if (filter.status) where.push(`c.status = $${params.push(filter.status)}`);
  if (filter.category) where.push(`c.category_code = $${params.push(filter.category)}`);
  // Overdue is a range of the index's second key: `due_at < now()` with no deadline never overdue.
  if (filter.overdue !== undefined) where.push(`${DUE_KEY_SQL} ${filter.overdue ? '<' : '>='} now()`);
  const countSql = `SELECT count(*)::int AS n FROM (SELECT 1 FROM complaint c WHERE ${where.join(' AND ')} LIMIT ${INBOX_TOTAL_BOUND + 1}) bounded`;
  const total = { sql: countSql, params: [...params] };
  const pageWhere = [...where];
  if (filter.cursor) {
    const c = filter.cursor;
    pageWhere.push(`(${DUE_KEY_SQL}, c.submitted_at, c.id) > ($${params.push(c.dueKey)}::timestamptz, $${params.push(c.submittedAt)}::timestamptz, $${params.push(c.id)}::uuid)`);
  }
  const limit = params.push(filter.page_size + 1);
  const offset = params.push(filter.cursor ? 0 : (filter.page - 1) * filter.page_size);
  // One index-only walk: complaint_inbox_order_idx includes every column a page shows, so skipped
  // rows of an offset and the page's own rows cost no heap visit and no join. The walk yields bare
  // columns; the formatting is applied outside it, to the page's rows only. The total is an
  // uncorrelated subquery: PostgreSQL counts once per statement, not per row.
  const sql = `SELECT w.id, w.tracking_number, w.category_code AS category, w.kelurahan_code AS kelurahan, w.status, w.current_tier AS tier,
            ${isoSql('w.assigned_at')} AS assigned_at, ${isoSql('w.due_at')} AS due_at, (w.due_at IS NOT NULL AND w.due_provisional) AS due_provisional,
            (w.due_at IS NOT NULL AND w.due_at < now()) AS overdue,
            to_json(w.due_key) #>> '{}' AS due_key, to_json(w.submitted_at) #>> '{}' AS submitted_key, (${countSql}) AS total
       FROM (SELECT c.id, c.tracking_number, c.category_code, c.kelurahan_code, c.status, c.current_tier, c.assigned_at, c.due_at, c.due_provisional,
                    ${DUE_KEY_SQL} AS due_key, c.submitted_at
               FROM complaint c
              WHERE ${pageWhere.join(' AND ')}
              ORDER BY ${DUE_KEY_SQL}, c.submitted_at, c.id
              LIMIT $${limit} OFFSET $${offset}) w
      ORDER BY w.due_key, w.submitted_at, w.id`;
  return { page: { sql, params }, total };
}

/**
 * The open complaints held by the caller's unit, nearest deadline first (none last), then the
 * oldest. The page walks complaint_inbox_order_idx in that order and stops after the page; a
 * cursor resumes the walk where the last page ended, whatever the depth. Both statements are
 * prepared (a few shapes, one per combination of filters): each connection plans them once.
 */
@Injectable()
export class InboxQuery {
  constructor(private readonly dataSource: DataSource) {}

  async page(principal: Principal, filter: InboxFilter): Promise<InboxPage> {
    if (!principal.unitId || !principal.roles.includes('handler')) {
      return { items: [], page: filter.page, page_size: filter.page_size, total: 0, total_is_estimate: false, next_cursor: null };
    }
    const { page, total } = inboxStatements(principal.unitId, filter);
    const rows = await preparedQuery<Row>(this.dataSource, statementName('inbox-page', page.sql), page.sql, page.params);
    // Past the last page the walk finds nothing to carry the total: count on its own.
    const n = rows.length > 0 ? rows[0].total : (await preparedQuery<{ n: number }>(this.dataSource, statementName('inbox-total', total.sql), total.sql, total.params))[0].n;
    const more = rows.length > filter.page_size;
    const shown = more ? rows.slice(0, filter.page_size) : rows;
    const last = shown.at(-1);
    return {
      items: shown.map((r) => ({
        tracking_number: r.tracking_number,
        category: r.category,
        kelurahan: r.kelurahan,
        status: r.status,
        tier: r.tier,
        assigned_at: r.assigned_at,
        due_at: r.due_at,
        due_provisional: r.due_provisional,
        overdue: r.overdue,
      })),
      page: filter.page,
      page_size: filter.page_size,
      total: Math.min(n, INBOX_TOTAL_BOUND),
      total_is_estimate: n > INBOX_TOTAL_BOUND,
      next_cursor: more && last ? encodeInboxCursor({ dueKey: last.due_key, submittedAt: last.submitted_key, id: last.id, page: filter.page + 1 }) : null,
    };
  }

  /**
   * The console's badge: how many complaints the unit holds, how many still await a first
   * response (new), and how many are past their deadline. One index-only scan of the unit's
   * entries in complaint_inbox_order_idx.
   */
  async summary(principal: Principal): Promise<{ open: number; new: number; overdue: number }> {
    if (!principal.unitId || !principal.roles.includes('handler')) return { open: 0, new: 0, overdue: 0 };
    const [row]: { open: number; fresh: number; overdue: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS open, count(*) FILTER (WHERE c.status = 'routed')::int AS fresh,
              count(*) FILTER (WHERE ${DUE_KEY_SQL} < now())::int AS overdue
         FROM complaint c
        WHERE c.current_unit_id = $1 AND ${OPEN_SQL} AND ${notAccusedSql('$1')}`,
      [principal.unitId],
    );
    return { open: row.open, new: row.fresh, overdue: row.overdue };
  }
}
