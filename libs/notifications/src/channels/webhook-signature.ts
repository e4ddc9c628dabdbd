import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed webhook request (lower-case, as Node reads them). */
export const WEBHOOK_SIGNATURE_HEADER = 'x-aduan-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-aduan-timestamp';
export const WEBHOOK_NOTIFICATION_HEADER = 'x-aduan-notification';

/** How far a request's timestamp may be from the receiver's clock before it counts as a replay. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<raw body>"). The timestamp (Unix seconds,
 * also sent as `X-Aduan-Timestamp`) is inside the signed material, so an old request cannot be
 * replayed with a fresh timestamp, and a receiver refuses one whose timestamp is stale.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * What a receiver runs on each request: true only if the signature matches the raw body (the
 * bytes received, before any JSON parsing) and the timestamp is within the tolerance.
 */
export function verifyWebhookSignature(input: {
  secret: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  now?: Date;
  toleranceSeconds?: number;
}): boolean {
  const { secret, rawBody, timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > (input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
