import { canonicalJson } from '../audit-chain';
import { Hash, hashLeaf } from './merkle';

/**
 * What one leaf of the audit tree is: the canonical JSON (keys sorted, no whitespace, UTF-8) of
 * the entry's id, stream, seq and chain hash, e.g.
 * `{"hash":"<64 hex>","id":"<uuid>","seq":3,"stream":"complaint:<uuid>"}`.
 * The chain hash covers every field of the entry and its link to the one before, so the leaf pins
 * the whole entry; the id is in it because the chain hash does not cover it. Its RFC 9162 leaf
 * hash is SHA-256(0x00 ‖ these bytes), which is also Go's tlog.RecordHash of them.
 */
export interface AuditLeaf {
  id: string;
  stream: string;
  seq: number;
  hash: string;
}

export function auditLeafData(leaf: AuditLeaf): string {
  return canonicalJson({ hash: leaf.hash, id: leaf.id, seq: leaf.seq, stream: leaf.stream });
}

export function auditLeafHash(leaf: AuditLeaf): Hash {
  return hashLeaf(Buffer.from(auditLeafData(leaf), 'utf8'));
}
