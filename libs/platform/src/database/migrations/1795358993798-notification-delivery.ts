import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationDelivery1795358993798 implements MigrationInterface {
  name = 'NotificationDelivery1795358993798';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notification_delivery" ("id" uuid NOT NULL, "notification_id" uuid NOT NULL, "channel" text NOT NULL, "recipient" text NOT NULL, "address_hash" text, "status" text NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "claimed_until" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "notification_delivery_status_check" CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')), CONSTRAINT "notification_delivery_channel_check" CHECK (channel IN ('email', 'webhook')), CONSTRAINT "PK_109dea88c25343da49d86de6bfd" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "notification_delivery_once_key" ON "notification_delivery"  ("notification_id", "channel", "recipient") `);
    await queryRunner.query(`ALTER TABLE "notification_delivery" ADD CONSTRAINT "FK_2e70a64359ce7416b06a4d7a432" FOREIGN KEY ("notification_id") REFERENCES "notification"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notification_delivery" DROP CONSTRAINT "FK_2e70a64359ce7416b06a4d7a432"`);
    await queryRunner.query(`DROP INDEX "public"."notification_delivery_once_key"`);
    await queryRunner.query(`DROP TABLE "notification_delivery"`);
  }
}
