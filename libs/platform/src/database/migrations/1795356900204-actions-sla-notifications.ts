import { MigrationInterface, QueryRunner } from 'typeorm';

export class ActionsSlaNotifications1795356900204 implements MigrationInterface {
  name = 'ActionsSlaNotifications1795356900204';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notification" ("id" uuid NOT NULL, "complaint_id" uuid, "audience" text NOT NULL, "unit_id" uuid, "template" text NOT NULL, "data" jsonb NOT NULL, "status" text NOT NULL, "subject" text, "body" text, "detail" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "notification_complaint_idx" ON "notification"  ("complaint_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "complaint_access" ("complaint_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "reason" text NOT NULL, "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a36b67afedf28db512e0dd3d248" PRIMARY KEY ("complaint_id", "unit_id"))`);
    await queryRunner.query(`CREATE TABLE "complaint_message" ("id" uuid NOT NULL, "complaint_id" uuid NOT NULL, "author_type" text NOT NULL, "official_id" uuid, "unit_id" uuid, "kind" text NOT NULL, "body" text NOT NULL, "public" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_4c6a4405221e0d37e1a204ab65d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "complaint_message_complaint_idx" ON "complaint_message"  ("complaint_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "sla_breach" ("id" uuid NOT NULL, "complaint_id" uuid NOT NULL, "assignment_id" uuid, "unit_id" uuid NOT NULL, "tenant_code" text NOT NULL, "kind" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "breached_at" TIMESTAMP WITH TIME ZONE NOT NULL, "escalated_to_unit_id" uuid, CONSTRAINT "PK_485a2b768557b1abdad9e86c819" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "sla_breach_tenant_idx" ON "sla_breach"  ("tenant_code", "breached_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "sla_breach_once_key" ON "sla_breach"  ("complaint_id", "kind", "due_at") `);
    await queryRunner.query(`CREATE TABLE "sla_policy" ("tenant_code" text NOT NULL, "category_code" text NOT NULL, "first_response" jsonb NOT NULL, "resolution" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9c1748429c6683cb89de097ed43" PRIMARY KEY ("tenant_code", "category_code"))`);
    await queryRunner.query(`ALTER TABLE "outbox_message" ADD "job_id" text`);
    await queryRunner.query(`ALTER TABLE "outbox_message" ADD "deliver_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "resolution_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "paused_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "resolved_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "closed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "assignment" ADD "responded_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "assignment" ADD "from_unit_id" uuid`);
    await queryRunner.query(`ALTER TABLE "assignment" ADD "via" text NOT NULL DEFAULT 'routed'`);
    await queryRunner.query(`ALTER TABLE "assignment" ADD "end_reason" text`);
    await queryRunner.query(`CREATE INDEX "assignment_open_due_idx" ON "assignment"  ("first_response_due_at") WHERE ended_at IS NULL AND responded_at IS NULL`);
    await queryRunner.query(`ALTER TABLE "complaint_access" ADD CONSTRAINT "FK_ced4539675cb7cdc1cd52447da2" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint_access" ADD CONSTRAINT "FK_bf7c1733a8dc6f7adf606822d06" FOREIGN KEY ("unit_id") REFERENCES "unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "complaint_message" ADD CONSTRAINT "FK_74068856087e6b378c8394b6a09" FOREIGN KEY ("complaint_id") REFERENCES "complaint"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ADD CONSTRAINT "FK_9bf8ed21ecfff16c7b09c406ad0" FOREIGN KEY ("tenant_code") REFERENCES "tenant"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "sla_policy" ADD CONSTRAINT "FK_716249ac0a3ed66dae29ee0efb7" FOREIGN KEY ("category_code") REFERENCES "category"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sla_policy" DROP CONSTRAINT "FK_716249ac0a3ed66dae29ee0efb7"`);
    await queryRunner.query(`ALTER TABLE "sla_policy" DROP CONSTRAINT "FK_9bf8ed21ecfff16c7b09c406ad0"`);
    await queryRunner.query(`ALTER TABLE "complaint_message" DROP CONSTRAINT "FK_74068856087e6b378c8394b6a09"`);
    await queryRunner.query(`ALTER TABLE "complaint_access" DROP CONSTRAINT "FK_bf7c1733a8dc6f7adf606822d06"`);
    await queryRunner.query(`ALTER TABLE "complaint_access" DROP CONSTRAINT "FK_ced4539675cb7cdc1cd52447da2"`);
    await queryRunner.query(`DROP INDEX "public"."assignment_open_due_idx"`);
    await queryRunner.query(`ALTER TABLE "assignment" DROP COLUMN "end_reason"`);
    await queryRunner.query(`ALTER TABLE "assignment" DROP COLUMN "via"`);
    await queryRunner.query(`ALTER TABLE "assignment" DROP COLUMN "from_unit_id"`);
    await queryRunner.query(`ALTER TABLE "assignment" DROP COLUMN "responded_at"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "closed_at"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "resolved_at"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "paused_at"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "resolution_due_at"`);
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP COLUMN "deliver_at"`);
    await queryRunner.query(`ALTER TABLE "outbox_message" DROP COLUMN "job_id"`);
    await queryRunner.query(`DROP TABLE "sla_policy"`);
    await queryRunner.query(`DROP INDEX "public"."sla_breach_once_key"`);
    await queryRunner.query(`DROP INDEX "public"."sla_breach_tenant_idx"`);
    await queryRunner.query(`DROP TABLE "sla_breach"`);
    await queryRunner.query(`DROP INDEX "public"."complaint_message_complaint_idx"`);
    await queryRunner.query(`DROP TABLE "complaint_message"`);
    await queryRunner.query(`DROP TABLE "complaint_access"`);
    await queryRunner.query(`DROP INDEX "public"."notification_complaint_idx"`);
    await queryRunner.query(`DROP TABLE "notification"`);
  }
}
