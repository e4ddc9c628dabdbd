import { APP_CONFIG, AppConfig, DomainError } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { auditLeafData } from '../merkle/audit-leaf';
import { consistencyProof, inclusionProof } from '../merkle/tree-store';
import { loadLogVerifier } from './log-keys';
import { NoteVerifier } from './signed-note';

/** A checkpoint as published: the signed note with the witnesses' cosignatures added to it. */
export interface PublishedCheckpoint {
  tree_size: number;
  root_hash: string;
  signed_at: string;
  /** the C2SP signed note: the checkpoint text, a blank line, the log's signature and any cosignatures */
  note: string;
  cosigned_by: string[];
}

const b64 = (b: Buffer) => b.toString('base64');

/** What the API publishes about the audit log's tree: checkpoints, the public key, proofs. */
@Injectable()
export class AuditLogReads {
  private verifier: NoteVerifier | null | undefined;

  constructor(private readonly dataSource: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The log's verifier key, or null when this process has none configured. */
  publicKey(): NoteVerifier | null {
    if (this.verifier === undefined) this.verifier = loadLogVerifier(this.config);
    return this.verifier;
  }

  /** Checkpoints with a tree size above `after`, oldest first. */
  async checkpoints(after: number, limit: number): Promise<PublishedCheckpoint[]> {
    const rows: { tree_size: string; root_hash: Buffer; signed_at: Date; note: string; witnesses: string[] | null; lines: string[] | null }[] = await this.dataSource.query(
      `SELECT c.tree_size, c.root_hash, c.signed_at, c.note, w.witnesses, w.lines
         FROM audit_checkpoint c
         LEFT JOIN LATERAL (SELECT array_agg(witness ORDER BY witness) AS witnesses, array_agg(line ORDER BY witness) AS lines FROM audit_cosignature s WHERE s.tree_size = c.tree_size) w ON true
        WHERE c.tree_size > $1 ORDER BY c.tree_size LIMIT $2`,
      [after, limit],
    );
    return rows.map((r) => ({
      tree_size: Number(r.tree_size),
      root_hash: b64(r.root_hash),
      signed_at: r.signed_at.toISOString(),
      note: r.note + (r.lines ?? []).join(''),
      cosigned_by: r.witnesses ?? [],
    }));
  }

  async latestCheckpoint(): Promise<PublishedCheckpoint | null> {
    const [row]: { tree_size: string }[] = await this.dataSource.query(`SELECT tree_size FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1`);
    if (!row) return null;
    const [latest] = await this.checkpoints(Number(row.tree_size) - 1, 1);
    return latest ?? null;
  }

  /** RFC 9162 consistency proof between two signed tree sizes. */
  async consistency(first: number, second: number): Promise<{ first: number; second: number; proof: string[] }> {
    if (!(first >= 0 && first <= second)) throw new DomainError('invalid', 'first must be at most second.', [{ field: 'first', message: 'must be at most second' }]);
    await this.requireCheckpoint(second);
    if (first > 0) await this.requireCheckpoint(first);
    return { first, second, proof: (await consistencyProof(this.dataSource, first, second)).map(b64) };
  }

  /**
   * RFC 9162 inclusion proof of an entry (by id) in a signed tree (the latest checkpoint if
   * `treeSize` is not given), with the leaf it was sealed as.
   */
  async inclusion(entryId: string, treeSize: number | null) {
    const [leaf]: { idx: string; stream: string; seq: number; hash: string | null }[] = await this.dataSource.query(
      `SELECT l.idx, l.stream, l.seq, e.hash FROM audit_leaf l LEFT JOIN audit_entry e ON e.id = l.entry_id WHERE l.entry_id = $1`,
      [entryId],
    );
    if (!leaf) throw new DomainError('not_found', 'No sealed audit entry has that id (an entry is sealed within seconds of its commit).');
    if (leaf.hash === null) throw new DomainError('not_found', 'That entry was sealed but is no longer in the log; run verify.');
    const checkpoint = treeSize === null ? await this.latestCheckpoint() : await this.requireCheckpoint(treeSize);
    const index = Number(leaf.idx);
    if (!checkpoint || index >= checkpoint.tree_size) throw new DomainError('conflict', 'The entry is sealed but not yet in a signed checkpoint; ask again after the next one.');
    const data = auditLeafData({ id: entryId, stream: leaf.stream, seq: leaf.seq, hash: leaf.hash });
    return {
      entry_id: entryId,
      stream: leaf.stream,
      seq: leaf.seq,
      leaf_index: index,
      leaf_data: data,
      tree_size: checkpoint.tree_size,
      root_hash: checkpoint.root_hash,
      proof: (await inclusionProof(this.dataSource, index, checkpoint.tree_size)).map(b64),
      checkpoint: checkpoint.note,
    };
  }

  private async requireCheckpoint(size: number): Promise<PublishedCheckpoint> {
    const [found] = await this.checkpoints(size - 1, 1);
    if (!found || found.tree_size !== size) throw new DomainError('not_found', `No signed checkpoint has tree size ${size}.`);
    return found;
  }
}

