import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. The complaint row carries its open assignment's start (`assigned_at`), written by
 * the step that opens the assignment and cleared when no unit holds the complaint, so the inbox
 * can show it from an index (migration 1795377100001). The backfill copies the start of each held
 * complaint's open assignment. A migration of its own: the index is built after this transaction
 * has committed, so it does not also hold the row versions the backfill replaced.
 */
export class ComplaintAssignedAt1795377100000 implements MigrationInterface {
  name = 'ComplaintAssignedAt1795377100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaint" ADD "assigned_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE complaint c SET assigned_at = a.assigned_at
         FROM (SELECT DISTINCT ON (complaint_id) complaint_id, assigned_at FROM assignment WHERE ended_at IS NULL ORDER BY complaint_id, assigned_at DESC) a
        WHERE a.complaint_id = c.id AND c.current_unit_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "assigned_at"`);
  }
}
