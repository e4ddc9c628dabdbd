import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openCheckpoint, OpenedCheckpoint } from '../checkpoints/checkpoint';
import { NoteError, NoteSigner, NoteVerifier, parseVerifierKey, splitNotes } from '../checkpoints/signed-note';
import { verifyConsistency } from '../merkle/merkle';
import type { OutsideCheckpoint } from '../verify/audit-verifier';

/** Why a checkpoint was not taken: the witness's answer (C2SP tlog-witness status codes). */
export type Refusal =
  | { status: 400; reason: string }
  | { status: 403; reason: string }
  | { status: 404; reason: string }
  | { status: 409; reason: string; held: number }
  | { status: 422; reason: string };

/**
 * A witness's directory outside Aduan (layout in docs/audit.md, "Running a witness"): it accepts
 * only checkpoints signed by the pinned key and consistent with the one before.
 */
export class CheckpointStore {
  private lockFile: string | null = null;

  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  }

  /** One witness process per directory: a lock file, removed by `close`. */
  lock(): void {
    const file = join(this.dir, '.lock');
    try {
      closeSync(openSync(file, 'wx'));
    } catch {
      throw new Error(`another witness is using ${this.dir} (remove ${file} if none is running)`);
    }
    this.lockFile = file;
  }

  close(): void {
    if (this.lockFile) rmSync(this.lockFile, { force: true });
    this.lockFile = null;
  }

  /** The pinned log key; pins `offered` if none is pinned yet. Throws if `offered` differs from the pinned one. */
  pinLogKey(offered: string | null): NoteVerifier | null {
    const file = join(this.dir, 'log.vkey');
    const pinned = existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
    if (pinned && offered && pinned !== offered.trim()) {
      throw new NoteError(`the log's key changed: ${this.dir}/log.vkey holds ${pinned}, the log now offers ${offered.trim()}. A log does not change keys silently; find out why before trusting it.`);
    }
    if (!pinned && offered) this.write('log.vkey', `${parseVerifierKey(offered).key}\n`);
    const key = pinned ?? offered;
    return key ? parseVerifierKey(key) : null;
  }

  /** This witness's cosigning key, made on first use. */
  witnessSigner(name: string): NoteSigner {
    const file = join(this.dir, 'witness.key');
    if (!existsSync(file)) writeFileSync(file, `${NoteSigner.generate(name).signerKey}\n`, { mode: 0o600 });
    return NoteSigner.parse(readFileSync(file, 'utf8').trim());
  }

  latest(logKey: NoteVerifier): OpenedCheckpoint | null {
    const file = join(this.dir, 'latest.note');
    return existsSync(file) ? openCheckpoint(readFileSync(file, 'utf8'), [logKey]) : null;
  }

  /**
   * Takes `note` if the log's key signed it and `proof` shows it extends the latest one held
   * (checked against `oldSize`, the size the sender believes is held). Persists before returning.
   */
  accept(note: string, logKey: NoteVerifier, oldSize: number, proof: readonly Buffer[]): { accepted: OpenedCheckpoint } | Refusal {
    let opened: OpenedCheckpoint;
    try {
      opened = openCheckpoint(note, [logKey]);
    } catch (error) {
      return { status: 400, reason: (error as Error).message };
    }
    if (opened.origin !== logKey.name) return { status: 404, reason: `unknown log ${opened.origin}` };
    if (!opened.signedByLog) return { status: 403, reason: 'no valid signature by the log\u2019s key' };
    if (oldSize > opened.treeSize) return { status: 400, reason: 'old size is larger than the checkpoint' };
    const latest = this.latest(logKey);
    const held = latest?.treeSize ?? 0;
    if (oldSize !== held) return { status: 409, reason: `this witness holds size ${held}`, held };
    if (latest && !verifyConsistency(latest.treeSize, opened.treeSize, latest.rootHash, opened.rootHash, proof)) {
      this.alert('inconsistent', `The checkpoint below does not extend the one held (size ${latest.treeSize}):\n\n--- held\n${latest.note}\n--- offered\n${note}\n--- proof\n${proof.map((p) => p.toString('base64')).join('\n')}\n`);
      return { status: 422, reason: `no valid consistency proof from ${latest.treeSize} to ${opened.treeSize}` };
    }
    if (!latest || opened.treeSize > latest.treeSize) {
      this.write(join('checkpoints', `${String(opened.treeSize).padStart(20, '0')}.note`), note);
      this.write('latest.note', note);
    }
    return { accepted: opened };
  }

  /** Writes evidence of misbehaviour to alerts/, and returns its path. */
  alert(kind: string, text: string): string {
    mkdirSync(join(this.dir, 'alerts'), { recursive: true });
    const name = join('alerts', `${new Date().toISOString().replace(/[:.]/g, '-')}-${kind}.txt`);
    this.write(name, text);
    return join(this.dir, name);
  }

  /** Atomic: a reader never sees half a file. */
  private write(relative: string, content: string): void {
    const target = join(this.dir, relative);
    const temp = `${target}.tmp-${process.pid}`;
    writeFileSync(temp, content);
    renameSync(temp, target);
  }
}

/** Reads checkpoints kept outside the database: a witness directory, any directory of note files, or one file of notes. */
export function readOutsideCheckpoints(path: string): OutsideCheckpoint[] {
  if (!statSync(path).isDirectory()) return splitNotes(readFileSync(path, 'utf8')).map((note, i) => ({ note, source: `${basename(path)}#${i + 1}` }));
  const dir = existsSync(join(path, 'checkpoints')) ? join(path, 'checkpoints') : path;
  return readdirSync(dir)
    .filter((f) => statSync(join(dir, f)).isFile() && !f.includes('.tmp-'))
    .sort()
    .flatMap((f) => splitNotes(readFileSync(join(dir, f), 'utf8')).map((note) => ({ note, source: join(basename(dir), f) })));
}

/** The log key a witness directory pinned, if `path` is one. */
export function pinnedLogKey(path: string): string | null {
  const file = join(path, 'log.vkey');
  return existsSync(file) && statSync(path).isDirectory() ? readFileSync(file, 'utf8').trim() : null;
}
