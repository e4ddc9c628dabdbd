import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. The rejections view compares each unit with its peers: how many complaints each
 * received in a period, from an index of assignments by unit and time.
 */
export class AssignmentUnitIndex1795372100000 implements MigrationInterface {
  name = 'AssignmentUnitIndex1795372100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "assignment_unit_assigned_idx" ON "assignment" ("unit_id", "assigned_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."assignment_unit_assigned_idx"`);
  }
}
