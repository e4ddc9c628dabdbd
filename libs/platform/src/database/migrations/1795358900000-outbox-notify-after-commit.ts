import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. Drops the statement trigger that NOTIFYed the outbox relay from inside every
 * writing transaction: NOTIFY takes a database-wide lock at commit, held through the WAL flush,
 * so all intake commits ran one at a time. The apps now NOTIFY after commit (OutboxNotifier).
 */
export class OutboxNotifyAfterCommit1795358900000 implements MigrationInterface {
  name = 'OutboxNotifyAfterCommit1795358900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER outbox_message_notify ON outbox_message`);
    await queryRunner.query(`DROP FUNCTION outbox_message_notify()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION outbox_message_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_message', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_message_notify AFTER INSERT ON outbox_message
        FOR EACH STATEMENT EXECUTE FUNCTION outbox_message_notify()`);
  }
}
