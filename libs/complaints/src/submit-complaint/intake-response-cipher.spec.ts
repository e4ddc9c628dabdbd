import { IntakeResponseCipher } from './intake-response-cipher';

describe('IntakeResponseCipher', () => {
  const keys = new Map([['k1', Buffer.alloc(32, 1)], ['k2', Buffer.alloc(32, 2)]]);
  const response = { trackingNumber: 'ADN-261122-7K3QX9', accessCode: 'FFC0-2KBJ-J6FG', submittedAt: '2026-11-22T07:00:00.000Z' };

  it('opens what it sealed, and the ciphertext does not show the access code', () => {
    const cipher = new IntakeResponseCipher(keys, 'k1');
    const sealed = cipher.seal(response, 'idempotency-key\nabc');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.toContain('FFC0');
    expect(cipher.open(sealed, 'idempotency-key\nabc')).toEqual(response);
  });

  it('refuses a sealed answer moved to another key binding', () => {
    const cipher = new IntakeResponseCipher(keys, 'k1');
    const sealed = cipher.seal(response, 'idempotency-key\nabc');
    expect(() => cipher.open(sealed, 'idempotency-key\nabd')).toThrow();
  });

  it('reads answers sealed under an older key after rotation', () => {
    const sealed = new IntakeResponseCipher(keys, 'k1').seal(response, 'b');
    expect(new IntakeResponseCipher(keys, 'k2').open(sealed, 'b')).toEqual(response);
  });

  it('does not use the privacy key itself (a key derived for this purpose only)', () => {
    const sealed = new IntakeResponseCipher(keys, 'k1').seal(response, 'b');
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    const { createDecipheriv } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const d = createDecipheriv('aes-256-gcm', keys.get('k1')!, raw.subarray(0, 12));
    d.setAAD(Buffer.from('b'));
    d.setAuthTag(raw.subarray(12, 28));
    d.update(raw.subarray(28));
    expect(() => d.final()).toThrow();
  });
});
