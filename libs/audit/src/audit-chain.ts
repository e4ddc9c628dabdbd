import { createHash, randomUUID } from 'node:crypto';
import { ActorType, Channel } from './audit-entry.entity';

/** What happened, as the caller describes it. */
export interface AuditRecord {
  /** the entry's id when a row written with it must name it (a dispatch names its routing decision); not hashed */
  id?: string;
  stream: string;
  actor: { type: ActorType; id?: string | null };
  event: string;
  data?: Record<string, unknown>;
  channel: Channel;
  requestId?: string | null;
  outcome?: string;
}

/** An entry ready to insert: numbered and hashed onto its chain. */
export interface SealedAuditEntry {
  id: string;
  stream: string;
  seq: number;
  at: Date;
  actorType: ActorType;
  actorId: string | null;
  event: string;
  data: Record<string, unknown>;
  channel: Channel;
  requestId: string | null;
  outcome: string;
  prevHash: string | null;
  hash: string;
}

/** An audit_entry row as PostgreSQL answers it (column names). */
export interface AuditEntryRow {
  id: string;
  stream: string;
  seq: number;
  at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  event: string;
  data: Record<string, unknown>;
  channel: Channel;
  request_id: string | null;
  outcome: string;
  prev_hash: string | null;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The hash a stored row must carry, recomputed from its fields. */
export function hashOfRow(row: AuditEntryRow): string {
  return hashEntry({
    stream: row.stream,
    seq: row.seq,
    at: new Date(row.at),
    actorType: row.actor_type,
    actorId: row.actor_id,
    event: row.event,
    data: row.data,
    channel: row.channel,
    requestId: row.request_id,
    outcome: row.outcome,
    prevHash: row.prev_hash,
  });
}

/** Deterministic JSON: object keys sorted at every depth, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of an entry covers every field but its own hash and id, and links to the previous entry. */
export function hashEntry(entry: Omit<SealedAuditEntry, 'hash' | 'id'>): string {
  const body = canonicalJson({
    stream: entry.stream,
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor_type: entry.actorType,
    actor_id: entry.actorId,
    event: entry.event,
    data: entry.data,
    channel: entry.channel,
    request_id: entry.requestId,
    outcome: entry.outcome,
    prev_hash: entry.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/** Numbers and hashes `record` onto the chain whose current head is `head` (null: a new chain). */
export function sealEntry(record: AuditRecord, head: ChainHead | null, at: Date = new Date()): SealedAuditEntry {
  const unsealed = {
    stream: record.stream,
    seq: head ? head.seq + 1 : 1,
    // JSON and timestamptz both keep milliseconds; the hash must survive a round trip.
    at: new Date(Math.floor(at.getTime())),
    actorType: record.actor.type,
    actorId: record.actor.id ?? null,
    event: record.event,
    data: JSON.parse(JSON.stringify(record.data ?? {})) as Record<string, unknown>,
    channel: record.channel,
    requestId: record.requestId ?? null,
    outcome: record.outcome ?? 'success',
    prevHash: head ? head.hash : null,
  };
  return { id: record.id ?? randomUUID(), ...unsealed, hash: hashEntry(unsealed) };
}

/** Hex SHA-256 of a text: audit data pins a resident's or official's words without copying them. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The audit stream of one complaint. */
export function complaintStream(complaintId: string): string {
  return `complaint:${complaintId}`;
}
