import { hasRole, Principal } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ACCUSED_REVIEWS } from '../domain/complaint-status';
import { notAccusedSql } from '../persistence/access-facts';

export const accusedReviewFilterSchema = z.strictObject({
  review: z.enum(ACCUSED_REVIEWS).default('pending'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});
export type AccusedReviewFilter = z.infer<typeof accusedReviewFilterSchema>;

export interface AccusedUnitView {
  code: string;
  name: string;
  type: string;
}

export interface AccusedReviewItem {
  tracking_number: string;
  category: string;
  kelurahan: string;
  status: string;
  review: string;
  handler: AccusedUnitView | null;
  accused_units: AccusedUnitView[];
  submitted_at: string;
}

/**
 * The Inspektorat's triage list: its tenant's complaints about officials, by review state, oldest
 * first. AccessPolicy's invariant holds here too: a complaint that may accuse the inspector's own
 * unit is not listed.
 */
@Injectable()
export class AccusedReviewQuery {
  constructor(private readonly dataSource: DataSource) {}

  async page(principal: Principal, filter: AccusedReviewFilter): Promise<{ items: AccusedReviewItem[]; page: number; page_size: number; total: number }> {
    if (!hasRole(principal, 'inspector') || !principal.tenantCode || !principal.unitId) {
      throw new DomainError('forbidden', 'Only an inspector of the Inspektorat may review whom complaints accuse.');
    }
    const where = `c.tenant_code = $1 AND c.accused_review = $2 AND ${notAccusedSql('$3')}`;
    const params = [principal.tenantCode, filter.review, principal.unitId];
    const [rows, counted]: [(Omit<AccusedReviewItem, 'submitted_at'> & { submitted_at: Date })[], { n: string }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT c.tracking_number, c.category_code AS category, c.kelurahan_code AS kelurahan, c.status, c.accused_review AS review, c.submitted_at,
                CASE WHEN h.id IS NULL THEN NULL ELSE json_build_object('code', h.code, 'name', h.name, 'type', h.type) END AS handler,
                (SELECT coalesce(json_agg(json_build_object('code', u.code, 'name', u.name, 'type', u.type) ORDER BY u.code), '[]')
                   FROM unit u WHERE u.id = ANY(c.accused_unit_ids)) AS accused_units
           FROM complaint c LEFT JOIN unit h ON h.id = c.current_unit_id
          WHERE ${where}
          ORDER BY c.submitted_at, c.id
          LIMIT $4 OFFSET $5`,
        [...params, filter.page_size, (filter.page - 1) * filter.page_size],
      ),
      this.dataSource.query(`SELECT count(*) AS n FROM complaint c WHERE ${where}`, params),
    ]);
    return {
      items: rows.map(({ submitted_at, ...r }) => ({ ...r, submitted_at: submitted_at.toISOString() })),
      page: filter.page,
      page_size: filter.page_size,
      total: Number(counted[0].n),
    };
  }
}
