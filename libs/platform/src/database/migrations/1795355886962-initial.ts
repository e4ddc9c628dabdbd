import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795355886962 implements MigrationInterface {
  name = 'Initial1795355886962';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_entry" ("id" uuid NOT NULL, "stream" text NOT NULL, "seq" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_type" text NOT NULL, "actor_id" text, "event" text NOT NULL, "data" jsonb NOT NULL, "channel" text NOT NULL, "request_id" text, "outcome" text NOT NULL, "prev_hash" text, "hash" text NOT NULL, CONSTRAINT "PK_58a130a4b9da189f46ba2a01801" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "audit_entry_stream_seq_key" ON "audit_entry"  ("stream", "seq") `);
    await queryRunner.query(`CREATE TABLE "outbox_message" ("id" uuid NOT NULL, "job_name" text NOT NULL, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_2f36ee5236f2793f3e7bd554589" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "outbox_message_unpublished_idx" ON "outbox_message"  ("created_at") WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE TABLE "processed_message" ("consumer" text NOT NULL, "message_id" text NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bc611732181079eec3a306d9b28" PRIMARY KEY ("consumer", "message_id"))`);
    await queryRunner.query(`CREATE TABLE "tenant" ("code" text NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "timezone" text NOT NULL, "jurisdiction_id" text NOT NULL, CONSTRAINT "UQ_e87811eb96851efb689e0e9cbe0" UNIQUE ("jurisdiction_id"), CONSTRAINT "PK_b1bb8505abe259d04b317bd7999" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TABLE "area" ("code" text NOT NULL, "parent_code" text, "level" text NOT NULL, "name" text NOT NULL, "tenant_code" text NOT NULL, CONSTRAINT "PK_4aa797d975cf8ea8fe936098e00" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE INDEX "area_parent_idx" ON "area"  ("parent_code") `);
    await queryRunner.query(`CREATE TABLE "category" ("code" text NOT NULL, "name" text NOT NULL, "name_en" text NOT NULL, "group" text NOT NULL, "description" text NOT NULL, "description_en" text NOT NULL, "resolution_class" text NOT NULL, "about_official" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_652a15c02538138f021f1320de8" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TABLE "unit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "tenant_code" text NOT NULL, "name" text NOT NULL, "type" text NOT NULL, "area_code" text, "parent_id" uuid, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "UQ_dfb75cdb2a790fb84327e1d1b15" UNIQUE ("code"), CONSTRAINT "PK_4252c4be609041e559f0c80f58a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "unit_area_idx" ON "unit"  ("area_code") `);
    await queryRunner.query(`CREATE INDEX "unit_tenant_idx" ON "unit"  ("tenant_code", "type") `);
    await queryRunner.query(`CREATE TABLE "official" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" text NOT NULL, "name" text NOT NULL, "password_hash" text NOT NULL, "tenant_code" text, "unit_id" uuid, "roles" text array NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b961e65f3b4ae0e4219a154aff8" UNIQUE ("username"), CONSTRAINT "PK_3e150a20ca3578b094161b2d037" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "complaint" ("id" uuid NOT NULL, "tracking_number" text NOT NULL, "access_code_hash" text NOT NULL, "tenant_code" text NOT NULL, "category_code" text NOT NULL, "kelurahan_code" text NOT NULL, "kecamatan_code" text NOT NULL, "description" text NOT NULL, "address" text, "lat" double precision, "long" double precision, "anonymous" boolean NOT NULL, "confidential" boolean NOT NULL, "reporter_ciphertext" text, "reporter_key_id" text, "accused" jsonb, "accused_unit_id" uuid, "status" text NOT NULL, "channel" text NOT NULL, "current_unit_id" uuid, "current_tier" text, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL DEFAULT '1', CONSTRAINT "UQ_4d6121c8d59afe0562ebfa1df70" UNIQUE ("tracking_number"), CONSTRAINT "PK_a9c8dbc2ab4988edcc2ff0a7337" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "complaint_tenant_submitted_idx" ON "complaint"  ("tenant_code", "submitted_at") `);
    await queryRunner.query(`CREATE INDEX "complaint_inbox_idx" ON "complaint"  ("current_unit_id", "due_at") WHERE status IN ('submitted', 'routed', 'in_progress', 'awaiting_info')`);
    await queryRunner.query(`CREATE TABLE "assignment" ("id" uuid NOT NULL, "complaint_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "tier" text NOT NULL, "routing_id" uuid NOT NULL, "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL, "first_response_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_43c2f5a3859f54cedafb270f37e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "assignment_routing_key" ON "assignment"  ("complaint_id", "routing_id") `);
    await queryRunner.query(`CREATE INDEX "assignment_complaint_idx" ON "assignment"  ("complaint_id", "assigned_at") `);
    await queryRunner.query(`CREATE TABLE "routing_rule" ("tenant_code" text NOT NULL, "category_code" text NOT NULL, "tier" text NOT NULL, "unit_id" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_137279ecdbcefc8637e50dad54f" PRIMARY KEY ("tenant_code", "category_code"))`);
    await queryRunner.query(`CREATE TABLE "holiday" ("date" date NOT NULL, "kind" text NOT NULL, "name" text NOT NULL, CONSTRAINT "PK_17d1bd76835ceb646d4ee6559fe" PRIMARY KEY ("date", "kind"))`);
    await queryRunner.query(`ALTER TABLE "area" ADD CONSTRAINT "FK_85d703ed0e0314dc9de32d672bd" FOREIGN KEY ("tenant_code") REFERENCES "tenant"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "unit" ADD CONSTRAINT "FK_0362c2e1b21859cb4b68e008c43" FOREIGN KEY ("tenant_code") REFERENCES "tenant"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "unit" ADD CONSTRAINT "FK_33443cd5de3c6b130acfd6aba63" FOREIGN KEY ("parent_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "official" ADD CONSTRAINT "FK_3a4cebf118e2df59f8942cea6e1" FOREIGN KEY ("tenant_code") REFERENCES "tenant"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "official" ADD CONSTRAINT "FK_0d01c6cb6b072095a0566a20d36" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_9400291444f86b158c4d5256a8a" FOREIGN KEY ("tenant_code") REFERENCES "tenant"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_1167d147984285244e9522ff65b" FOREIGN KEY ("category_code") REFERENCES "category"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_6b52a96bd5d9534bbacfbba8aae" FOREIGN KEY ("kelurahan_code") REFERENCES "area"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD CONSTRAINT "FK_55e58faeefc98a296a340c4a11e" FOREIGN KEY ("current_unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "assignment" ADD CONSTRAINT "FK_8c6109ec3c24634ca45496ec39d" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "assignment" ADD CONSTRAINT "FK_6307b61ec6230e6fca2ccd5e680" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "routing_rule" ADD CONSTRAINT "FK_e10a8af98e33633ab5048819a80" FOREIGN KEY ("tenant_code") REFERENCES "tenant"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "routing_rule" ADD CONSTRAINT "FK_b5c4b0b5f43efe9ce9c38048fdd" FOREIGN KEY ("category_code") REFERENCES "category"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "routing_rule" ADD CONSTRAINT "FK_1b951f0b7109ff664845fa4f716" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "routing_rule" DROP CONSTRAINT "FK_1b951f0b7109ff664845fa4f716"`);
    await queryRunner.query(`ALTER TABLE "routing_rule" DROP CONSTRAINT "FK_b5c4b0b5f43efe9ce9c38048fdd"`);
    await queryRunner.query(`ALTER TABLE "routing_rule" DROP CONSTRAINT "FK_e10a8af98e33633ab5048819a80"`);
    await queryRunner.query(`ALTER TABLE "assignment" DROP CONSTRAINT "FK_6307b61ec6230e6fca2ccd5e680"`);
    await queryRunner.query(`ALTER TABLE "assignment" DROP CONSTRAINT "FK_8c6109ec3c24634ca45496ec39d"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_55e58faeefc98a296a340c4a11e"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_6b52a96bd5d9534bbacfbba8aae"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_1167d147984285244e9522ff65b"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "FK_9400291444f86b158c4d5256a8a"`);
    await queryRunner.query(`ALTER TABLE "official" DROP CONSTRAINT "FK_0d01c6cb6b072095a0566a20d36"`);
    await queryRunner.query(`ALTER TABLE "official" DROP CONSTRAINT "FK_3a4cebf118e2df59f8942cea6e1"`);
    await queryRunner.query(`ALTER TABLE "unit" DROP CONSTRAINT "FK_33443cd5de3c6b130acfd6aba63"`);
    await queryRunner.query(`ALTER TABLE "unit" DROP CONSTRAINT "FK_0362c2e1b21859cb4b68e008c43"`);
    await queryRunner.query(`ALTER TABLE "area" DROP CONSTRAINT "FK_85d703ed0e0314dc9de32d672bd"`);
    await queryRunner.query(`DROP TABLE "holiday"`);
    await queryRunner.query(`DROP TABLE "routing_rule"`);
    await queryRunner.query(`DROP INDEX "public"."assignment_complaint_idx"`);
    await queryRunner.query(`DROP INDEX "public"."assignment_routing_key"`);
    await queryRunner.query(`DROP TABLE "assignment"`);
    await queryRunner.query(`DROP INDEX "public"."complaint_inbox_idx"`);
    await queryRunner.query(`DROP INDEX "public"."complaint_tenant_submitted_idx"`);
    await queryRunner.query(`DROP TABLE "complaint"`);
    await queryRunner.query(`DROP TABLE "official"`);
    await queryRunner.query(`DROP INDEX "public"."unit_tenant_idx"`);
    await queryRunner.query(`DROP INDEX "public"."unit_area_idx"`);
    await queryRunner.query(`DROP TABLE "unit"`);
    await queryRunner.query(`DROP TABLE "category"`);
    await queryRunner.query(`DROP INDEX "public"."area_parent_idx"`);
    await queryRunner.query(`DROP TABLE "area"`);
    await queryRunner.query(`DROP TABLE "tenant"`);
    await queryRunner.query(`DROP TABLE "processed_message"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_message_unpublished_idx"`);
    await queryRunner.query(`DROP TABLE "outbox_message"`);
    await queryRunner.query(`DROP INDEX "public"."audit_entry_stream_seq_key"`);
    await queryRunner.query(`DROP TABLE "audit_entry"`);
  }
}
