import { SqlStatement } from '@aduan/platform';
import { EntityManager } from 'typeorm';
import { AuditRecord, ChainHead, SealedAuditEntry, sealEntry } from './audit-chain';

/** SQL fragment inserting sealed entries; meant for a data-modifying CTE of a larger statement. */
export function insertAuditSql(statement: SqlStatement, entries: readonly SealedAuditEntry[]): string {
  const rows = entries.map((e) =>
    statement.row([
      e.id, e.stream, e.seq, e.at, e.actorType, e.actorId, e.event, JSON.stringify(e.data),
      e.channel, e.requestId, e.outcome, e.prevHash, e.hash,
    ]),
  );
  return `INSERT INTO audit_entry (id, stream, seq, at, actor_type, actor_id, event, data, channel, request_id, outcome, prev_hash, hash) VALUES ${rows.join(', ')}`;
}

/**
 * The head of a stream's chain. The caller must hold the lock that serialises writers of this
 * stream (for a complaint: its row, `FOR UPDATE`); the unique `(stream, seq)` index is the backstop.
 */
export async function chainHead(manager: EntityManager, stream: string): Promise<ChainHead | null> {
  const rows: { seq: number; hash: string }[] = await manager.query(
    `SELECT seq, hash FROM audit_entry WHERE stream = $1 ORDER BY seq DESC LIMIT 1`,
    [stream],
  );
  return rows[0] ?? null;
}

/** Seals records onto their stream's chain, in order (all records must share one stream). */
export async function sealOnto(manager: EntityManager, records: readonly AuditRecord[], at = new Date()): Promise<SealedAuditEntry[]> {
  if (records.length === 0) return [];
  let head = await chainHead(manager, records[0].stream);
  return records.map((record) => {
    if (record.stream !== records[0].stream) throw new Error('sealOnto takes records of one stream');
    const entry = sealEntry(record, head, at);
    head = entry;
    return entry;
  });
}
