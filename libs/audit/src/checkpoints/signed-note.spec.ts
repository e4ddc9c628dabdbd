import { checkpointText, openCheckpoint, parseCheckpointText, signCheckpoint } from './checkpoint';
import { NoteError, NoteSigner, parseNote, parseVerifierKey, splitNotes, verifiedSigners } from './signed-note';

// The signer key, verifier key and signed note of golang.org/x/mod/sumdb/note's own tests
// (note_test.go, TestSign and TestNewVerifier): Ed25519 is deterministic, so signing the same text
// with the same key must give the same bytes.
const GO_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

describe('C2SP signed notes', () => {
  it('signs exactly as Go\u2019s sumdb/note does, and derives the same verifier key', () => {
    const signer = NoteSigner.parse(GO_SIGNER_KEY);
    expect(signer.verifierKey).toBe(GO_VERIFIER_KEY);
    expect(signer.sign(GO_TEXT)).toBe(GO_NOTE);
    const verifier = parseVerifierKey(GO_VERIFIER_KEY);
    expect(verifiedSigners(parseNote(GO_NOTE), [verifier]).map((v) => v.name)).toEqual(['PeterNeumann']);
  });

  it('refuses a changed text, a changed signature, another key and malformed keys', () => {
    const verifier = parseVerifierKey(GO_VERIFIER_KEY);
    expect(verifiedSigners(parseNote(GO_NOTE.replace('cryptography', 'cryptographY')), [verifier])).toEqual([]);
    expect(verifiedSigners(parseNote(GO_NOTE.replace('x08go', 'x08gp')), [verifier])).toEqual([]);
    const other = NoteSigner.generate('PeterNeumann');
    expect(verifiedSigners(parseNote(GO_NOTE), [parseVerifierKey(other.verifierKey)])).toEqual([]);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(NoteError);
    expect(() => NoteSigner.parse('PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz')).toThrow(NoteError);
    expect(() => NoteSigner.generate('two words')).toThrow(NoteError);
    expect(() => parseNote('no signatures\n')).toThrow(NoteError);
  });

  it('generates keys that sign and verify', () => {
    const { signerKey, verifierKey } = NoteSigner.generate('aduan.example/audit');
    expect(signerKey).toMatch(/^PRIVATE\+KEY\+aduan\.example\/audit\+[0-9a-f]{8}\+/);
    const note = NoteSigner.parse(signerKey).sign('hello\n');
    expect(verifiedSigners(parseNote(note), [parseVerifierKey(verifierKey)])).toHaveLength(1);
  });

  it('reads several notes from one file', () => {
    const signer = NoteSigner.parse(GO_SIGNER_KEY);
    const a = signer.sign('a\n1\n');
    const b = signer.sign('b\n2\n');
    expect(splitNotes(`${a}${b}`)).toEqual([a, b]);
    expect(splitNotes(`${a}\n${b}\n`)).toEqual([a, b]);
  });
});

describe('C2SP checkpoints', () => {
  const signer = NoteSigner.parse(GO_SIGNER_KEY);
  const root = Buffer.alloc(32, 7);

  it('writes origin, size and base64 root hash on three lines and signs them', () => {
    const text = checkpointText({ origin: 'PeterNeumann', treeSize: 42, rootHash: root });
    expect(text).toBe(`PeterNeumann\n42\n${root.toString('base64')}\n`);
    const opened = openCheckpoint(signCheckpoint(signer, { origin: 'PeterNeumann', treeSize: 42, rootHash: root }), [parseVerifierKey(GO_VERIFIER_KEY)]);
    expect(opened).toMatchObject({ origin: 'PeterNeumann', treeSize: 42, signedByLog: true });
    expect(opened.rootHash.equals(root)).toBe(true);
  });

  it('refuses malformed checkpoint texts', () => {
    for (const bad of ['log\n042\nAAAA\n', `log\n-1\n${root.toString('base64')}\n`, `log\n1\n${root.toString('base64')}`, `\n1\n${root.toString('base64')}\n`, 'log\n1\nAAAA\n']) {
      expect(() => parseCheckpointText(bad)).toThrow(NoteError);
    }
  });

  it('accepts a witness cosignature/v1 only from the witness key it names', () => {
    const witness = NoteSigner.generate('witness.example/w1');
    const witnessSigner = NoteSigner.parse(witness.signerKey);
    const note = signCheckpoint(signer, { origin: 'PeterNeumann', treeSize: 3, rootHash: root });
    const text = parseNote(note).text;
    const cosigned = note + witnessSigner.cosignatureLine(text, new Date('2026-01-02T03:04:05Z'));
    const witnessKey = parseVerifierKey(witnessSigner.cosignatureVerifierKey);
    expect(openCheckpoint(cosigned, [parseVerifierKey(GO_VERIFIER_KEY)], [witnessKey]).cosignedBy).toEqual(['witness.example/w1']);
    // The cosignature's timestamp is signed: moving it breaks the signature.
    const line = cosigned.split('\n').filter(Boolean).pop()!;
    const blob = Buffer.from(line.split(' ')[2], 'base64');
    blob.writeBigUInt64BE(blob.readBigUInt64BE(4) + 1n, 4);
    const moved = `${note}\u2014 witness.example/w1 ${blob.toString('base64')}\n`;
    expect(openCheckpoint(moved, [parseVerifierKey(GO_VERIFIER_KEY)], [witnessKey]).cosignedBy).toEqual([]);
    // A plain Ed25519 key of the same name is not a cosignature key.
    expect(openCheckpoint(cosigned, [parseVerifierKey(GO_VERIFIER_KEY)], [parseVerifierKey(witness.verifierKey)]).cosignedBy).toEqual([]);
  });
});
