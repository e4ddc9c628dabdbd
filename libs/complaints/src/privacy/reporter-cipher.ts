import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface ReporterIdentity {
  name?: string;
  phone?: string;
  email?: string;
}

export interface SealedIdentity {
  keyId: string;
  /** base64(iv ‖ tag ‖ ciphertext) */
  ciphertext: string;
}

/**
 * AES-256-GCM for reporter identities. The key id travels with each ciphertext so keys can rotate:
 * new writes use the current key, reads look up the key the row names.
 */
export class ReporterCipher {
  constructor(private readonly keys: ReadonlyMap<string, Buffer>, private readonly currentKeyId: string) {
    const key = keys.get(currentKeyId);
    if (!key || key.length !== 32) throw new Error('the current privacy key must be 32 bytes');
  }

  seal(identity: ReporterIdentity, complaintId: string): SealedIdentity {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    // Binding the complaint id as associated data stops a ciphertext being moved to another row.
    cipher.setAAD(Buffer.from(complaintId));
    const body = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  open(sealed: SealedIdentity, complaintId: string): ReporterIdentity {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`privacy key ${sealed.keyId} is not configured`);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(complaintId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as ReporterIdentity;
  }
}

/** Access codes are high-entropy, so a keyed hash (not a slow password hash) is the right tool. */
export class AccessCodeHasher {
  constructor(private readonly secret: string) {}

  hash(normalizedCode: string): string {
    return createHmac('sha256', this.secret).update(normalizedCode).digest('hex');
  }

  matches(normalizedCode: string, storedHash: string): boolean {
    const a = Buffer.from(this.hash(normalizedCode), 'hex');
    const b = Buffer.from(storedHash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
