import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written. The sealer commits a round page by page (docs/audit.md §2): the round's snapshot
 * and the last (txid, stream, seq) it sealed are kept on audit_seal_state, so a stopped round
 * resumes where it was; the txid index gains stream and seq, so each page is one index range read
 * in the order the round seals, whatever the backlog.
 */
export class AuditSealPages1795377200000 implements MigrationInterface {
  name = 'AuditSealPages1795377200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "audit_entry_txid_idx"`);
    await queryRunner.query(`CREATE INDEX "audit_entry_seal_order_idx" ON "audit_entry" ("txid", "stream", "seq")`);
    await queryRunner.query(`ALTER TABLE "audit_seal_state" ADD "round_snapshot" text`);
    await queryRunner.query(`ALTER TABLE "audit_seal_state" ADD "round_began_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "audit_seal_state" ADD "round_after_txid" bigint`);
    await queryRunner.query(`ALTER TABLE "audit_seal_state" ADD "round_after_stream" text`);
    await queryRunner.query(`ALTER TABLE "audit_seal_state" ADD "round_after_seq" integer`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_seal_state" DROP COLUMN "round_after_seq"`);
    await queryRunner.query(`ALTER TABLE "audit_seal_state" DROP COLUMN "round_after_stream"`);
    await queryRunner.query(`ALTER TABLE "audit_seal_state" DROP COLUMN "round_after_txid"`);
    await queryRunner.query(`ALTER TABLE "audit_seal_state" DROP COLUMN "round_began_at"`);
    await queryRunner.query(`ALTER TABLE "audit_seal_state" DROP COLUMN "round_snapshot"`);
    await queryRunner.query(`DROP INDEX "audit_entry_seal_order_idx"`);
    await queryRunner.query(`CREATE INDEX "audit_entry_txid_idx" ON "audit_entry" ("txid")`);
  }
}
