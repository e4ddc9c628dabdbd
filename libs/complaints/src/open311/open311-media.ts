import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** How long a photo link in an update stays good: the client fetches it when it reads the update. */
export const MEDIA_URL_TTL_MS = 24 * 3600_000;
const HOUR_MS = 3600_000;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

/** What a signed photo link names: the photo, the client it was handed to, and when it lapses. */
export interface MediaGrant {
  attachmentId: string;
  apiKeyId: string;
  /** Unix seconds */
  expires: number;
}

/**
 * Signs the photo links (`media_url`) of a client's updates. Open311 clients fetch `media_url` as a
 * plain GET (FixMyStreet does), so the link itself must carry the right to read the photo: an HMAC
 * over the photo, the client's key id and an expiry, under a key derived (HKDF) from
 * ACCESS_CODE_SECRET for this purpose alone. The photo is served only while the key is unrevoked
 * and the complaint is the client's.
 */
export class Open311MediaSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'aduan/open311-media/v1', 32));
  }

  /** A grant valid for at least MEDIA_URL_TTL_MS, its expiry rounded up to the hour so repeated reads give the same link. */
  grant(attachmentId: string, apiKeyId: string, now: Date = new Date()): MediaGrant & { signature: string } {
    const expires = Math.ceil((now.getTime() + MEDIA_URL_TTL_MS) / HOUR_MS) * (HOUR_MS / 1000);
    const grant = { attachmentId, apiKeyId, expires };
    return { ...grant, signature: this.sign(grant) };
  }

  /** True when the signature is this signer's for exactly this grant and the grant has not lapsed. */
  verify(grant: MediaGrant, signature: string, now: Date = new Date()): boolean {
    if (!SIGNATURE.test(signature) || !Number.isSafeInteger(grant.expires) || grant.expires * 1000 < now.getTime()) return false;
    return timingSafeEqual(Buffer.from(this.sign(grant)), Buffer.from(signature));
  }

  private sign({ attachmentId, apiKeyId, expires }: MediaGrant): string {
    return createHmac('sha256', this.key).update(`${attachmentId}\n${apiKeyId}\n${expires}`).digest('base64url');
  }
}
