import type { AppConfig } from '@aduan/platform';
import { readFileSync } from 'node:fs';
import { NoteError, NoteSigner, NoteVerifier, parseVerifierKey } from './signed-note';

/** The checkpoint signing key from AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE; null if neither is set. */
export function loadLogSigner(config: Pick<AppConfig, 'AUDIT_SIGNING_KEY' | 'AUDIT_SIGNING_KEY_FILE'>): NoteSigner | null {
  let text = config.AUDIT_SIGNING_KEY;
  if (!text && config.AUDIT_SIGNING_KEY_FILE) {
    try {
      text = readFileSync(config.AUDIT_SIGNING_KEY_FILE, 'utf8').trim();
    } catch (error) {
      throw new NoteError(`AUDIT_SIGNING_KEY_FILE cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  if (!text) return null;
  try {
    return NoteSigner.parse(text);
  } catch (error) {
    throw new NoteError(`AUDIT_SIGNING_KEY: ${(error as Error).message}`);
  }
}

/** The log's public key: AUDIT_VERIFIER_KEY, else derived from the signing key; null if neither is set. */
export function loadLogVerifier(config: Pick<AppConfig, 'AUDIT_SIGNING_KEY' | 'AUDIT_SIGNING_KEY_FILE' | 'AUDIT_VERIFIER_KEY'>): NoteVerifier | null {
  if (config.AUDIT_VERIFIER_KEY) {
    const verifier = parseVerifierKey(config.AUDIT_VERIFIER_KEY);
    const signer = loadLogSigner(config);
    if (signer && signer.verifierKey !== verifier.key) throw new NoteError('AUDIT_VERIFIER_KEY is not the public key of AUDIT_SIGNING_KEY');
    return verifier;
  }
  const signer = loadLogSigner(config);
  return signer ? parseVerifierKey(signer.verifierKey) : null;
}
