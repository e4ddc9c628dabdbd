import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. The Inspektorat's trails and integrity views read through indexes of their own,
 * never a scan of the log: entries by the official who acted, by the official or unit an entry
 * names, reveals and rejections by event; and hand-offs between units (ping-pong).
 */
export class AuditTrailIndexes1795372000000 implements MigrationInterface {
  name = 'AuditTrailIndexes1795372000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // -- trails: an official (as actor, as subject), a unit (as handler, target or origin)
    await queryRunner.query(`CREATE INDEX "audit_entry_actor_idx" ON "audit_entry" ("actor_id", "at") WHERE actor_type = 'official'`);
    await queryRunner.query(`CREATE INDEX "audit_entry_official_ref_idx" ON "audit_entry" ((data->>'official_id'), "at") WHERE (data->>'official_id') IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "audit_entry_unit_ref_idx" ON "audit_entry" ((data->>'unit_id'), "at") WHERE (data->>'unit_id') IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "audit_entry_to_unit_ref_idx" ON "audit_entry" ((data->>'to_unit_id'), "at") WHERE (data->>'to_unit_id') IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "audit_entry_from_unit_ref_idx" ON "audit_entry" ((data->>'from_unit_id'), "at") WHERE (data->>'from_unit_id') IS NOT NULL`);
    // -- integrity views: every reveal; rejections per unit; complaints handed on between units
    await queryRunner.query(`CREATE INDEX "audit_entry_reveal_idx" ON "audit_entry" ("at") WHERE event = 'complaint.reporter_revealed'`);
    await queryRunner.query(`CREATE INDEX "audit_entry_rejected_idx" ON "audit_entry" ((data->>'unit_id'), "at") WHERE event = 'complaint.rejected'`);
    await queryRunner.query(`CREATE INDEX "assignment_handed_on_idx" ON "assignment" ("complaint_id") WHERE via IN ('forwarded', 'returned')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['assignment_handed_on_idx', 'audit_entry_rejected_idx', 'audit_entry_reveal_idx', 'audit_entry_from_unit_ref_idx', 'audit_entry_to_unit_ref_idx', 'audit_entry_unit_ref_idx', 'audit_entry_official_ref_idx', 'audit_entry_actor_idx']) {
      await queryRunner.query(`DROP INDEX "public"."${name}"`);
    }
  }
}
