import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open311 clients' API keys (only their SHA-256) and intake idempotency keys (Idempotency-Key,
 * attribute[fixmystreet_id]), whose primary key stops a concurrent duplicate from filing twice.
 */
export class ApiKeysAndIntakeKeys1795357278991 implements MigrationInterface {
  name = 'ApiKeysAndIntakeKeys1795357278991';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "api_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "key_hash" text NOT NULL, "tenant_code" text, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_3c9751d2a6011ba13e27838105e" UNIQUE ("key_hash"), CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "intake_key" ("scope" text NOT NULL, "key" text NOT NULL, "body_sha256" text NOT NULL, "complaint_id" uuid NOT NULL, "response_ciphertext" text NOT NULL, "response_key_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "intake_key_pkey" PRIMARY KEY ("scope", "key"))`);
    await queryRunner.query(`ALTER TABLE "api_key" ADD CONSTRAINT "FK_292684ec97a6adde83545ed0b48" FOREIGN KEY ("tenant_code") REFERENCES "tenant"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "api_key" ADD CONSTRAINT "FK_799ab142170befb4f010216e2e7" FOREIGN KEY ("created_by") REFERENCES "official"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "intake_key" ADD CONSTRAINT "FK_faa69219ec7cc5cafcf6484e868" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "intake_key" DROP CONSTRAINT "FK_faa69219ec7cc5cafcf6484e868"`);
    await queryRunner.query(`ALTER TABLE "api_key" DROP CONSTRAINT "FK_799ab142170befb4f010216e2e7"`);
    await queryRunner.query(`ALTER TABLE "api_key" DROP CONSTRAINT "FK_292684ec97a6adde83545ed0b48"`);
    await queryRunner.query(`DROP TABLE "intake_key"`);
    await queryRunner.query(`DROP TABLE "api_key"`);
  }
}
