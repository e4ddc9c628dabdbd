import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated. Rotated refresh tokens are kept by hash, so one presented again is recognised as
 * reuse and ends its session; sessions record why they ended early.
 */
export class RefreshTokenReuse1795362000000 implements MigrationInterface {
  name = 'RefreshTokenReuse1795362000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "retired_refresh_token" ("refresh_hash" text NOT NULL, "session_id" uuid NOT NULL, "retired_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_69335e4a2db87236e9c2192c214" PRIMARY KEY ("refresh_hash"))`);
    await queryRunner.query(`CREATE INDEX "retired_refresh_token_session_idx" ON "retired_refresh_token"  ("session_id") `);
    await queryRunner.query(`ALTER TABLE "official_session" ADD "revoked_reason" text`);
    await queryRunner.query(`ALTER TABLE "retired_refresh_token" ADD CONSTRAINT "FK_ddbf9cb83aabd9dde48b970d791" FOREIGN KEY ("session_id") REFERENCES "official_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "retired_refresh_token" DROP CONSTRAINT "FK_ddbf9cb83aabd9dde48b970d791"`);
    await queryRunner.query(`ALTER TABLE "official_session" DROP COLUMN "revoked_reason"`);
    await queryRunner.query(`DROP INDEX "public"."retired_refresh_token_session_idx"`);
    await queryRunner.query(`DROP TABLE "retired_refresh_token"`);
  }
}
