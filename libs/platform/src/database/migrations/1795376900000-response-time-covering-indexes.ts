import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. What the response-time figures read from the rows on every request (the stays
 * waiting past their deadline, the backlog now) becomes index-only: the indexes carry the
 * grouping and filter columns (docs/response-times.md, "At scale").
 */
export class ResponseTimeCoveringIndexes1795376900000 implements MigrationInterface {
  name = 'ResponseTimeCoveringIndexes1795376900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "response_time_assignment_waiting_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_assignment_waiting_idx" ON "response_time_assignment" ("tenant_code", "assigned_at")
      INCLUDE ("due_at", "unit_id", "category_code", "kelurahan_code", "kecamatan_code") WHERE "responded_at" IS NULL AND "ended_at" IS NULL`);
    await queryRunner.query(`DROP INDEX "response_time_complaint_open_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_open_idx" ON "response_time_complaint" ("tenant_code", "current_unit_id")
      INCLUDE ("paused_since", "status", "due_at", "submitted_at", "category_code", "kelurahan_code", "kecamatan_code") WHERE "open"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "response_time_complaint_open_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_open_idx" ON "response_time_complaint" ("tenant_code", "current_unit_id") WHERE "open"`);
    await queryRunner.query(`DROP INDEX "response_time_assignment_waiting_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_assignment_waiting_idx" ON "response_time_assignment" ("tenant_code", "assigned_at") WHERE "responded_at" IS NULL AND "ended_at" IS NULL`);
  }
}
