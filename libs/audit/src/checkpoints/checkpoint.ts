import { NoteError, NoteSigner, NoteVerifier, parseNote, verifiedSigners } from './signed-note';

/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the text of a signed note that states a
 * log's size and root hash, `<origin>\n<tree size>\n<base64 root hash>\n`. Aduan adds no
 * extension lines; the origin is the signing key's name.
 */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.treeSize}\n${c.rootHash.toString('base64')}\n`;
}

/** Parses a checkpoint's text (extension lines are allowed and ignored). */
export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new NoteError('a checkpoint is an origin, a size and a root hash, each on its own line');
  const [origin, size, root] = lines;
  const rootHash = Buffer.from(root, 'base64');
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(size) || rootHash.length !== 32 || rootHash.toString('base64') !== root) throw new NoteError('malformed checkpoint');
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) throw new NoteError('checkpoint size out of range');
  return { origin, treeSize, rootHash };
}

export function signCheckpoint(signer: NoteSigner, c: Checkpoint): string {
  return signer.sign(checkpointText(c));
}

/** A signed checkpoint read from a note, with whether the log's key signed it. */
export interface OpenedCheckpoint extends Checkpoint {
  note: string;
  signedByLog: boolean;
  /** the trusted witnesses whose valid cosignatures it carries */
  cosignedBy: string[];
}

/**
 * Reads a signed checkpoint note: the log's key must be among `logKeys` for `signedByLog`; the
 * origin must be the log key's name. Throws NoteError if the note or its text is malformed.
 */
export function openCheckpoint(note: string, logKeys: readonly NoteVerifier[], witnessKeys: readonly NoteVerifier[] = []): OpenedCheckpoint {
  const parsed = parseNote(note);
  const checkpoint = parseCheckpointText(parsed.text);
  const signedByLog = verifiedSigners(parsed, logKeys).some((k) => k.name === checkpoint.origin);
  return { ...checkpoint, note, signedByLog, cosignedBy: verifiedSigners(parsed, witnessKeys).map((k) => k.name) };
}
