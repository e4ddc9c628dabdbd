import { MigrationInterface, QueryRunner } from 'typeorm';

/** Generated: the possibly-accused units of each complaint, their review, and the markers table. */
export class ConflictOfInterest1795361000000 implements MigrationInterface {
  name = 'ConflictOfInterest1795361000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "conflict_marker" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_code" text NOT NULL, "phrase" text NOT NULL, "source" text NOT NULL, "added_by" uuid, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL, "removed_by" uuid, "removed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ceacb76e9f62b5191154b56905a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "conflict_marker_phrase_key" ON "conflict_marker"  ("tenant_code", "phrase") `);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "accused_unit_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "accused_review" text`);
    await queryRunner.query(`CREATE INDEX "complaint_accused_review_idx" ON "complaint"  ("tenant_code", "accused_review", "submitted_at") WHERE accused_review IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "conflict_marker" ADD CONSTRAINT "FK_bdc71e58a44670a9892da28821f" FOREIGN KEY ("tenant_code") REFERENCES "tenant"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "conflict_marker" DROP CONSTRAINT "FK_bdc71e58a44670a9892da28821f"`);
    await queryRunner.query(`DROP INDEX "public"."complaint_accused_review_idx"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "accused_review"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "accused_unit_ids"`);
    await queryRunner.query(`DROP INDEX "public"."conflict_marker_phrase_key"`);
    await queryRunner.query(`DROP TABLE "conflict_marker"`);
  }
}
