import { preparedQuery, SqlStatement } from '@aduan/platform';
import { EntityManager } from 'typeorm';
import { AuditRecord, ChainHead, SealedAuditEntry, sealEntry } from './audit-chain';

/** SQL fragment inserting sealed entries; meant for a data-modifying CTE of a larger statement. */
export function insertAuditSql(statement: SqlStatement, entries: readonly SealedAuditEntry[]): string {
  const rows = entries.map((e) => [
    e.id, e.stream, e.seq, e.at, e.actorType, e.actorId, e.event, JSON.stringify(e.data),
    e.channel, e.requestId, e.outcome, e.prevHash, e.hash,
  ]);
  const columns = statement.unnest(['uuid', 'text', 'int', 'timestamptz', 'text', 'text', 'text', 'jsonb', 'text', 'text', 'text', 'text', 'text'], rows);
  return `INSERT INTO audit_entry (id, stream, seq, at, actor_type, actor_id, event, data, channel, request_id, outcome, prev_hash, hash) SELECT * FROM ${columns}`;
}

/**
 * The head of a stream's chain. The caller must hold the lock that serialises writers of this
 * stream (for a complaint: its row, `FOR UPDATE`); the unique `(stream, seq)` index is the backstop.
 */
export async function chainHead(manager: EntityManager, stream: string): Promise<ChainHead | null> {
  return (await chainHeads(manager, [stream])).get(stream) ?? null;
}

/** The heads of several streams in one query (the caller holds each stream's lock, see chainHead); a new stream has none. */
export async function chainHeads(manager: EntityManager, streams: readonly string[]): Promise<Map<string, ChainHead>> {
  const rows = await preparedQuery<{ stream: string; seq: number; hash: string }>(
    manager,
    'chain-heads',
    `SELECT h.stream, h.seq, h.hash FROM unnest($1::text[]) AS s(stream)
       CROSS JOIN LATERAL (SELECT stream, seq, hash FROM audit_entry WHERE stream = s.stream ORDER BY seq DESC LIMIT 1) h`,
    [streams],
  );
  return new Map(rows.map((r) => [r.stream, { seq: r.seq, hash: r.hash }]));
}

/** Seals records onto their stream's chain, in order (all records must share one stream). */
export async function sealOnto(manager: EntityManager, records: readonly AuditRecord[], at = new Date()): Promise<SealedAuditEntry[]> {
  if (records.length === 0) return [];
  return sealAfter(await chainHead(manager, records[0].stream), records, at);
}

/** Seals records onto a head already read (see chainHeads), in order (all records must share one stream). */
export function sealAfter(head: ChainHead | null, records: readonly AuditRecord[], at = new Date()): SealedAuditEntry[] {
  let last = head;
  return records.map((record) => {
    if (record.stream !== records[0].stream) throw new Error('records sealed together must share one stream');
    const entry = sealEntry(record, last, at);
    last = entry;
    return entry;
  });
}

/**
 * Serialises writers of a stream that has no row to lock (a tenant's rule set, the holiday
 * table): a transaction-scoped advisory lock keyed by the stream's name.
 */
export async function lockStream(manager: EntityManager, stream: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [stream]);
}

/** Appends records to a stream in the caller's transaction (not a hot path: a few round trips). */
export async function appendAudit(manager: EntityManager, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await lockStream(manager, records[0].stream);
  const sealed = await sealOnto(manager, records);
  const s = new SqlStatement();
  await manager.query(insertAuditSql(s, sealed), s.params);
}
