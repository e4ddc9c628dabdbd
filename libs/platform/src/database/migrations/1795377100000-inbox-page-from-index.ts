import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `status IN ('submitted', 'routed', 'in_progress', 'awaiting_info')`;
const KEYS = `"current_unit_id", (coalesce(due_at, 'infinity'::timestamptz)), "submitted_at", "id", "category_code", "status"`;

/**
 * Hand-written. The inbox page used to walk complaint_inbox_order_idx and then join each of its
 * rows to complaint (by primary key) and to its open assignment (for `assigned_at`). Now the
 * complaint row carries its open assignment's start (`assigned_at`, written by the step that
 * opens the assignment) and the index includes every column a page shows, so a page is one
 * index-only walk. Same keys and predicate as migration 1795371000000; the backfill copies the
 * start of each held complaint's open assignment.
 */
export class InboxPageFromIndex1795377100000 implements MigrationInterface {
  name = 'InboxPageFromIndex1795377100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaint" ADD "assigned_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE complaint c SET assigned_at = a.assigned_at
         FROM (SELECT DISTINCT ON (complaint_id) complaint_id, assigned_at FROM assignment WHERE ended_at IS NULL ORDER BY complaint_id, assigned_at DESC) a
        WHERE a.complaint_id = c.id AND c.current_unit_id IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."complaint_inbox_order_idx"`);
    await queryRunner.query(
      `CREATE INDEX "complaint_inbox_order_idx" ON "complaint" (${KEYS}) ` +
        `INCLUDE ("due_at", "accused_unit_ids", "tracking_number", "kelurahan_code", "current_tier", "assigned_at", "due_provisional") WHERE ${OPEN}`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."complaint_inbox_order_idx"`);
    await queryRunner.query(`CREATE INDEX "complaint_inbox_order_idx" ON "complaint" (${KEYS}) INCLUDE ("due_at", "accused_unit_ids") WHERE ${OPEN}`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "assigned_at"`);
  }
}
