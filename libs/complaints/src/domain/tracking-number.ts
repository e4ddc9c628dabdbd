import { randomInt } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so codes survive being read aloud or copied by hand. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomChars(n: number): string {
  let out = '';
  for (let i = 0; i < n; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** `ADN-yymmdd-XXXXXX`: the date (UTC+7) makes it readable, six random characters make it unique. */
export function newTrackingNumber(at: Date): string {
  const wib = new Date(at.getTime() + 7 * 3600_000).toISOString();
  return `ADN-${wib.slice(2, 4)}${wib.slice(5, 7)}${wib.slice(8, 10)}-${randomChars(6)}`;
}

export const TRACKING_NUMBER_PATTERN = /^ADN-\d{6}-[0-9A-HJKMNP-TV-Z]{6}$/;

/** The resident's secret: 12 characters (60 bits) shown in groups of four. */
export function newAccessCode(): string {
  const raw = randomChars(12);
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** Accepts what a person types: any case, with or without dashes or spaces; maps look-alikes. */
export function normalizeAccessCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}
