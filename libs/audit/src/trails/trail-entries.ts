import { EntityManager } from 'typeorm';
import { AuditEntryRow, hashOfRow } from '../audit-chain';
import { ActorType, Channel } from '../audit-entry.entity';
import { auditLeafHash } from '../merkle/audit-leaf';

/** An audit entry as a trail reads it: with its predecessor's hash, its leaf, and who the actor is now. */
export interface TrailEntryRow extends AuditEntryRow {
  /** hash of the entry at seq − 1 of the same stream; null when there is none */
  predecessor_hash: string | null;
  leaf_idx: string | null;
  leaf_hash: Buffer | null;
  actor_username: string | null;
  actor_name: string | null;
}

export type ChainStatus = 'intact' | 'altered' | 'unlinked' | 'leaf_mismatch';
export type CheckpointStatus = 'checkpointed' | 'sealed' | 'pending';

export interface TrailEntry {
  id: string;
  stream: string;
  seq: number;
  at: string;
  actor: { type: ActorType; id: string | null; username: string | null; name: string | null };
  event: string;
  data: Record<string, unknown>;
  channel: Channel;
  request_id: string | null;
  outcome: string;
  hash: string;
  prev_hash: string | null;
  /** intact: its hash, its link to the entry before and its leaf all hold */
  chain: ChainStatus;
  /** checkpointed: in the tree of the latest signed checkpoint; sealed: a leaf, not signed yet; pending: not sealed yet */
  checkpoint: CheckpointStatus;
  leaf_index: number | null;
}

/**
 * The SELECT list and joins a trail reads (alias `e` for audit_entry): the entry, its predecessor's
 * hash (one index probe on (stream, seq)), its leaf, and the acting official's current name, which
 * erasure may have replaced. `source` replaces the plain table when the entries come from a CTE
 * of ids; `extra` adds columns.
 */
export function trailEntrySql(source = 'audit_entry e', extra = ''): string {
  return `
  SELECT ${extra ? `${extra}, ` : ''}e.id, e.stream, e.seq, e.at, e.actor_type, e.actor_id, e.event, e.data, e.channel, e.request_id, e.outcome, e.prev_hash, e.hash,
         p.hash AS predecessor_hash, l.idx AS leaf_idx, l.hash AS leaf_hash, o.username AS actor_username, o.name AS actor_name
    FROM ${source}
    LEFT JOIN audit_entry p ON p.stream = e.stream AND p.seq = e.seq - 1
    LEFT JOIN audit_leaf l ON l.entry_id = e.id
    LEFT JOIN official o ON e.actor_type = 'official' AND o.id::text = e.actor_id`;
}

/** The size of the latest signed checkpoint's tree (0 when none is signed). */
export async function latestTreeSize(manager: EntityManager): Promise<{ size: number; signed_at: string | null }> {
  const rows: { tree_size: string; signed_at: Date }[] = await manager.query(`SELECT tree_size, signed_at FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1`);
  return rows[0] ? { size: Number(rows[0].tree_size), signed_at: rows[0].signed_at.toISOString() } : { size: 0, signed_at: null };
}

/** One entry's own check: its hash over its fields, its link to the entry before, and its leaf. */
export function checkEntry(row: TrailEntryRow): ChainStatus {
  const recomputed = hashOfRow(row);
  if (recomputed !== row.hash) return 'altered';
  if (row.seq === 1 ? row.prev_hash !== null : row.prev_hash === null || row.prev_hash !== row.predecessor_hash) return 'unlinked';
  if (row.leaf_hash && !Buffer.from(auditLeafHash({ id: row.id, stream: row.stream, seq: row.seq, hash: row.hash })).equals(row.leaf_hash)) return 'leaf_mismatch';
  return 'intact';
}

export function trailEntry(row: TrailEntryRow, treeSize: number): TrailEntry {
  const leaf = row.leaf_idx === null ? null : Number(row.leaf_idx);
  return {
    id: row.id,
    stream: row.stream,
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, username: row.actor_username, name: row.actor_name },
    event: row.event,
    data: row.data,
    channel: row.channel,
    request_id: row.request_id,
    outcome: row.outcome,
    hash: row.hash,
    prev_hash: row.prev_hash,
    chain: checkEntry(row),
    checkpoint: leaf === null ? 'pending' : leaf < treeSize ? 'checkpointed' : 'sealed',
    leaf_index: leaf,
  };
}

/**
 * A whole stream's verdict: every entry intact and seq running 1, 2, 3… without a gap; else the
 * first entry that breaks it (a gap is named by the entry after it).
 */
export function streamVerdict(entries: readonly TrailEntry[]): { status: 'intact' | 'broken'; entries: number; first_broken: { id: string; seq: number; reason: string } | null } {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.seq !== i + 1) return { status: 'broken', entries: entries.length, first_broken: { id: e.id, seq: e.seq, reason: `seq ${i + 1} is missing` } };
    if (e.chain !== 'intact') return { status: 'broken', entries: entries.length, first_broken: { id: e.id, seq: e.seq, reason: e.chain } };
  }
  return { status: 'intact', entries: entries.length, first_broken: null };
}
