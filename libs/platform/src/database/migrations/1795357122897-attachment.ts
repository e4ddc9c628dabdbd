import { MigrationInterface, QueryRunner } from 'typeorm';

/** Residents' photos (metadata stripped before they get here), in PostgreSQL with the complaint. */
export class Attachment1795357122897 implements MigrationInterface {
  name = 'Attachment1795357122897';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "attachment" ("id" uuid NOT NULL, "complaint_id" uuid NOT NULL, "media_type" text NOT NULL, "bytes" bytea NOT NULL, "sha256" text NOT NULL, "size" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "attachment_size_check" CHECK (size = octet_length(bytes)), CONSTRAINT "attachment_media_type_check" CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')), CONSTRAINT "PK_d2a80c3a8d467f08a750ac4b420" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "attachment_complaint_sha256_key" ON "attachment"  ("complaint_id", "sha256") `);
    await queryRunner.query(`CREATE INDEX "attachment_complaint_idx" ON "attachment"  ("complaint_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "attachment" ADD CONSTRAINT "FK_8b3314bbeb9c77f91144513bbe7" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "attachment" DROP CONSTRAINT "FK_8b3314bbeb9c77f91144513bbe7"`);
    await queryRunner.query(`DROP INDEX "public"."attachment_complaint_idx"`);
    await queryRunner.query(`DROP INDEX "public"."attachment_complaint_sha256_key"`);
    await queryRunner.query(`DROP TABLE "attachment"`);
  }
}
