import { MEDIA_URL_TTL_MS, Open311MediaSigner } from './open311-media';

describe('Open311MediaSigner', () => {
  const signer = new Open311MediaSigner('a secret of at least thirty-two characters, for tests');
  const photo = '0b5b8f5e-7c1a-4a57-9a53-2f4a3d4c6e10';
  const client = '6f1f3c1e-2f0b-4a8e-8f43-1c3b5f8d9a21';
  const now = new Date('2026-11-22T07:15:00Z');

  it('signs a link that holds for at least a day, the same for a whole hour of reads', () => {
    const grant = signer.grant(photo, client, now);
    expect(grant.expires * 1000).toBeGreaterThanOrEqual(now.getTime() + MEDIA_URL_TTL_MS);
    expect(grant.expires * 1000).toBeLessThan(now.getTime() + MEDIA_URL_TTL_MS + 3600_000);
    expect(signer.grant(photo, client, new Date('2026-11-22T07:59:59Z'))).toEqual(grant);
    expect(signer.verify(grant, grant.signature, now)).toBe(true);
  });

  it('refuses a lapsed link, another photo, another client, another expiry and another secret', () => {
    const { signature, ...grant } = signer.grant(photo, client, now);
    expect(signer.verify(grant, signature, new Date(grant.expires * 1000 + 1000))).toBe(false);
    expect(signer.verify({ ...grant, attachmentId: client }, signature, now)).toBe(false);
    expect(signer.verify({ ...grant, apiKeyId: photo }, signature, now)).toBe(false);
    expect(signer.verify({ ...grant, expires: grant.expires + 3600 }, signature, now)).toBe(false);
    expect(new Open311MediaSigner('another secret of at least thirty-two characters').verify(grant, signature, now)).toBe(false);
    expect(signer.verify(grant, 'short', now)).toBe(false);
    expect(signer.verify(grant, `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`, now)).toBe(false);
  });
});
