import type { ComplaintAccessFacts } from '@aduan/directory';
import { EntityManager } from 'typeorm';

/** The units of a set and the units directly below them (whose heads the set's officials lead). */
const CLOSURE_SQL = (set: string) => `SELECT array_agg(u.id ORDER BY u.id) FROM unit u WHERE u.id = ANY(${set}) OR u.parent_id = ANY(${set})`;

/**
 * What the access policy needs about one complaint: its tenant and current unit, its accused set
 * (the possibly-accused units and the units directly below them, which their heads lead), and the
 * units that keep read access. One query.
 */
export async function loadAccessFacts(m: EntityManager, complaintId: string): Promise<ComplaintAccessFacts & { currentUnitId: string | null }> {
  const rows: { tenant_code: string; current_unit_id: string | null; accused: string[] | null; readers: string[] | null }[] = await m.query(
    `SELECT c.tenant_code, c.current_unit_id,
            CASE WHEN cardinality(c.accused_unit_ids) > 0 THEN (${CLOSURE_SQL('c.accused_unit_ids')}) END AS accused,
            (SELECT array_agg(a.unit_id) FROM complaint_access a WHERE a.complaint_id = c.id) AS readers
       FROM complaint c WHERE c.id = $1`,
    [complaintId],
  );
  const row = rows[0];
  if (!row) throw new Error(`complaint ${complaintId} does not exist`);
  return { tenantCode: row.tenant_code, currentUnitId: row.current_unit_id, accusedUnitIds: row.accused ?? [], readOnlyUnitIds: row.readers ?? [] };
}

/** A set of possibly-accused units with the units their officials head, as the policy sees it. */
export async function accusedClosure(m: EntityManager, unitIds: readonly string[]): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const [row]: { ids: string[] | null }[] = await m.query(`SELECT (${CLOSURE_SQL('$1::uuid[]')}) AS ids`, [unitIds]);
  return row?.ids ?? [];
}

/**
 * AccessPolicy's invariant in SQL, for queries over many complaints (inbox, counts): the complaint
 * `c` neither suspects the unit `unitParam` nor the unit directly above it.
 */
export function notAccusedSql(unitParam: string): string {
  return `NOT coalesce(c.accused_unit_ids && (SELECT ARRAY[u.id, u.parent_id] FROM unit u WHERE u.id = ${unitParam}), true)`;
}
