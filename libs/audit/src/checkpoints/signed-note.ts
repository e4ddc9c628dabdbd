import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';

/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519, byte for byte as Go's
 * golang.org/x/mod/sumdb/note reads and writes notes and keys (tools/tlog-crosscheck checks it).
 */

const ALG_ED25519 = 0x01;
/** C2SP tlog-cosignature: a witness's timestamped Ed25519 signature. */
const ALG_COSIGNATURE_V1 = 0x04;
const EM_DASH = '\u2014';
// RFC 8410 wrappers around a raw 32-byte Ed25519 key, so node:crypto can use it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class NoteError extends Error {}

/** A name may not be empty, nor contain a space or a plus (signed-note §Keys). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

/** Splits off the first `count` fields at '+'; the rest (base64, which may hold '+') is the last field. */
function splitKey(key: string, count: number): string[] {
  const parts = key.split('+');
  return parts.length <= count ? parts : [...parts.slice(0, count), parts.slice(count).join('+')];
}

function keyId(name: string, algorithm: number, publicKey: Buffer): Buffer {
  return createHash('sha256').update(name).update(Buffer.from([0x0a, algorithm])).update(publicKey).digest().subarray(0, 4);
}

function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'der', type: 'spki' })).subarray(SPKI_ED25519_PREFIX.length);
}

/** Checks a note signature: the log's Ed25519 key, or a witness's cosignature key. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Buffer;
  /** the verifier key text */
  readonly key: string;
  verify(text: string, signature: Buffer): boolean;
}

export class NoteSigner {
  private constructor(readonly name: string, private readonly privateKey: KeyObject, readonly publicKey: Buffer) {}

  /** Reads a `PRIVATE+KEY+…` signer key; the key hash in it must match the key. */
  static parse(signerKey: string): NoteSigner {
    const parts = splitKey(signerKey.trim(), 4);
    if (parts.length !== 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new NoteError('a signer key reads PRIVATE+KEY+<name>+<hex key hash>+<base64 key>');
    const [, , name, hash, body] = parts;
    const raw = Buffer.from(body, 'base64');
    if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(hash) || raw.length !== 33 || raw[0] !== ALG_ED25519) throw new NoteError('the signer key is not an Ed25519 signed-note key');
    const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, raw.subarray(1)]), format: 'der', type: 'pkcs8' });
    const signer = new NoteSigner(name, privateKey, rawPublicKey(createPublicKey(privateKey)));
    if (signer.keyId.toString('hex') !== hash) throw new NoteError('the signer key\u2019s hash does not match its key');
    return signer;
  }

  /** A fresh key pair for a log or witness name (e.g. `aduan.serangkota.go.id/audit`). */
  static generate(name: string): { signerKey: string; verifierKey: string } {
    if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`);
    const { privateKey } = generateKeyPairSync('ed25519');
    const seed = Buffer.from(privateKey.export({ format: 'der', type: 'pkcs8' })).subarray(PKCS8_ED25519_PREFIX.length);
    const signerKey = `PRIVATE+KEY+${name}+${keyId(name, ALG_ED25519, rawPublicKey(createPublicKey(privateKey))).toString('hex')}+${Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64')}`;
    return { signerKey, verifierKey: NoteSigner.parse(signerKey).verifierKey };
  }

  get keyId(): Buffer {
    return keyId(this.name, ALG_ED25519, this.publicKey);
  }

  get verifierKey(): string {
    return `${this.name}+${this.keyId.toString('hex')}+${Buffer.concat([Buffer.from([ALG_ED25519]), this.publicKey]).toString('base64')}`;
  }

  /** The signature line of `text` (a note text, ending in a newline). */
  signatureLine(text: string): string {
    if (!text.endsWith('\n')) throw new NoteError('a note text ends with a newline');
    const signature = sign(null, Buffer.from(text, 'utf8'), this.privateKey);
    return `${EM_DASH} ${this.name} ${Buffer.concat([this.keyId, signature]).toString('base64')}\n`;
  }

  /** The whole signed note. */
  sign(text: string): string {
    return `${text}\n${this.signatureLine(text)}`;
  }

  /** A C2SP tlog-cosignature/v1 line over a checkpoint, as a witness returns it from add-checkpoint. */
  cosignatureLine(checkpointText: string, at: Date = new Date()): string {
    const time = BigInt(Math.floor(at.getTime() / 1000));
    const signed = cosignedMessage(checkpointText, time);
    const stamp = Buffer.alloc(8);
    stamp.writeBigUInt64BE(time);
    const signature = sign(null, Buffer.from(signed, 'utf8'), this.privateKey);
    return `${EM_DASH} ${this.name} ${Buffer.concat([keyId(this.name, ALG_COSIGNATURE_V1, this.publicKey), stamp, signature]).toString('base64')}\n`;
  }

  /** The cosignature verifier key of this key: `<name>+<hash>+<base64(0x04 ‖ public key)>`. */
  get cosignatureVerifierKey(): string {
    return `${this.name}+${keyId(this.name, ALG_COSIGNATURE_V1, this.publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ALG_COSIGNATURE_V1]), this.publicKey]).toString('base64')}`;
  }
}

/** What a cosignature/v1 signs: a header, the time, then the whole checkpoint text. */
function cosignedMessage(checkpointText: string, time: bigint): string {
  return `cosignature/v1\ntime ${time}\n${checkpointText}`;
}

/** Reads a verifier key: Ed25519 (0x01) for a log, cosignature/v1 (0x04) for a witness. */
export function parseVerifierKey(verifierKey: string): NoteVerifier {
  const key = verifierKey.trim();
  const parts = splitKey(key, 2);
  if (parts.length !== 3) throw new NoteError('a verifier key reads <name>+<hex key hash>+<base64 key>');
  const [name, hash, body] = parts;
  const raw = Buffer.from(body, 'base64');
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(hash) || raw.length !== 33 || (raw[0] !== ALG_ED25519 && raw[0] !== ALG_COSIGNATURE_V1)) {
    throw new NoteError('the verifier key is not an Ed25519 or cosignature/v1 signed-note key');
  }
  const algorithm = raw[0];
  const publicKey = raw.subarray(1);
  const id = keyId(name, algorithm, publicKey);
  if (id.toString('hex') !== hash) throw new NoteError('the verifier key\u2019s hash does not match its key');
  const object = publicKeyObject(publicKey);
  return {
    name,
    keyId: id,
    key,
    verify(text, signature) {
      if (algorithm === ALG_ED25519) return signature.length === 64 && verify(null, Buffer.from(text, 'utf8'), object, signature);
      if (signature.length !== 72) return false;
      return verify(null, Buffer.from(cosignedMessage(text, signature.readBigUInt64BE(0)), 'utf8'), object, signature.subarray(8));
    },
  };
}

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  keyId: Buffer;
  signature: Buffer;
  line: string;
}

/** A note split into its text and signature lines (nothing verified yet). */
export interface ParsedNote {
  text: string;
  signatures: NoteSignature[];
}

/** Splits a signed note; throws NoteError on anything malformed. */
export function parseNote(note: string): ParsedNote {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new NoteError('a signed note is its text, a blank line and signature lines');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures = lines.map((line) => {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) throw new NoteError('a signature line reads \u2014 <name> <base64>');
    const blob = Buffer.from(match[2], 'base64');
    if (blob.length < 5) throw new NoteError('a signature is too short');
    return { name: match[1], keyId: blob.subarray(0, 4), signature: blob.subarray(4), line: `${line}\n` };
  });
  if (signatures.length === 0) throw new NoteError('a signed note has at least one signature');
  return { text, signatures };
}

/** The verifiers whose signatures on `note` are valid (unknown keys are ignored, as the format says). */
export function verifiedSigners(note: ParsedNote, verifiers: readonly NoteVerifier[]): NoteVerifier[] {
  return verifiers.filter((v) => note.signatures.some((s) => s.name === v.name && s.keyId.equals(v.keyId) && v.verify(note.text, s.signature)));
}

/** Splits a file holding several signed notes one after another (each ends with its signature lines). */
export function splitNotes(content: string): string[] {
  const notes: string[] = [];
  let current: string[] = [];
  let inSignatures = false;
  for (const line of content.replace(/\r\n/g, '\n').split('\n')) {
    const isSignature = line.startsWith(`${EM_DASH} `);
    if (inSignatures && !isSignature) {
      notes.push(`${current.join('\n')}\n`);
      current = [];
      inSignatures = false;
      if (line === '') continue;
    }
    if (isSignature && current.length > 0 && current[current.length - 1] === '') inSignatures = true;
    current.push(line);
  }
  if (inSignatures) notes.push(`${current.join('\n')}\n`);
  return notes;
}
