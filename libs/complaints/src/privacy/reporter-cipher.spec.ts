import { randomBytes } from 'node:crypto';
import { AccessCodeHasher, ReporterCipher } from './reporter-cipher';

describe('ReporterCipher', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const identity = { name: 'Siti Aminah', phone: '081234567890', email: 'siti@example.id' };

  it('round-trips an identity and never stores it in clear', () => {
    const cipher = new ReporterCipher(new Map([['k1', k1]]), 'k1');
    const sealed = cipher.seal(identity, 'complaint-1');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.toContain('Siti');
    expect(cipher.open(sealed, 'complaint-1')).toEqual(identity);
  });

  it('refuses a ciphertext moved to another complaint or altered', () => {
    const cipher = new ReporterCipher(new Map([['k1', k1]]), 'k1');
    const sealed = cipher.seal(identity, 'complaint-1');
    expect(() => cipher.open(sealed, 'complaint-2')).toThrow();
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => cipher.open({ ...sealed, ciphertext: raw.toString('base64') }, 'complaint-1')).toThrow();
  });

  it('reads rows sealed with an older key after rotation', () => {
    const old = new ReporterCipher(new Map([['k1', k1]]), 'k1').seal(identity, 'c');
    const rotated = new ReporterCipher(new Map([['k1', k1], ['k2', k2]]), 'k2');
    expect(rotated.open(old, 'c')).toEqual(identity);
    expect(rotated.seal(identity, 'c').keyId).toBe('k2');
  });
});

describe('AccessCodeHasher', () => {
  it('matches only the right code', () => {
    const hasher = new AccessCodeHasher('s'.repeat(32));
    const stored = hasher.hash('ABCDEFGH1JK0');
    expect(hasher.matches('ABCDEFGH1JK0', stored)).toBe(true);
    expect(hasher.matches('ABCDEFGH1JK1', stored)).toBe(false);
    expect(hasher.matches('ABCDEFGH1JK0', 'abc')).toBe(false);
  });
});
