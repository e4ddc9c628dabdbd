import { MigrationInterface, QueryRunner } from 'typeorm';

const STAY = `"unit_id", "category_code", "kelurahan_code", "kecamatan_code", "responded_at", "met", "response_ms", "response_working_days", "deadline_working_days"`;
const FILED = `"first_unit_id", "category_code", "kelurahan_code", "kecamatan_code", "paused_ms", "forwards", "returns", "escalations", "first_response_ms", "first_response_working_days"`;
const RESOLVED = `"resolved_by_unit_id", "category_code", "kelurahan_code", "kecamatan_code", "resolution_met", "reopens", "satisfied_verdicts", "unsatisfied_verdicts", "rating_sum", "rating_count", "resolution_ms", "resolution_working_days"`;

/** The cells of `level` as the month cells added up, bucket by bucket, written as fillRollup writes a cell. */
const addUp = (level: 'q' | 'y', unit: 'quarter' | 'year') => `INSERT INTO "response_time_rollup" ("tenant_code", "grain", "level", "slice", "key", "figures")
  SELECT tenant_code, grain, '${level}', slice, key, '{' || string_agg('"' || measure || '":[' || pairs || ']', ',') || '}'
    FROM (SELECT tenant_code, grain, slice, key, measure, string_agg(bucket || ',' || v, ',') AS pairs
            FROM (SELECT r.tenant_code, r.grain, date_trunc('${unit}', r.slice)::date AS slice, r.key, f.key AS measure,
                         (f.value ->> (2 * i))::int AS bucket, sum((f.value ->> (2 * i + 1))::bigint) AS v
                    FROM "response_time_rollup" r
                   CROSS JOIN LATERAL jsonb_each(r.figures::jsonb) f
                   CROSS JOIN LATERAL generate_series(0, jsonb_array_length(f.value) / 2 - 1) i
                   WHERE r.level = 'm'
                   GROUP BY 1, 2, 3, 4, 5, 6) pairs
           WHERE v <> 0
           GROUP BY 1, 2, 3, 4, 5) measures
   GROUP BY 1, 2, 4, 5
   ORDER BY 1, 2, 4, 5`;

/**
 * Hand-written (docs/response-times.md, "At scale"): quarter (`q`) and year (`y`) rollup levels,
 * added up here from the month cells and kept by the projector from then on; and the indexes the
 * part-days are read through carry every column those reads count (index-only, same keys).
 */
export class ResponseTimeQuartersYearsAndCoveringIndexes1795377000000 implements MigrationInterface {
  name = 'ResponseTimeQuartersYearsAndCoveringIndexes1795377000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The projector's rounds take this lock before they move the rollup: none runs while the new levels are added up.
    await queryRunner.query(`SELECT 1 FROM "response_time_checkpoint" WHERE "id" FOR UPDATE`);
    await queryRunner.query(`ALTER TABLE "response_time_rollup" DROP CONSTRAINT "response_time_rollup_level_check"`);
    await queryRunner.query(`ALTER TABLE "response_time_rollup" ADD CONSTRAINT "response_time_rollup_level_check" CHECK ("level" IN ('d', 'm', 'q', 'y'))`);
    await queryRunner.query(`SET LOCAL work_mem = '256MB'`);
    await queryRunner.query(addUp('q', 'quarter'));
    await queryRunner.query(addUp('y', 'year'));
    await queryRunner.query(`DROP INDEX "response_time_assignment_tenant_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_assignment_tenant_idx" ON "response_time_assignment" ("tenant_code", "assigned_at") INCLUDE (${STAY})`);
    await queryRunner.query(`DROP INDEX "response_time_complaint_submitted_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_submitted_idx" ON "response_time_complaint" ("tenant_code", "submitted_at") INCLUDE (${FILED})`);
    await queryRunner.query(`DROP INDEX "response_time_complaint_resolved_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_resolved_idx" ON "response_time_complaint" ("tenant_code", "resolved_at") INCLUDE (${RESOLVED}) WHERE "resolved_at" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "response_time_complaint_resolved_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_resolved_idx" ON "response_time_complaint" ("tenant_code", "resolved_at") WHERE "resolved_at" IS NOT NULL`);
    await queryRunner.query(`DROP INDEX "response_time_complaint_submitted_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_complaint_submitted_idx" ON "response_time_complaint" ("tenant_code", "submitted_at")`);
    await queryRunner.query(`DROP INDEX "response_time_assignment_tenant_idx"`);
    await queryRunner.query(`CREATE INDEX "response_time_assignment_tenant_idx" ON "response_time_assignment" ("tenant_code", "assigned_at")`);
    await queryRunner.query(`SELECT 1 FROM "response_time_checkpoint" WHERE "id" FOR UPDATE`);
    await queryRunner.query(`DELETE FROM "response_time_rollup" WHERE "level" IN ('q', 'y')`);
    await queryRunner.query(`ALTER TABLE "response_time_rollup" DROP CONSTRAINT "response_time_rollup_level_check"`);
    await queryRunner.query(`ALTER TABLE "response_time_rollup" ADD CONSTRAINT "response_time_rollup_level_check" CHECK ("level" IN ('d', 'm'))`);
  }
}
