import { completeSubtrees, consistencyRanges, foldSubtrees, Hash, inclusionRanges, NodeId, Range } from './merkle';

/** Anything that runs SQL: a DataSource, an EntityManager or a QueryRunner. */
export interface Sql {
  // Rows are typed where they are read, as with TypeORM's own query().
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(text: string, params?: unknown[]): Promise<any[]>;
}

const key = (id: NodeId) => `${id.level}/${id.index}`;

/** The number of leaves sealed so far. */
export async function sealedTreeSize(db: Sql): Promise<number> {
  const [row] = await db.query(`SELECT coalesce(max(idx) + 1, 0) AS size FROM audit_leaf`);
  return Number(row.size);
}

/** Reads stored complete subtrees (leaves from audit_leaf, the rest from audit_node) in one query. */
export async function readNodes(db: Sql, ids: readonly NodeId[]): Promise<Map<string, Hash>> {
  if (ids.length === 0) return new Map();
  const leaves = ids.filter((id) => id.level === 0).map((id) => id.index);
  const nodes = ids.filter((id) => id.level > 0);
  const rows: { level: number; idx: string; hash: Buffer }[] = await db.query(
    `SELECT 0 AS level, idx, hash FROM audit_leaf WHERE idx = ANY($1::bigint[])
     UNION ALL
     SELECT n.level, n.idx, n.hash FROM audit_node n JOIN unnest($2::smallint[], $3::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`,
    [leaves, nodes.map((n) => n.level), nodes.map((n) => n.index)],
  );
  const found = new Map(rows.map((r) => [key({ level: Number(r.level), index: Number(r.idx) }), r.hash]));
  const missing = ids.filter((id) => !found.has(key(id)));
  if (missing.length > 0) throw new TreeNodeMissingError(missing);
  return found;
}

export class TreeNodeMissingError extends Error {
  constructor(readonly missing: NodeId[]) {
    super(`the audit tree lacks ${missing.length} stored node(s), e.g. level ${missing[0].level} index ${missing[0].index}`);
  }
}

/** The hashes of several ranges, each folded from its stored complete subtrees; one query for all. */
export async function rangeHashes(db: Sql, ranges: readonly Range[]): Promise<Hash[]> {
  const parts = ranges.map((r) => completeSubtrees(r.lo, r.hi));
  const nodes = await readNodes(db, parts.flat());
  return parts.map((ids) => foldSubtrees(ids.map((id) => nodes.get(key(id))!)));
}

/** The root hash of the tree of its first `size` leaves. */
export async function rootAt(db: Sql, size: number): Promise<Hash> {
  const [root] = await rangeHashes(db, [{ lo: 0, hi: size }]);
  return root;
}

/** RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves, from stored nodes. */
export async function inclusionProof(db: Sql, index: number, size: number): Promise<Hash[]> {
  return rangeHashes(db, inclusionRanges(index, size));
}

/** RFC 9162 consistency proof from the tree of `first` leaves to the tree of `second`. */
export async function consistencyProof(db: Sql, first: number, second: number): Promise<Hash[]> {
  return rangeHashes(db, consistencyRanges(first, second));
}

/** The right edge of the tree of `size` leaves (its complete subtrees), to resume appending. */
export async function edgeAt(db: Sql, size: number): Promise<Hash[]> {
  const ids = completeSubtrees(0, size);
  const nodes = await readNodes(db, ids);
  return ids.map((id) => nodes.get(key(id))!);
}
