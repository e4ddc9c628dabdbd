import { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-written: the triggers and functions that entities cannot express. */
export class AuditAppendOnlyAndOutboxNotify1795355900000 implements MigrationInterface {
  name = 'AuditAppendOnlyAndOutboxNotify1795355900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- The audit log is append-only: whatever role connects, rows cannot be changed or removed.
      CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()`);
    await queryRunner.query(`
      -- Wakes the outbox relay as soon as a transaction that wrote outbox rows commits
      -- (NOTIFY is delivered at commit; one per statement keeps it cheap). Polling is the fallback.
      CREATE FUNCTION outbox_message_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_message', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_message_notify AFTER INSERT ON outbox_message
        FOR EACH STATEMENT EXECUTE FUNCTION outbox_message_notify()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER outbox_message_notify ON outbox_message`);
    await queryRunner.query(`DROP FUNCTION outbox_message_notify()`);
    await queryRunner.query(`DROP TRIGGER audit_entry_no_truncate ON audit_entry`);
    await queryRunner.query(`DROP TRIGGER audit_entry_no_update_delete ON audit_entry`);
    await queryRunner.query(`DROP FUNCTION audit_entry_refuse_change()`);
  }
}
