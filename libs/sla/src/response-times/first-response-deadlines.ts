import { DataSource } from 'typeorm';

/** The shortest and longest first-response deadline (hari kerja) a group's stays were given. */
export interface DeadlineRange {
  first_response_deadline_min_working_days: number | null;
  first_response_deadline_max_working_days: number | null;
}

/** A group's key as the figures name it (a unit by its code, not its id). */
const KEY = {
  unit: 'u.code',
  category: 'a.category_code',
  kelurahan: 'a.kelurahan_code',
  kecamatan: 'a.kecamatan_code',
  tenant: 'a.tenant_code',
} as const;

/**
 * The deadlines that applied to the stays begun in the period, per group: each stay's own
 * `assignment.first_response_working_days` (set when it was assigned, from the category's policy).
 * Wall-clock deadlines (drills) and stays without an assignment row count as none.
 */
export async function firstResponseDeadlines(
  db: DataSource,
  scope: { tenantCode: string; unitId: string | null },
  f: { group_by: keyof typeof KEY; category?: string; kecamatan?: string; kelurahan?: string },
  from: Date,
  to: Date,
): Promise<Map<string, DeadlineRange>> {
  const params: unknown[] = [scope.tenantCode, from, to];
  const where = [`a.tenant_code = $1`, `a.assigned_at >= $2`, `a.assigned_at < $3`, `s.first_response_working_days IS NOT NULL`];
  if (f.category) where.push(`a.category_code = $${params.push(f.category)}`);
  if (f.kecamatan) where.push(`a.kecamatan_code = $${params.push(f.kecamatan)}`);
  if (f.kelurahan) where.push(`a.kelurahan_code = $${params.push(f.kelurahan)}`);
  if (scope.unitId) where.push(`a.unit_id = $${params.push(scope.unitId)}::uuid`);
  const rows: { key: string; min: number; max: number }[] = await db.query(
    `SELECT ${KEY[f.group_by]} AS key, min(s.first_response_working_days) AS min, max(s.first_response_working_days) AS max
       FROM response_time_assignment a
       JOIN assignment s ON s.id = a.assignment_id
       ${f.group_by === 'unit' ? 'JOIN unit u ON u.id = a.unit_id' : ''}
      WHERE ${where.join(' AND ')}
      GROUP BY 1`,
    params,
  );
  return new Map(rows.map((r) => [r.key, { first_response_deadline_min_working_days: Number(r.min), first_response_deadline_max_working_days: Number(r.max) }]));
}

/** Puts each row's deadline range on it; a group with none gets nulls. */
export function withDeadlines<R extends { key: string | number | null }>(rows: R[], deadlines: Map<string, DeadlineRange>): (R & DeadlineRange)[] {
  return rows.map((r) => ({ ...r, ...(deadlines.get(String(r.key)) ?? { first_response_deadline_min_working_days: null, first_response_deadline_max_working_days: null }) }));
}
