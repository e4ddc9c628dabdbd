import { createHmac, hkdfSync } from 'node:crypto';

/**
 * Keyed hash of a delivery address, for the ledger: it proves which address a notice went to
 * ("was it sent to x?" can be checked by hashing x) without storing the address. The key is
 * derived from the privacy key, so nobody without it can run a dictionary of addresses.
 */
export class AddressHasher {
  private readonly key: Buffer;

  constructor(privacyKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', privacyKey, Buffer.alloc(0), 'aduan notification address', 32));
  }

  hash(address: string): string {
    return createHmac('sha256', this.key).update(address.trim().toLowerCase()).digest('hex');
  }
}
