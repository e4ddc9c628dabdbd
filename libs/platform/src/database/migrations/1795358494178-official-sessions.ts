import { MigrationInterface, QueryRunner } from 'typeorm';

export class OfficialSessions1795358494178 implements MigrationInterface {
  name = 'OfficialSessions1795358494178';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "official_session" ("id" uuid NOT NULL, "official_id" uuid NOT NULL, "refresh_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_from" text, CONSTRAINT "UQ_6b8267c89d95733133e550530cc" UNIQUE ("refresh_hash"), CONSTRAINT "PK_be8ac1d1ea0aea592101fd361f7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "official_session_official_idx" ON "official_session"  ("official_id") `);
    await queryRunner.query(`ALTER TABLE "official_session" ADD CONSTRAINT "FK_0fd9d24de139ac75742c0ab652d" FOREIGN KEY ("official_id") REFERENCES "official"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "official_session" DROP CONSTRAINT "FK_0fd9d24de139ac75742c0ab652d"`);
    await queryRunner.query(`DROP INDEX "public"."official_session_official_idx"`);
    await queryRunner.query(`DROP TABLE "official_session"`);
  }
}
