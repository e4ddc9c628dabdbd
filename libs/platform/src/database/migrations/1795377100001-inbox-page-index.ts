import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `status IN ('submitted', 'routed', 'in_progress', 'awaiting_info')`;
const KEYS = `"current_unit_id", (coalesce(due_at, 'infinity'::timestamptz)), "submitted_at", "id", "category_code", "status"`;

/**
 * Hand-written. The inbox page used to walk complaint_inbox_order_idx and then join each of its
 * rows to complaint (by primary key) and to its open assignment (for `assigned_at`). With every
 * column a page shows included, a page is one index-only walk. Same keys and predicate as
 * migration 1795371000000.
 */
export class InboxPageIndex1795377100001 implements MigrationInterface {
  name = 'InboxPageIndex1795377100001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."complaint_inbox_order_idx"`);
    await queryRunner.query(
      `CREATE INDEX "complaint_inbox_order_idx" ON "complaint" (${KEYS}) ` +
        `INCLUDE ("due_at", "accused_unit_ids", "tracking_number", "kelurahan_code", "current_tier", "assigned_at", "due_provisional") WHERE ${OPEN}`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."complaint_inbox_order_idx"`);
    await queryRunner.query(`CREATE INDEX "complaint_inbox_order_idx" ON "complaint" (${KEYS}) INCLUDE ("due_at", "accused_unit_ids") WHERE ${OPEN}`);
  }
}
