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

export interface SealRound {
  /** leaves added in this round */
  sealed: number;
  treeSize: number;
  /** a checkpoint signed in this round */
  checkpoint: { treeSize: number; rootHash: Buffer; note: string } | null;
}

/**
 * Adds every entry committed since the last round to the Merkle tree, in commit order, and signs a
 * checkpoint when one is due; never writes the audit table. Invariant: a round seals exactly what
 * its snapshot sees and the previous round's did not (by txid against that snapshot's xmax and
 * xip), so a late commit is sealed by the next round, once (docs/audit.md §2). One sealer at a
 * time: the advisory lock is taken before the snapshot.
 */
export class AuditSealer {
  constructor(private readonly dataSource: DataSource, private readonly signer: NoteSigner | null, private readonly checkpointIntervalMs: number) {}

  /** One round; null when another sealer holds the lock. `forceCheckpoint` signs one now if anything is unsigned. */
  async sealRound(forceCheckpoint = false): Promise<SealRound | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT ${SEALER_LOCK} AS locked`);
      if (!locked) return null;
      try {
        return await this.round(runner, forceCheckpoint);
      } finally {
        await runner.query(`SELECT ${SEALER_UNLOCK}`);
      }
    } finally {
      await runner.release();
    }
  }

  private async round(runner: QueryRunner, forceCheckpoint: boolean): Promise<SealRound> {
    await runner.startTransaction('REPEATABLE READ');
    try {
      const [state] = await runner.query(
        `SELECT s.snapshot, pg_current_snapshot()::text AS now_snapshot, (SELECT coalesce(max(idx) + 1, 0) FROM audit_leaf) AS size
           FROM audit_seal_state s WHERE s.id`,
      );
      const previous = parseSnapshot(state.snapshot);
      const startSize = Number(state.size);
      const tree = MerkleFrontier.resume(startSize, await edgeAt(runner, startSize));
      let after: { stream: string; seq: number } | null = null;
      for (;;) {
        const page: { id: string; stream: string; seq: number; hash: string }[] = await runner.query(
          `SELECT e.id, e.stream, e.seq, e.hash FROM audit_entry e
            WHERE (e.txid >= $1 OR e.txid = ANY($2::bigint[]))
              AND NOT EXISTS (SELECT 1 FROM audit_leaf l WHERE l.entry_id = e.id)
              AND ($3::text IS NULL OR (e.stream, e.seq) > ($3::text, $4::int))
            ORDER BY e.stream, e.seq LIMIT ${PAGE}`,
          [previous.xmax, previous.xip, after?.stream ?? null, after?.seq ?? 0],
        );
        if (page.length === 0) break;
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
        after = page[page.length - 1];
        if (page.length < PAGE) break;
      }
      await runner.query(`UPDATE audit_seal_state SET snapshot = $1, sealed_at = now() WHERE id`, [state.now_snapshot]);
      const checkpoint = await this.checkpointIfDue(runner, tree, forceCheckpoint);
      await runner.commitTransaction();
      return { sealed: tree.treeSize - startSize, treeSize: tree.treeSize, checkpoint };
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
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
