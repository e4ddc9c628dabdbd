import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `status IN ('submitted', 'routed', 'in_progress', 'awaiting_info')`;

/**
 * Hand-written. The inbox walks one unit's open complaints in its own order
 * (`coalesce(due_at, 'infinity'), submitted_at, id`, i.e. the nearest deadline first, none last)
 * and stops at the page; a cursor resumes the walk with a row comparison on the same columns.
 * category_code and status are keys too so their filters are checked inside the index, and due_at
 * and accused_unit_ids are included so the counts (summary, bounded total) are index-only scans.
 * Replaces complaint_inbox_idx (current_unit_id, due_at), which fit neither the order's second key
 * nor the counts.
 */
export class InboxKeysetIndex1795371000000 implements MigrationInterface {
  name = 'InboxKeysetIndex1795371000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "complaint_inbox_order_idx" ON "complaint" ("current_unit_id", (coalesce(due_at, 'infinity'::timestamptz)), "submitted_at", "id", "category_code", "status") ` +
        `INCLUDE ("due_at", "accused_unit_ids") WHERE ${OPEN}`,
    );
    await queryRunner.query(`DROP INDEX "public"."complaint_inbox_idx"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "complaint_inbox_idx" ON "complaint" ("current_unit_id", "due_at") WHERE ${OPEN}`);
    await queryRunner.query(`DROP INDEX "public"."complaint_inbox_order_idx"`);
  }
}
