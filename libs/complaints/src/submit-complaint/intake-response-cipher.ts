import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What a repeated request must get back: the first answer, word for word. */
export interface StoredIntakeResponse {
  trackingNumber: string;
  accessCode: string;
  submittedAt: string;
}

export interface SealedIntakeResponse {
  keyId: string;
  /** base64(iv ‖ tag ‖ ciphertext) */
  ciphertext: string;
}

/**
 * Seals the first answer to an idempotent intake, so a retry gets the same access code while the
 * database holds no readable code. Uses its own key, derived (HKDF) from each privacy key, so
 * this purpose and reporter identities never share a key; the key id travels for rotation.
 */
export class IntakeResponseCipher {
  private readonly keys = new Map<string, Buffer>();

  constructor(privacyKeys: ReadonlyMap<string, Buffer>, private readonly currentKeyId: string) {
    for (const [id, key] of privacyKeys) {
      this.keys.set(id, Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'aduan/intake-response/v1', 32)));
    }
    if (!this.keys.has(currentKeyId)) throw new Error('the current privacy key is not configured');
  }

  /** `binding` (scope and key) is associated data: a sealed answer cannot be moved to another key. */
  seal(response: StoredIntakeResponse, binding: string): SealedIntakeResponse {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(binding, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(response), 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  open(sealed: SealedIntakeResponse, binding: string): StoredIntakeResponse {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`privacy key ${sealed.keyId} is not configured`);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as StoredIntakeResponse;
  }
}
