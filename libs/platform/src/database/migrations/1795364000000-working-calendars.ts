import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated from the entities, then completed by hand. Holiday tables per year and scope (the
 * national SKB table, or a tenant's local holidays) with a revision log whose rows drive the
 * re-arm of running deadlines; each deadline keeps how it was counted (so a revised table can
 * count it again) and whether it is provisional. Existing national holidays become official
 * tables, recorded as revision 1 (so the shipped tables are never loaded over them again).
 */
export class WorkingCalendars1795364000000 implements MigrationInterface {
  name = 'WorkingCalendars1795364000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "holiday_table" ("scope" text NOT NULL, "year" integer NOT NULL, "source" text, "revision" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_by" uuid, CONSTRAINT "holiday_table_scope_check" CHECK (scope = 'national' OR scope ~ '^[0-9]{2}\\.[0-9]{2}$'), CONSTRAINT "PK_d21112c3af98d0b978a704c6628" PRIMARY KEY ("scope", "year"))`);
    await queryRunner.query(`CREATE TABLE "holiday_revision" ("id" uuid NOT NULL, "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "scope" text NOT NULL, "year" integer NOT NULL, "revision" integer NOT NULL, "action" text NOT NULL, "before_dates" date array, "after_dates" date array, "actor_type" text NOT NULL, "actor_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "rearm_status" text NOT NULL DEFAULT 'pending', "rearm_cursor" uuid, "rearm_checked" integer NOT NULL DEFAULT '0', "rearm_moved" integer NOT NULL DEFAULT '0', "rearm_finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_b23f1e3246872c8108d580f5b5a" UNIQUE ("seq"), CONSTRAINT "PK_0c62ac5a3e98c5792d42abb167b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "holiday_revision_table_idx" ON "holiday_revision"  ("scope", "year", "created_at") `);

    // One day once per table: where a date was both libur nasional and cuti bersama, the libur nasional stays.
    await queryRunner.query(`DELETE FROM "holiday" c USING "holiday" n WHERE c.date = n.date AND c.kind = 'cuti_bersama' AND n.kind = 'libur_nasional'`);
    await queryRunner.query(`ALTER TABLE "holiday" ADD "scope" text NOT NULL DEFAULT 'national'`);
    await queryRunner.query(`ALTER TABLE "holiday" ADD "year" integer`);
    await queryRunner.query(`UPDATE "holiday" SET "year" = EXTRACT(year FROM date)`);
    await queryRunner.query(`ALTER TABLE "holiday" ALTER COLUMN "year" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "holiday" DROP CONSTRAINT "PK_17d1bd76835ceb646d4ee6559fe"`);
    await queryRunner.query(`ALTER TABLE "holiday" ADD CONSTRAINT "PK_4e20f994e729bca5cda440fcc51" PRIMARY KEY ("scope", "date")`);
    await queryRunner.query(`ALTER TABLE "holiday" ADD CONSTRAINT "holiday_kind_check" CHECK ((scope = 'national' AND kind IN ('libur_nasional', 'cuti_bersama')) OR (scope <> 'national' AND kind = 'lokal'))`);
    await queryRunner.query(`ALTER TABLE "holiday" ADD CONSTRAINT "holiday_year_check" CHECK (year = EXTRACT(year FROM date))`);
    await queryRunner.query(`INSERT INTO "holiday_table" ("scope", "year", "revision") SELECT DISTINCT 'national', "year", 1 FROM "holiday"`);
    await queryRunner.query(
      `INSERT INTO "holiday_revision" ("id", "scope", "year", "revision", "action", "after_dates", "actor_type", "actor_id", "rearm_status", "rearm_finished_at")
       SELECT gen_random_uuid(), 'national', "year", 1, 'replaced', array_agg("date" ORDER BY "date"), 'system', 'migration', 'done', now() FROM "holiday" GROUP BY "year"`,
    );
    await queryRunner.query(`ALTER TABLE "holiday" ADD CONSTRAINT "FK_52921e9e4e13a189c800e84afe5" FOREIGN KEY ("scope", "year") REFERENCES "holiday_table"("scope","year") ON DELETE CASCADE ON UPDATE NO ACTION`);

    await queryRunner.query(`ALTER TABLE "assignment" ADD "first_response_working_days" smallint`);
    await queryRunner.query(`ALTER TABLE "assignment" ADD "first_response_provisional" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "due_provisional" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "resolution_from" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "resolution_working_days" smallint`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "resolution_paused_ms" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "auto_close_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "auto_close_working_days" smallint`);
    await queryRunner.query(`ALTER TABLE "complaint" ADD "auto_close_provisional" boolean NOT NULL DEFAULT false`);
    // Where a running resolution clock most likely started: its unit's first response. The re-arm
    // counts such a deadline again only when this start reproduces it exactly.
    await queryRunner.query(
      `UPDATE "complaint" c SET "resolution_from" = a."responded_at" FROM "assignment" a
        WHERE a."complaint_id" = c."id" AND a."ended_at" IS NULL AND c."status" IN ('in_progress', 'awaiting_info') AND c."resolution_due_at" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "complaint_running_clock_idx" ON "complaint"  ("id") WHERE status IN ('routed', 'in_progress', 'awaiting_info', 'resolved')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."complaint_running_clock_idx"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "auto_close_provisional"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "auto_close_working_days"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "auto_close_at"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "resolution_paused_ms"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "resolution_working_days"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "resolution_from"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP COLUMN "due_provisional"`);
    await queryRunner.query(`ALTER TABLE "assignment" DROP COLUMN "first_response_provisional"`);
    await queryRunner.query(`ALTER TABLE "assignment" DROP COLUMN "first_response_working_days"`);
    // The old table holds national days only, once per (date, kind).
    await queryRunner.query(`ALTER TABLE "holiday" DROP CONSTRAINT "FK_52921e9e4e13a189c800e84afe5"`);
    await queryRunner.query(`DELETE FROM "holiday" WHERE "scope" <> 'national'`);
    await queryRunner.query(`ALTER TABLE "holiday" DROP CONSTRAINT "holiday_year_check"`);
    await queryRunner.query(`ALTER TABLE "holiday" DROP CONSTRAINT "holiday_kind_check"`);
    await queryRunner.query(`ALTER TABLE "holiday" DROP CONSTRAINT "PK_4e20f994e729bca5cda440fcc51"`);
    await queryRunner.query(`ALTER TABLE "holiday" ADD CONSTRAINT "PK_17d1bd76835ceb646d4ee6559fe" PRIMARY KEY ("date", "kind")`);
    await queryRunner.query(`ALTER TABLE "holiday" DROP COLUMN "year"`);
    await queryRunner.query(`ALTER TABLE "holiday" DROP COLUMN "scope"`);
    await queryRunner.query(`DROP INDEX "public"."holiday_revision_table_idx"`);
    await queryRunner.query(`DROP TABLE "holiday_revision"`);
    await queryRunner.query(`DROP TABLE "holiday_table"`);
  }
}
