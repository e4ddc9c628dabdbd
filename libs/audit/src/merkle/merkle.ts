import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 §2.1 (RFC 6962's, unchanged): leaf hash SHA-256(0x00 ‖ leaf), node
 * hash SHA-256(0x01 ‖ left ‖ right), the empty tree's hash SHA-256(""). A subtree is a range of
 * leaves [lo, hi); the trees of a log only ever need two kinds: complete ones (a power of two of
 * leaves, aligned to their size), which are stored, and a tree's right edge, folded from them.
 */

export type Hash = Buffer;

export const EMPTY_TREE_HASH: Hash = createHash('sha256').digest();

export function hashLeaf(leaf: Buffer | string): Hash {
  return createHash('sha256').update(Buffer.from([0])).update(leaf).digest();
}

export function hashChildren(left: Hash, right: Hash): Hash {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** A complete subtree: the 2^level leaves from index × 2^level. */
export interface NodeId {
  level: number;
  index: number;
}

/** The largest power of two strictly smaller than n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The complete subtrees that make up the leaves [lo, hi), left to right (largest first). `lo` must
 * be a multiple of the first one's size, which holds for every range RFC 9162's recursion visits.
 */
export function completeSubtrees(lo: number, hi: number): NodeId[] {
  const out: NodeId[] = [];
  let start = lo;
  while (start < hi) {
    let level = Math.floor(Math.log2(hi - start));
    while (2 ** level > hi - start) level -= 1;
    while (level > 0 && start % 2 ** level !== 0) level -= 1;
    out.push({ level, index: start / 2 ** level });
    start += 2 ** level;
  }
  return out;
}

/** Folds the complete subtrees of a range (as completeSubtrees lists them) into its hash: right to left. */
export function foldSubtrees(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_TREE_HASH;
  let hash = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i -= 1) hash = hashChildren(hashes[i], hash);
  return hash;
}

/** A range [lo, hi) whose hash a proof needs. */
export interface Range {
  lo: number;
  hi: number;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]): the ranges whose hashes make the inclusion proof of leaf m, leaf side first. */
export function inclusionRanges(m: number, n: number): Range[] {
  if (!(m >= 0 && m < n)) throw new RangeError(`no leaf ${m} in a tree of ${n}`);
  const path = (lo: number, hi: number): Range[] => {
    if (hi - lo === 1) return [];
    const k = splitPoint(hi - lo);
    return m < lo + k ? [...path(lo, lo + k), { lo: lo + k, hi }] : [...path(lo + k, hi), { lo, hi: lo + k }];
  };
  return path(0, n);
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]): the ranges whose hashes prove that the tree of m leaves is a prefix of the tree of n. */
export function consistencyRanges(m: number, n: number): Range[] {
  if (!(m >= 0 && m <= n)) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  if (m === 0 || m === n) return [];
  const subproof = (lo: number, hi: number, complete: boolean): Range[] => {
    if (m === hi) return complete ? [] : [{ lo, hi }];
    const k = splitPoint(hi - lo);
    return m <= lo + k ? [...subproof(lo, lo + k, complete), { lo: lo + k, hi }] : [...subproof(lo + k, hi, false), { lo, hi: lo + k }];
  };
  return subproof(0, n, true);
}

const isOdd = (x: bigint) => (x & 1n) === 1n;

/** RFC 9162 §2.1.3.2: the root that an inclusion proof leads to, or null if the proof has the wrong shape. */
export function rootFromInclusionProof(leafIndex: number, treeSize: number, leafHash: Hash, proof: readonly Hash[]): Hash | null {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) return null;
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0n) return null;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : null;
}

export function verifyInclusion(leafIndex: number, treeSize: number, leafHash: Hash, proof: readonly Hash[], root: Hash): boolean {
  const computed = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
  return computed !== null && computed.equals(root);
}

/** RFC 9162 §2.1.4.2: does `proof` show that the tree (first, firstHash) is a prefix of (second, secondHash)? */
export function verifyConsistency(first: number, second: number, firstHash: Hash, secondHash: Hash, proof: readonly Hash[]): boolean {
  if (!(first >= 0 && first <= second)) return false;
  if (first === second) return proof.length === 0 && firstHash.equals(secondHash);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstHash, ...proof] : [...proof];
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  while (isOdd(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && fr.equals(firstHash) && sr.equals(secondHash);
}

/**
 * A tree being built leaf by leaf, holding only its right edge (the complete subtrees of its size):
 * appending reports every subtree it completes, which is what the sealer stores and what verify
 * compares.
 */
export class MerkleFrontier {
  private constructor(private size: number, private readonly edge: { level: number; index: number; hash: Hash }[]) {}

  static empty(): MerkleFrontier {
    return new MerkleFrontier(0, []);
  }

  /** Resumes a tree of `size` leaves from the hashes of its complete subtrees (as completeSubtrees(0, size) lists them). */
  static resume(size: number, hashes: readonly Hash[]): MerkleFrontier {
    const ids = completeSubtrees(0, size);
    if (ids.length !== hashes.length) throw new Error(`a tree of ${size} leaves has ${ids.length} edge subtrees, got ${hashes.length}`);
    return new MerkleFrontier(size, ids.map((id, i) => ({ ...id, hash: hashes[i] })));
  }

  get treeSize(): number {
    return this.size;
  }

  /** Appends a leaf hash; returns the interior nodes (level ≥ 1) it completed, lowest first. */
  append(leafHash: Hash): { level: number; index: number; hash: Hash }[] {
    const completed: { level: number; index: number; hash: Hash }[] = [];
    this.edge.push({ level: 0, index: this.size, hash: leafHash });
    this.size += 1;
    while (this.edge.length >= 2 && this.edge[this.edge.length - 1].level === this.edge[this.edge.length - 2].level) {
      const right = this.edge.pop()!;
      const left = this.edge.pop()!;
      const node = { level: left.level + 1, index: left.index / 2, hash: hashChildren(left.hash, right.hash) };
      this.edge.push(node);
      completed.push(node);
    }
    return completed;
  }

  root(): Hash {
    return foldSubtrees(this.edge.map((e) => e.hash));
  }
}
