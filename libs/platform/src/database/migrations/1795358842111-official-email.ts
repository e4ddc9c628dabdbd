import { MigrationInterface, QueryRunner } from 'typeorm';

export class OfficialEmail1795358842111 implements MigrationInterface {
  name = 'OfficialEmail1795358842111';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "official" ADD "email" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "official" DROP COLUMN "email"`);
  }
}
