import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. The response-time rollup (docs/response-times.md, "At scale"): per tenant, grouping,
 * UTC day or month and key, the counts and histograms the figures are read from, written by the
 * projector beside the rows. It starts empty and `rollup_filled` false: the projector's next round
 * adds it up from the rows before moving it, so rows and rollup start equal.
 */
export class ResponseTimeRollup1795376400000 implements MigrationInterface {
  name = 'ResponseTimeRollup1795376400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Minutes: one bucket a minute below 64; above, 32 buckets an octave (width at most 1/32 of the value).
    await queryRunner.query(`CREATE FUNCTION response_time_octave(m bigint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT 5 + width_bucket(m, ARRAY[64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576,
                                          2097152, 4194304, 8388608, 16777216]::bigint[]) $$`);
    await queryRunner.query(`CREATE FUNCTION response_time_hour_bucket(ms bigint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
      $$ SELECT CASE WHEN ms < 3840000 THEN (greatest(ms, 0) / 60000)::integer
                     ELSE 64 + (response_time_octave(ms / 60000) - 6) * 32
                          + (((ms / 60000) - (1::bigint << response_time_octave(ms / 60000))) >> (response_time_octave(ms / 60000) - 5))::integer END $$`);
    await queryRunner.query(`CREATE TABLE "response_time_rollup" (
      "tenant_code" text NOT NULL, "grain" text NOT NULL, "level" text NOT NULL CHECK ("level" IN ('d', 'm')), "slice" date NOT NULL,
      "key" text NOT NULL, "figures" text NOT NULL,
      PRIMARY KEY ("tenant_code", "grain", "level", "slice", "key")) WITH (fillfactor = 70)`);
    // The stay's first-response deadline in hari kerja (`assignment.first_response_working_days`): the rollup's `dl` histogram.
    await queryRunner.query(`ALTER TABLE "response_time_assignment" ADD "deadline_working_days" smallint`);
    await queryRunner.query(`UPDATE "response_time_assignment" a SET "deadline_working_days" = s."first_response_working_days"
      FROM "assignment" s WHERE s."id" = a."assignment_id" AND s."first_response_working_days" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "response_time_assignment_waiting_idx" ON "response_time_assignment" ("tenant_code", "assigned_at") WHERE "responded_at" IS NULL AND "ended_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_paused_idx" ON "response_time_complaint" ("tenant_code", "submitted_at") WHERE "paused_since" IS NOT NULL`);
    // The projector's next round adds the rollup up from the rows first (ResponseTimeProjector.round).
    await queryRunner.query(`ALTER TABLE "response_time_checkpoint" ADD "rollup_filled" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "response_time_checkpoint" DROP COLUMN "rollup_filled"`);
    await queryRunner.query(`DROP INDEX "response_time_complaint_paused_idx"`);
    await queryRunner.query(`DROP INDEX "response_time_assignment_waiting_idx"`);
    await queryRunner.query(`ALTER TABLE "response_time_assignment" DROP COLUMN "deadline_working_days"`);
    await queryRunner.query(`DROP TABLE "response_time_rollup"`);
    await queryRunner.query(`DROP FUNCTION response_time_hour_bucket(bigint)`);
    await queryRunner.query(`DROP FUNCTION response_time_octave(bigint)`);
  }
}
