import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. The response-time read model (docs/response-times.md): one row per stay of a
 * complaint in a unit and one per complaint, written by the projector from the sealed audit log
 * (`audit_leaf`, in commit order) up to the checkpoint it keeps here, and rebuildable from the
 * source tables at any time.
 */
export class ResponseTimes1795376300000 implements MigrationInterface {
  name = 'ResponseTimes1795376300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "response_time_assignment" (
      "assignment_id" uuid PRIMARY KEY, "complaint_id" uuid NOT NULL, "tenant_code" text NOT NULL, "category_code" text NOT NULL,
      "kelurahan_code" text NOT NULL, "kecamatan_code" text NOT NULL, "unit_id" uuid NOT NULL, "via" text NOT NULL, "from_unit_id" uuid,
      "assigned_at" timestamptz NOT NULL, "due_at" timestamptz NOT NULL, "responded_at" timestamptz,
      "response_ms" bigint, "response_working_days" integer, "met" boolean, "ended_at" timestamptz, "end_reason" text)`);
    await queryRunner.query(`CREATE INDEX "response_time_assignment_tenant_idx" ON "response_time_assignment" ("tenant_code", "assigned_at")`);
    await queryRunner.query(`CREATE INDEX "response_time_assignment_unit_idx" ON "response_time_assignment" ("unit_id", "assigned_at")`);
    await queryRunner.query(`CREATE INDEX "response_time_assignment_complaint_idx" ON "response_time_assignment" ("complaint_id")`);
    await queryRunner.query(`CREATE TABLE "response_time_complaint" (
      "complaint_id" uuid PRIMARY KEY, "tenant_code" text NOT NULL, "category_code" text NOT NULL, "kelurahan_code" text NOT NULL,
      "kecamatan_code" text NOT NULL, "submitted_at" timestamptz NOT NULL, "status" text NOT NULL, "open" boolean NOT NULL,
      "current_unit_id" uuid, "first_unit_id" uuid, "due_at" timestamptz, "paused_since" timestamptz,
      "first_response_at" timestamptz, "first_response_ms" bigint, "first_response_working_days" integer,
      "resolved_at" timestamptz, "resolved_by_unit_id" uuid, "resolution_ms" bigint, "resolution_working_days" integer,
      "resolution_due_at" timestamptz, "resolution_met" boolean,
      "paused_ms" bigint NOT NULL DEFAULT 0, "pauses" integer NOT NULL DEFAULT 0, "forwards" integer NOT NULL DEFAULT 0,
      "returns" integer NOT NULL DEFAULT 0, "escalations" integer NOT NULL DEFAULT 0, "reopens" integer NOT NULL DEFAULT 0,
      "satisfied_verdicts" integer NOT NULL DEFAULT 0, "unsatisfied_verdicts" integer NOT NULL DEFAULT 0,
      "rating_sum" integer NOT NULL DEFAULT 0, "rating_count" integer NOT NULL DEFAULT 0)`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_submitted_idx" ON "response_time_complaint" ("tenant_code", "submitted_at")`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_resolved_idx" ON "response_time_complaint" ("tenant_code", "resolved_at") WHERE "resolved_at" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_open_idx" ON "response_time_complaint" ("tenant_code", "current_unit_id") WHERE "open"`);
    await queryRunner.query(`CREATE TABLE "response_time_checkpoint" (
      "id" boolean PRIMARY KEY DEFAULT true CHECK ("id"), "leaf_idx" bigint NOT NULL DEFAULT -1,
      "calendar_version" bigint NOT NULL DEFAULT 0, "projected_at" timestamptz)`);
    await queryRunner.query(`INSERT INTO "response_time_checkpoint" ("id") VALUES (true)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "response_time_checkpoint"`);
    await queryRunner.query(`DROP TABLE "response_time_complaint"`);
    await queryRunner.query(`DROP TABLE "response_time_assignment"`);
  }
}
