import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. The reconciler reads published rows from its watermark on (OutboxReconciler)
 * instead of every row of the last 30 days: an index of published rows by when they were published.
 */
export class OutboxPublishedIndex1795359200000 implements MigrationInterface {
  name = 'OutboxPublishedIndex1795359200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "outbox_message_published_idx" ON "outbox_message" ("published_at") WHERE published_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."outbox_message_published_idx"`);
  }
}
