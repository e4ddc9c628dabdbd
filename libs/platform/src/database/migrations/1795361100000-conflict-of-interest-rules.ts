import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written: what the entities cannot express. The accused unit a complaint already names
 * becomes its possibly-accused set (pending triage); a review is one of three words; markers are
 * never deleted, only marked removed (an audited change).
 */
export class ConflictOfInterestRules1795361100000 implements MigrationInterface {
  name = 'ConflictOfInterestRules1795361100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE complaint SET accused_unit_ids = ARRAY[accused_unit_id], accused_review = 'pending'
       WHERE accused_unit_id IS NOT NULL AND accused_unit_ids = '{}'`);
    await queryRunner.query(`
      ALTER TABLE complaint ADD CONSTRAINT complaint_accused_review_check
        CHECK (accused_review IN ('pending', 'confirmed', 'cleared'))`);
    await queryRunner.query(`
      -- A marker is removed by setting removed_at (audited in markers:<tenant>); its row stays, so
      -- reseeding the defaults never brings back one the Inspektorat removed.
      CREATE FUNCTION conflict_marker_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'conflict_marker rows are never deleted (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER conflict_marker_no_delete BEFORE DELETE ON conflict_marker
        FOR EACH ROW EXECUTE FUNCTION conflict_marker_refuse_delete()`);
    await queryRunner.query(`
      CREATE TRIGGER conflict_marker_no_truncate BEFORE TRUNCATE ON conflict_marker
        FOR EACH STATEMENT EXECUTE FUNCTION conflict_marker_refuse_delete()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER conflict_marker_no_truncate ON conflict_marker`);
    await queryRunner.query(`DROP TRIGGER conflict_marker_no_delete ON conflict_marker`);
    await queryRunner.query(`DROP FUNCTION conflict_marker_refuse_delete()`);
    await queryRunner.query(`ALTER TABLE complaint DROP CONSTRAINT complaint_accused_review_check`);
  }
}
