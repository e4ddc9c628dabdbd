import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. Which Open311 client (API key) filed a complaint, so a read carrying that key sees
 * it and its updates; and the two indexes the updates feed reads by: a client's complaints by last
 * change, and a tenant's public complaints by last change (partial, so neither is written for the
 * rows it does not cover). Complaints filed before this with attribute[fixmystreet_id] name their
 * client in intake_key and get it back.
 */
export class ComplaintApiKey1795363000000 implements MigrationInterface {
  name = 'ComplaintApiKey1795363000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "complaint" ADD "api_key_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "complaint" ADD CONSTRAINT "complaint_api_key_fk" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `UPDATE "complaint" c SET "api_key_id" = k.id
         FROM "intake_key" i JOIN "api_key" k ON i.scope = 'fixmystreet:' || k.id::text
        WHERE i.complaint_id = c.id`,
    );
    await queryRunner.query(`CREATE INDEX "complaint_api_key_updated_idx" ON "complaint" ("api_key_id", "updated_at") WHERE api_key_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "complaint_public_updated_idx" ON "complaint" ("tenant_code", "updated_at") WHERE NOT confidential`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."complaint_public_updated_idx"`);
    await queryRunner.query(`DROP INDEX "public"."complaint_api_key_updated_idx"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "complaint_api_key_fk"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "api_key_id"`);
  }
}
