import { openCheckpoint } from '../checkpoints/checkpoint';
import { NoteError, NoteVerifier } from '../checkpoints/signed-note';
import { consistencyProof, Sql } from '../merkle/tree-store';

export interface WitnessLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The body of a C2SP tlog-witness add-checkpoint request. */
export function addCheckpointBody(oldSize: number, proof: readonly Buffer[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${note}`;
}

/**
 * Pushes each new checkpoint to the witnesses (C2SP tlog-witness). On 409 the proof is made again
 * from the size the witness holds; a witness ahead of the log means the log was cut back or forked.
 */
export class WitnessClient {
  private readonly known = new Map<string, number>();

  constructor(
    private readonly db: Sql,
    private readonly urls: readonly string[],
    private readonly witnessKeys: readonly NoteVerifier[],
    private readonly timeoutMs: number,
    private readonly logger: WitnessLog,
  ) {}

  get configured(): boolean {
    return this.urls.length > 0;
  }

  /** The size each witness is known to hold (after a successful add or a 409). */
  heldBy(url: string): number | undefined {
    return this.known.get(url);
  }

  /** Sends a checkpoint to every witness that does not hold it yet; never rejects. */
  async push(checkpoint: { treeSize: number; note: string }): Promise<void> {
    await Promise.all(this.urls.filter((url) => (this.known.get(url) ?? -1) < checkpoint.treeSize).map((url) => this.pushTo(url, checkpoint, true)));
  }

  private async pushTo(url: string, checkpoint: { treeSize: number; note: string }, retry: boolean): Promise<void> {
    const oldSize = this.known.get(url) ?? 0;
    try {
      const proof = oldSize > 0 && oldSize < checkpoint.treeSize ? await consistencyProof(this.db, oldSize, checkpoint.treeSize) : [];
      const response = await fetch(`${url.replace(/\/+$/, '')}/add-checkpoint`, {
        method: 'POST',
        body: addCheckpointBody(oldSize, proof, checkpoint.note),
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      if (response.status === 200) {
        this.known.set(url, checkpoint.treeSize);
        await this.keepCosignatures(checkpoint, text, url);
        return;
      }
      if (response.status === 409 && /^\d+\n?$/.test(text)) {
        const held = Number(text.trim());
        if (held > checkpoint.treeSize) {
          this.logger.error(`witness ${url} holds a tree of ${held} leaves, more than the log's ${checkpoint.treeSize}: the audit log was cut back or forked; run verify with the witness's copies`);
          return;
        }
        this.known.set(url, held);
        if (retry && held !== oldSize) return this.pushTo(url, checkpoint, false);
      }
      this.logger.warn(`witness ${url} refused the checkpoint of size ${checkpoint.treeSize}: HTTP ${response.status} ${text.slice(0, 200).trim()}`);
    } catch (error) {
      this.logger.warn(`witness ${url} is unreachable (${error instanceof Error ? error.message : String(error)}); the next checkpoint tries again`);
    }
  }

  /** Keeps the cosignature lines that verify against a configured witness key; others are ignored, as the protocol says. */
  private async keepCosignatures(checkpoint: { treeSize: number; note: string }, body: string, url: string): Promise<void> {
    const lines = body.split('\n').filter((l) => l.startsWith('\u2014 ')).map((l) => `${l}\n`);
    for (const line of lines) {
      const [witness] = cosignersOf(checkpoint.note + line, this.witnessKeys);
      if (!witness) continue;
      await this.db.query(`INSERT INTO audit_cosignature (tree_size, witness, line) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [checkpoint.treeSize, witness, line]);
    }
    if (lines.length > 0 && this.witnessKeys.length === 0) this.logger.log(`witness ${url} cosigned size ${checkpoint.treeSize}; set AUDIT_WITNESS_KEYS to keep its cosignatures`);
  }
}

function cosignersOf(note: string, witnessKeys: readonly NoteVerifier[]): string[] {
  try {
    return openCheckpoint(note, [], witnessKeys).cosignedBy;
  } catch (error) {
    if (error instanceof NoteError) return [];
    throw error;
  }
}
