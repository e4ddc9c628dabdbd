import { Principal } from '@aduan/directory';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPEN_STATUSES } from '../domain/complaint-status';
import { notAccusedSql } from '../persistence/access-facts';
import { z } from 'zod';

/** Mirrors the predicate of the partial index complaint_inbox_idx (see ComplaintEntity). */
const OPEN_SQL = `c.status IN (${OPEN_STATUSES.map((st) => `'${st}'`).join(', ')})`;

export const inboxFilterSchema = z.strictObject({
  status: z.enum(OPEN_STATUSES as [string, ...string[]]).optional(),
  category: z.string().regex(/^[A-Z0-9_]{1,64}$/).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});
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
  total: number;
}

/** The open complaints held by the caller's unit, nearest deadline first. */
@Injectable()
export class InboxQuery {
  constructor(private readonly dataSource: DataSource) {}

  async page(principal: Principal, filter: InboxFilter): Promise<InboxPage> {
    if (!principal.unitId || !principal.roles.includes('handler')) {
      return { items: [], page: filter.page, page_size: filter.page_size, total: 0 };
    }
    // The open statuses as literals, exactly as the partial index complaint_inbox_idx states them:
    // with a parameter instead, the planner cannot prove the index applies.
    const params: unknown[] = [principal.unitId];
    // AccessPolicy's invariant too: a unit never holds what accuses it, and if it ever did, it would not see it.
    const where = [`c.current_unit_id = $1`, OPEN_SQL, notAccusedSql('$1')];
    if (filter.status) where.push(`c.status = $${params.push(filter.status)}`);
    if (filter.category) where.push(`c.category_code = $${params.push(filter.category)}`);
    if (filter.overdue !== undefined) where.push(`${filter.overdue ? '' : 'NOT '}(c.due_at IS NOT NULL AND c.due_at < now())`);
    const filterParams = [...params];
    const limit = params.push(filter.page_size);
    const offset = params.push((filter.page - 1) * filter.page_size);
    // The page walks the index in deadline order and stops after page_size rows; the total is its
    // own count (a window count over the page query would compute every row of a 10,000-item inbox).
    const [rows, counted]: [(Omit<InboxItem, 'assigned_at' | 'due_at'> & { assigned_at: Date; due_at: Date | null })[], { n: string }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT c.tracking_number, c.category_code AS category, c.kelurahan_code AS kelurahan, c.status, c.current_tier AS tier,
                a.assigned_at, c.due_at, (c.due_at IS NOT NULL AND c.due_provisional) AS due_provisional, (c.due_at IS NOT NULL AND c.due_at < now()) AS overdue
           FROM complaint c
           JOIN LATERAL (SELECT assigned_at FROM assignment WHERE complaint_id = c.id AND ended_at IS NULL ORDER BY assigned_at DESC LIMIT 1) a ON true
          WHERE ${where.join(' AND ')}
          ORDER BY c.due_at ASC NULLS LAST, c.submitted_at ASC
          LIMIT $${limit} OFFSET $${offset}`,
        params,
      ),
      this.dataSource.query(`SELECT count(*) AS n FROM complaint c WHERE ${where.join(' AND ')}`, filterParams),
    ]);
    return {
      items: rows.map(({ assigned_at, due_at, ...r }) => ({ ...r, assigned_at: assigned_at.toISOString(), due_at: due_at?.toISOString() ?? null })),
      page: filter.page,
      page_size: filter.page_size,
      total: Number(counted[0].n),
    };
  }

  /**
   * The console's badge: how many complaints the unit holds, how many still await a first
   * response (new), and how many are past their deadline. One indexed query.
   */
  async summary(principal: Principal): Promise<{ open: number; new: number; overdue: number }> {
    if (!principal.unitId || !principal.roles.includes('handler')) return { open: 0, new: 0, overdue: 0 };
    const [row]: { open: string; fresh: string; overdue: string }[] = await this.dataSource.query(
      `SELECT count(*) AS open, count(*) FILTER (WHERE c.status = 'routed') AS fresh,
              count(*) FILTER (WHERE c.due_at < now()) AS overdue
         FROM complaint c
        WHERE c.current_unit_id = $1 AND ${OPEN_SQL} AND ${notAccusedSql('$1')}`,
      [principal.unitId],
    );
    return { open: Number(row.open), new: Number(row.fresh), overdue: Number(row.overdue) };
  }
}
