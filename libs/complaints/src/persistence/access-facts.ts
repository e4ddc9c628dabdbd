import type { ComplaintAccessFacts } from '@aduan/directory';
import { EntityManager } from 'typeorm';

/**
 * What the access policy needs about one complaint: its tenant and current unit, the units it
 * accuses (the accused unit and the units directly below it, which its head heads), and the
 * units that keep read access. One query.
 */
export async function loadAccessFacts(m: EntityManager, complaintId: string): Promise<ComplaintAccessFacts & { currentUnitId: string | null }> {
  const rows: { tenant_code: string; current_unit_id: string | null; accused: string[] | null; readers: string[] | null }[] = await m.query(
    `SELECT c.tenant_code, c.current_unit_id,
            (SELECT array_agg(u.id) FROM unit u WHERE c.accused_unit_id IS NOT NULL AND (u.id = c.accused_unit_id OR u.parent_id = c.accused_unit_id)) AS accused,
            (SELECT array_agg(a.unit_id) FROM complaint_access a WHERE a.complaint_id = c.id) AS readers
       FROM complaint c WHERE c.id = $1`,
    [complaintId],
  );
  const row = rows[0];
  if (!row) throw new Error(`complaint ${complaintId} does not exist`);
  return { tenantCode: row.tenant_code, currentUnitId: row.current_unit_id, accusedUnitIds: row.accused ?? [], readOnlyUnitIds: row.readers ?? [] };
}
