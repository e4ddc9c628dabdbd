import { canonicalJson } from '../audit-chain';
import { Hash, hashLeaf } from './merkle';

/**
 * One leaf of the audit tree: the canonical JSON of the entry's id, stream, seq and chain hash
 * (docs/audit.md §2). The chain hash pins every other field; the id is here because it does not.
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
