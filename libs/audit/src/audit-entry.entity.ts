import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ActorType = 'resident' | 'official' | 'system';
export type Channel = 'web' | 'open311' | 'api' | 'console' | 'worker' | 'cli';

/**
 * One entry of the append-only audit log. Entries form a hash chain per `stream` (one per
 * complaint, one per rule set), so intake never serialises on a global lock.
 */
@Entity('audit_entry')
@Index('audit_entry_stream_seq_key', ['stream', 'seq'], { unique: true })
@Index('audit_entry_seal_order_idx', ['txid', 'stream', 'seq'])
// Expression and partial indexes for the Inspektorat's trails and views (migration AuditTrailIndexes).
@Index('audit_entry_actor_idx', { synchronize: false })
@Index('audit_entry_official_ref_idx', { synchronize: false })
@Index('audit_entry_unit_ref_idx', { synchronize: false })
@Index('audit_entry_to_unit_ref_idx', { synchronize: false })
@Index('audit_entry_from_unit_ref_idx', { synchronize: false })
@Index('audit_entry_reveal_idx', { synchronize: false })
@Index('audit_entry_rejected_idx', { synchronize: false })
export class AuditEntryEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  stream: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: ActorType;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ type: 'text' })
  event: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ type: 'text' })
  channel: Channel;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ type: 'text' })
  outcome: string;

  @Column({ name: 'prev_hash', type: 'text', nullable: true })
  prevHash: string | null;

  @Column({ type: 'text' })
  hash: string;

  /**
   * The writing transaction's id, set by PostgreSQL (never by the writer): the sealer finds what
   * committed since its last round by it (see AuditSealer), not by `id`, which is random.
   */
  @Column({ type: 'bigint', default: () => 'current_txid()', select: false, insert: false, update: false })
  txid: string;
}
