import { DataSource, QueryRunner } from 'typeorm';
import { checkpointText } from '../checkpoints/checkpoint';
import { NoteSigner } from '../checkpoints/signed-note';
import { auditLeafHash } from '../merkle/audit-leaf';
import { MerkleFrontier } from '../merkle/merkle';
import { edgeAt } from '../merkle/tree-store';

/** The session advisory lock that lets one sealer at a time run, across every worker (two int4 keys: "ADUA", 1). */
const SEALER_LOCK = 'pg_try_advisory_lock(1094993217, 1)';
const SEALER_UNLOCK = 'pg_advisory_unlock(1094993217, 1)';
const PAGE = 2000;

/** What a pg_snapshot says about transactions: below xmax and not in xip, finished. */
export interface SnapshotBounds {
  xmax: string;
  xip: string[];
}

/** Parses pg_snapshot's text form `xmin:xmax:xip,xip,…`. */
export function parseSnapshot(text: string | null): SnapshotBounds {
  if (!text) return { xmax: '0', xip: [] };
  const [, xmax, xip] = text.split(':');
  if (!/^\d+$/.test(xmax ?? '')) throw new Error(`not a pg_snapshot: ${text}`);
  return { xmax, xip: xip ? xip.split(',') : [] };
}

/** One page of a round, committed on its own. */
export interface SealPage {
  /** leaves added by this page */
  sealed: number;
  treeSize: number;
  /** a checkpoint signed with this page */
  checkpoint: { treeSize: number; rootHash: Buffer; note: string } | null;
  /** this page began a round (rather than going on with one) */
  roundBegun: boolean;
  /** this page ended the round: everything committed before the round began is sealed */
  roundDone: boolean;
}

export interface SealRound {
  /** leaves added in this call */
  sealed: number;
  treeSize: number;
  /** the last checkpoint signed in this call */
  checkpoint: { treeSize: number; rootHash: Buffer; note: string } | null;
  /** false when the call stopped between pages (aborted, or out of time): the next call resumes the round */
  complete: boolean;
  /** the round began in this call: when complete, everything committed before the call is sealed */
  begun: boolean;
  pages: number;
}

export interface SealOptions {
  /** aborted: stop after the page under way */
  stop?: AbortSignal;
  /** stop after the first page that ends past this many milliseconds */
  budgetMs?: number;
  /** entries per page (each page is one transaction) */
  pageSize?: number;
  /** called after each committed page */
  onPage?: (page: SealPage) => void;
}

interface EntryRow {
  id: string;
  stream: string;
  seq: number;
  hash: string;
  txid: string;
}

/** Entries of the round: committed in its snapshot ($3 xmax, $4 xip) and not in the previous round's ($1 xmax, $2 xip). */
const IN_ROUND = `(e.txid >= $1::bigint OR e.txid = ANY($2::bigint[])) AND e.txid < $3::bigint AND NOT (e.txid = ANY($4::bigint[]))`;

/**
 * The next $10 entries of the round in (txid, stream, seq) order, each with whether it is sealed
 * already and the txid of the entry before it in its chain. Two range reads of
 * audit_entry_seal_order_idx, each starting where it must, so a page reads about $10 index entries
 * however large the backlog (docs/audit.md §2). "Not sealed" stays out of the range reads: the
 * planner would take it to leave no rows and read the whole table.
 */
const PAGE_SQL = `
WITH page AS (
  (SELECT e.id, e.stream, e.seq, e.hash, e.txid FROM audit_entry e
    WHERE e.txid = ANY($1::bigint[]) AND (e.txid, e.stream, e.seq) > ($4::bigint, $5::text, $6::int) AND e.txid < $2::bigint AND NOT (e.txid = ANY($3::bigint[]))
    ORDER BY e.txid, e.stream, e.seq LIMIT $10)
  UNION ALL
  (SELECT e.id, e.stream, e.seq, e.hash, e.txid FROM audit_entry e
    WHERE (e.txid, e.stream, e.seq) > ($7::bigint, $8::text, $9::int) AND e.txid < $2::bigint AND NOT (e.txid = ANY($3::bigint[]))
    ORDER BY e.txid, e.stream, e.seq LIMIT $10)
  ORDER BY txid, stream, seq LIMIT $10)
SELECT p.id, p.stream, p.seq, p.hash, p.txid, b.txid AS before_txid, EXISTS (SELECT 1 FROM audit_leaf l WHERE l.entry_id = p.id) AS sealed
  FROM page p LEFT JOIN audit_entry b ON b.stream = p.stream AND b.seq = p.seq - 1
 ORDER BY p.txid, p.stream, p.seq`;

const UNSEALED = `NOT EXISTS (SELECT 1 FROM audit_leaf l WHERE l.entry_id = e.id)`;

/** The unsealed entries of the round that come before ($5 streams, $6 seqs) in their chains, walking back to a sealed one. */
const BEFORE_SQL = `
WITH RECURSIVE back AS (
  SELECT e.id, e.stream, e.seq, e.hash, e.txid FROM unnest($5::text[], $6::int[]) AS w(stream, seq)
    JOIN audit_entry e ON e.stream = w.stream AND e.seq = w.seq - 1 WHERE ${IN_ROUND} AND ${UNSEALED}
  UNION
  SELECT e.id, e.stream, e.seq, e.hash, e.txid FROM back b
    JOIN audit_entry e ON e.stream = b.stream AND e.seq = b.seq - 1 WHERE ${IN_ROUND} AND ${UNSEALED})
SELECT * FROM back ORDER BY stream, seq`;

/**
 * Adds every entry committed since the last round to the Merkle tree, in commit order, and signs a
 * checkpoint when one is due; never writes the audit table. Invariant: a round seals exactly what
 * its snapshot sees and the previous round's did not, so a late commit is sealed by the next round,
 * once, and no entry goes before the one before it in its chain. Pages commit one by one; a stopped
 * round resumes from audit_seal_state (docs/audit.md §2). One sealer at a time: an advisory lock.
 */
export class AuditSealer {
  constructor(private readonly dataSource: DataSource, private readonly signer: NoteSigner | null, private readonly checkpointIntervalMs: number) {}

  /**
   * Pages until the round under way (or a new one) is done, or `options` stop it; null when
   * another sealer holds the lock. `forceCheckpoint` signs one when the round is done, if anything is unsigned.
   */
  async sealRound(forceCheckpoint = false, options: SealOptions = {}): Promise<SealRound | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT ${SEALER_LOCK} AS locked`);
      if (!locked) return null;
      try {
        const started = Date.now();
        const stopping = () => Boolean(options.stop?.aborted) || (options.budgetMs !== undefined && Date.now() - started >= options.budgetMs);
        const result: SealRound = { sealed: 0, treeSize: 0, checkpoint: null, complete: false, begun: false, pages: 0 };
        for (;;) {
          const page = await this.page(runner, options.pageSize ?? PAGE, forceCheckpoint);
          result.sealed += page.sealed;
          result.treeSize = page.treeSize;
          result.checkpoint = page.checkpoint ?? result.checkpoint;
          result.pages += 1;
          result.begun ||= page.roundBegun;
          options.onPage?.(page);
          if (page.roundDone) return { ...result, complete: true };
          if (stopping()) return result;
        }
      } finally {
        await runner.query(`SELECT ${SEALER_UNLOCK}`);
      }
    } finally {
      await runner.release();
    }
  }

  private async page(runner: QueryRunner, size: number, forceCheckpoint: boolean): Promise<SealPage> {
    await runner.startTransaction();
    try {
      // A page reads a few thousand rows by index: starting parallel workers for it costs more than it saves.
      await runner.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
      const [state] = await runner.query(
        `SELECT s.snapshot, s.round_snapshot, pg_current_snapshot()::text AS now_snapshot,
                s.round_after_txid, s.round_after_stream, s.round_after_seq, (SELECT coalesce(max(idx) + 1, 0) FROM audit_leaf) AS size
           FROM audit_seal_state s WHERE s.id`,
      );
      const previous = parseSnapshot(state.snapshot);
      // A kept round older than the last finished one (a sealer of a version without pages ran since) is void.
      const begun = state.round_snapshot === null || BigInt(parseSnapshot(state.round_snapshot).xmax) < BigInt(previous.xmax);
      if (begun) Object.assign(state, { round_snapshot: state.now_snapshot, round_after_txid: null });
      const round = parseSnapshot(state.round_snapshot);
      const bounds = [previous.xmax, previous.xip, round.xmax, round.xip];
      const startSize = Number(state.size);
      const tree = MerkleFrontier.resume(startSize, await edgeAt(runner, startSize));
      const after = state.round_after_txid === null ? ['-1', '', 0] : [state.round_after_txid, state.round_after_stream, state.round_after_seq];
      // One lower bound per range read: given two, the scan may start from the lower one. Seq starts at 1, so (xmax, '', 0) precedes every entry of xmax.
      const from = BigInt(after[0]) >= BigInt(previous.xmax) ? after : [previous.xmax, '', 0];
      const read: (EntryRow & { before_txid: string | null; sealed: boolean })[] = await runner.query(PAGE_SQL, [previous.xip, round.xmax, round.xip, ...after, ...from, size]);
      const page = await this.inChainOrder(runner, bounds, read.filter((e) => !e.sealed));
      if (page.length > 0) {
        const first = tree.treeSize;
        const nodes: { level: number; index: number; hash: Buffer }[] = [];
        const hashes = page.map((e) => {
          const hash = auditLeafHash(e);
          nodes.push(...tree.append(hash));
          return hash;
        });
        await runner.query(
          `WITH leaves AS (
             INSERT INTO audit_leaf (idx, entry_id, stream, seq, hash)
             SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::bytea[]))
           INSERT INTO audit_node (level, idx, hash) SELECT * FROM unnest($6::smallint[], $7::bigint[], $8::bytea[])`,
          [
            page.map((_, i) => first + i), page.map((e) => e.id), page.map((e) => e.stream), page.map((e) => e.seq), hashes,
            nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash),
          ],
        );
      }
      const roundDone = read.length < size;
      if (roundDone) {
        await runner.query(
          // sealed_at: when the round's snapshot was taken (everything committed before it is sealed), not when it ended.
          `UPDATE audit_seal_state SET snapshot = $1, sealed_at = CASE WHEN $2 THEN now() ELSE round_began_at END,
                  round_snapshot = NULL, round_began_at = NULL, round_after_txid = NULL, round_after_stream = NULL, round_after_seq = NULL WHERE id`,
          [state.round_snapshot, begun],
        );
      } else {
        const last = read[read.length - 1];
        await runner.query(
          `UPDATE audit_seal_state SET round_snapshot = $1, round_began_at = CASE WHEN $5 THEN now() ELSE round_began_at END,
                  round_after_txid = $2, round_after_stream = $3, round_after_seq = $4 WHERE id`,
          [state.round_snapshot, last.txid, last.stream, last.seq, begun],
        );
      }
      const checkpoint = await this.checkpointIfDue(runner, tree, forceCheckpoint && roundDone);
      await runner.commitTransaction();
      return { sealed: page.length, treeSize: tree.treeSize, checkpoint, roundBegun: begun, roundDone };
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }

  /**
   * The page in (txid, stream, seq) order, with any unsealed entry of the round that comes before
   * one of them in its chain put in front of it. A transaction can get its id before an earlier
   * writer of the same stream commits, so txid order alone could seal seq 2 before seq 1.
   */
  private async inChainOrder(runner: QueryRunner, bounds: unknown[], candidates: (EntryRow & { before_txid: string | null })[]): Promise<EntryRow[]> {
    const late = candidates.filter((c) => c.before_txid !== null && BigInt(c.before_txid) > BigInt(c.txid));
    if (late.length === 0) return candidates;
    const before: EntryRow[] = await runner.query(BEFORE_SQL, [...bounds, late.map((c) => c.stream), late.map((c) => c.seq)]);
    const byStream = new Map<string, EntryRow[]>();
    for (const e of before) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
    const taken = new Set<string>();
    const out: EntryRow[] = [];
    const take = (e: EntryRow) => {
      if (taken.has(e.id)) return;
      taken.add(e.id);
      out.push(e);
    };
    for (const c of candidates) {
      for (const e of byStream.get(c.stream) ?? []) if (e.seq < c.seq) take(e);
      take(c);
    }
    return out;
  }

  private async checkpointIfDue(runner: QueryRunner, tree: MerkleFrontier, force: boolean): Promise<SealRound['checkpoint']> {
    if (!this.signer || tree.treeSize === 0) return null;
    const [last] = await runner.query(`SELECT tree_size, extract(epoch FROM clock_timestamp() - signed_at) * 1000 AS age_ms FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1`);
    if (last && Number(last.tree_size) >= tree.treeSize) return null;
    if (last && !force && Number(last.age_ms) < this.checkpointIntervalMs) return null;
    const rootHash = tree.root();
    const note = this.signer.sign(checkpointText({ origin: this.signer.name, treeSize: tree.treeSize, rootHash }));
    await runner.query(`INSERT INTO audit_checkpoint (tree_size, root_hash, note) VALUES ($1, $2, $3)`, [tree.treeSize, rootHash, note]);
    return { treeSize: tree.treeSize, rootHash, note };
  }
}
