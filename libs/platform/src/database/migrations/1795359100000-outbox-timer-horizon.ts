import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. The relay now leaves timers unpublished until they come within
 * OUTBOX_TIMER_HORIZON_SECONDS of falling due, so most unpublished rows are timers days away: the
 * index of jobs due at once must not contain them, and timers get their own index by due time.
 */
export class OutboxTimerHorizon1795359100000 implements MigrationInterface {
  name = 'OutboxTimerHorizon1795359100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."outbox_message_unpublished_idx"`);
    await queryRunner.query(`CREATE INDEX "outbox_message_unpublished_idx" ON "outbox_message" ("created_at") WHERE published_at IS NULL AND deliver_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "outbox_message_unpublished_timer_idx" ON "outbox_message" ("deliver_at") WHERE published_at IS NULL AND deliver_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."outbox_message_unpublished_timer_idx"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_message_unpublished_idx"`);
    await queryRunner.query(`CREATE INDEX "outbox_message_unpublished_idx" ON "outbox_message" ("created_at") WHERE published_at IS NULL`);
  }
}
