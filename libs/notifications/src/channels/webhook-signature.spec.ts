import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const secret = 'a-shared-secret-of-at-least-32-characters';
  const rawBody = JSON.stringify({ id: 'n-1', subject: 'Pengaduan ADN-261122-ABCDEF diteruskan / Complaint passed on' });
  const now = new Date('2026-11-22T03:00:00Z');
  const timestamp = Math.floor(now.getTime() / 1000);
  const signature = signWebhook(secret, timestamp, rawBody);
  const check = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) =>
    verifyWebhookSignature({ secret, rawBody, timestamp: String(timestamp), signature, now, ...over });

  it('is sha256=<hex> of HMAC-SHA256 over "<timestamp>.<raw body>"', () => {
    expect(signature).toBe(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
    expect(check()).toBe(true);
  });

  it('refuses a changed body, another secret, a forged or missing signature', () => {
    expect(check({ rawBody: rawBody.replace('n-1', 'n-2') })).toBe(false);
    expect(check({ rawBody: `${rawBody} ` })).toBe(false);
    expect(check({ secret: `${secret}x` })).toBe(false);
    expect(check({ signature: signature.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })).toBe(false);
    expect(check({ signature: signature.slice(0, -2) })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ timestamp: undefined })).toBe(false);
  });

  it('refuses a replay: the same request later, or its signature under a fresh timestamp', () => {
    expect(check({ now: new Date(now.getTime() + 299_000) })).toBe(true);
    expect(check({ now: new Date(now.getTime() + 301_000) })).toBe(false);
    expect(check({ now: new Date(now.getTime() + 3_600_000), timestamp: String(timestamp + 3600) })).toBe(false);
    expect(check({ timestamp: `${timestamp}.5` })).toBe(false);
  });
});
