import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written: the Merkle tree over the audit log and its signed checkpoints (docs/audit.md).
 * audit_entry.txid is how the sealer finds what committed since its last round; audit_node keeps
 * every complete subtree, so a proof reads O(log n) rows and never rehashes the log.
 */
export class AuditTreeAndCheckpoints1795365000000 implements MigrationInterface {
  name = 'AuditTreeAndCheckpoints1795365000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- Every append-only table refuses UPDATE, DELETE and TRUNCATE, whatever the role (the app's
      -- role also lacks the privileges). Only a superuser with session_replication_role = replica
      -- gets past this; the Merkle tree and the checkpoints held outside are what expose that.
      CREATE FUNCTION append_only_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      -- Makes a table append-only: the refusing triggers, and no role but its owner keeps UPDATE,
      -- DELETE, TRUNCATE or TRIGGER on it (default privileges grant them to the app's role). The
      -- setup of the database roles recognises append-only tables by these triggers.
      CREATE FUNCTION make_append_only(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        grantee oid;
      BEGIN
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change()', tbl::text || '_append_only', tbl);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change()', tbl::text || '_no_truncate', tbl);
        FOR grantee IN
          SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
           WHERE c.oid = tbl AND a.grantee <> c.relowner AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER')
        LOOP
          IF grantee = 0 THEN
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER ON %s FROM PUBLIC', tbl);
          ELSE
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER ON %s FROM %I', tbl, grantee::regrole::text);
          END IF;
        END LOOP;
      END $$`);
    await queryRunner.query(`DROP TRIGGER audit_entry_no_update_delete ON audit_entry`);
    await queryRunner.query(`DROP TRIGGER audit_entry_no_truncate ON audit_entry`);
    await queryRunner.query(`DROP FUNCTION audit_entry_refuse_change()`);
    await queryRunner.query(`SELECT make_append_only('audit_entry')`);

    await queryRunner.query(`
      -- The current (top-level) transaction's id as a bigint: the default of audit_entry.txid, so
      -- no writer can forget it or choose it.
      CREATE FUNCTION current_txid() RETURNS bigint LANGUAGE sql VOLATILE AS 'SELECT pg_current_xact_id()::text::bigint'`);
    // Entries written before this migration all get its transaction id: the first round seals them.
    await queryRunner.query(`ALTER TABLE "audit_entry" ADD "txid" bigint NOT NULL DEFAULT current_txid()`);
    await queryRunner.query(`CREATE INDEX "audit_entry_txid_idx" ON "audit_entry" ("txid")`);

    await queryRunner.query(`CREATE TABLE "audit_leaf" ("idx" bigint NOT NULL, "entry_id" uuid NOT NULL, "stream" text NOT NULL, "seq" integer NOT NULL, "hash" bytea NOT NULL, CONSTRAINT "PK_audit_leaf" PRIMARY KEY ("idx"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "audit_leaf_entry_key" ON "audit_leaf" ("entry_id")`);
    await queryRunner.query(`CREATE TABLE "audit_node" ("level" smallint NOT NULL, "idx" bigint NOT NULL, "hash" bytea NOT NULL, CONSTRAINT "PK_audit_node" PRIMARY KEY ("level", "idx"))`);
    await queryRunner.query(`CREATE TABLE "audit_checkpoint" ("tree_size" bigint NOT NULL, "root_hash" bytea NOT NULL, "note" text NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_audit_checkpoint" PRIMARY KEY ("tree_size"))`);
    await queryRunner.query(`CREATE TABLE "audit_cosignature" ("tree_size" bigint NOT NULL, "witness" text NOT NULL, "line" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_audit_cosignature" PRIMARY KEY ("tree_size", "witness"))`);
    for (const table of ['audit_leaf', 'audit_node', 'audit_checkpoint', 'audit_cosignature']) {
      await queryRunner.query(`SELECT make_append_only('${table}')`);
    }

    await queryRunner.query(`CREATE TABLE "audit_seal_state" ("id" boolean NOT NULL DEFAULT true, "snapshot" text, "sealed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "audit_seal_state_one_row" CHECK (id), CONSTRAINT "PK_audit_seal_state" PRIMARY KEY ("id"))`);
    await queryRunner.query(`INSERT INTO "audit_seal_state" ("id") VALUES (true)`);
    await queryRunner.query(
      `CREATE TABLE "audit_verification" ("id" uuid NOT NULL, "requested_by" uuid, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "status" text NOT NULL, "progress" jsonb NOT NULL DEFAULT '{}', "result" jsonb, CONSTRAINT "PK_audit_verification" PRIMARY KEY ("id"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_verification"`);
    await queryRunner.query(`DROP TABLE "audit_seal_state"`);
    await queryRunner.query(`DROP TABLE "audit_cosignature"`);
    await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
    await queryRunner.query(`DROP TABLE "audit_node"`);
    await queryRunner.query(`DROP TABLE "audit_leaf"`);
    await queryRunner.query(`DROP INDEX "public"."audit_entry_txid_idx"`);
    await queryRunner.query(`ALTER TABLE "audit_entry" DROP COLUMN "txid"`);
    await queryRunner.query(`DROP FUNCTION current_txid()`);
    await queryRunner.query(`DROP TRIGGER audit_entry_append_only ON audit_entry`);
    await queryRunner.query(`DROP TRIGGER audit_entry_no_truncate ON audit_entry`);
    await queryRunner.query(`DROP FUNCTION make_append_only(regclass)`);
    await queryRunner.query(`DROP FUNCTION append_only_refuse_change()`);
    await queryRunner.query(`
      CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()`);
  }
}
