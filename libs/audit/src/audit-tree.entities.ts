import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/*
 * The tables behind the Merkle tree over the whole audit log and its checkpoints. The code reads
 * and writes them with SQL (merkle/tree-store.ts, seal/audit-sealer.ts); these entities keep
 * TypeORM's schema diff (migration:generate) in step with the migration that made them.
 * audit_leaf, audit_node, audit_checkpoint and audit_cosignature are append-only like audit_entry.
 */

/** One leaf of the tree: the audit entry sealed at position `idx`, in commit order. */
@Entity('audit_leaf')
@Index('audit_leaf_entry_key', ['entryId'], { unique: true })
export class AuditLeafEntity {
  @PrimaryColumn({ type: 'bigint' })
  idx: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  /** the entry's stream and seq when it was sealed, so a removed entry can still be named */
  @Column({ type: 'text' })
  stream: string;

  @Column({ type: 'integer' })
  seq: number;

  /** RFC 9162 leaf hash: SHA-256(0x00 ‖ leaf data), leaf data as in merkle/audit-leaf.ts */
  @Column({ type: 'bytea' })
  hash: Buffer;
}

/** A complete subtree of 2^level leaves (level ≥ 1; leaves are in audit_leaf): what proofs read. */
@Entity('audit_node')
export class AuditNodeEntity {
  @PrimaryColumn({ type: 'smallint' })
  level: number;

  @PrimaryColumn({ type: 'bigint' })
  idx: string;

  @Column({ type: 'bytea' })
  hash: Buffer;
}

/** A signed checkpoint (C2SP tlog-checkpoint): the tree's size and root, signed with the log's key. */
@Entity('audit_checkpoint')
export class AuditCheckpointEntity {
  @PrimaryColumn({ name: 'tree_size', type: 'bigint' })
  treeSize: string;

  @Column({ name: 'root_hash', type: 'bytea' })
  rootHash: Buffer;

  /** the signed note exactly as published */
  @Column({ type: 'text' })
  note: string;

  @Column({ name: 'signed_at', type: 'timestamptz', default: () => 'now()' })
  signedAt: Date;
}

/** A witness's cosignature on a checkpoint (C2SP tlog-cosignature), as its add-checkpoint returned it. */
@Entity('audit_cosignature')
export class AuditCosignatureEntity {
  @PrimaryColumn({ name: 'tree_size', type: 'bigint' })
  treeSize: string;

  @PrimaryColumn({ type: 'text' })
  witness: string;

  /** the signature line, `— <witness> <base64>` */
  @Column({ type: 'text' })
  line: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;
}

/** The sealer's one row: the snapshot of its last round, from which the next one looks for new entries. */
@Entity('audit_seal_state')
@Check('audit_seal_state_one_row', 'id')
export class AuditSealStateEntity {
  @PrimaryColumn({ type: 'boolean', default: true })
  id: boolean;

  /** pg_snapshot text (`xmin:xmax:xip,…`) of the last round; null before the first */
  @Column({ type: 'text', nullable: true })
  snapshot: string | null;

  @Column({ name: 'sealed_at', type: 'timestamptz', nullable: true })
  sealedAt: Date | null;

  /** the snapshot of the round under way (committed page by page); null between rounds */
  @Column({ name: 'round_snapshot', type: 'text', nullable: true })
  roundSnapshot: string | null;

  /** when the round under way took its snapshot: its sealed_at once it is done */
  @Column({ name: 'round_began_at', type: 'timestamptz', nullable: true })
  roundBeganAt: Date | null;

  /** the last entry the round under way sealed, in its order (txid, stream, seq) */
  @Column({ name: 'round_after_txid', type: 'bigint', nullable: true })
  roundAfterTxid: string | null;

  @Column({ name: 'round_after_stream', type: 'text', nullable: true })
  roundAfterStream: string | null;

  @Column({ name: 'round_after_seq', type: 'integer', nullable: true })
  roundAfterSeq: number | null;
}

/** One run of verify, requested over HTTP and run by a worker; polled for progress. */
@Entity('audit_verification')
export class AuditVerificationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** queued, running, done, failed */
  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  progress: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;
}
