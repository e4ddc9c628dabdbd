import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. When a reporter's identity was erased (UU 27/2022): the ciphertext is gone and
 * this says so, so a reveal afterwards can tell "erased" from "never given".
 */
export class ReporterErasure1795376200000 implements MigrationInterface {
  name = 'ReporterErasure1795376200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaint" ADD "reporter_erased_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "complaint_erased_reporter_check" CHECK (reporter_erased_at IS NULL OR (reporter_ciphertext IS NULL AND reporter_key_id IS NULL))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "complaint_erased_reporter_check"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "reporter_erased_at"`);
  }
}
