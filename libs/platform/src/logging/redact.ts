/** What stands in for anything redacted. */
export const REDACTED = '[redacted]';

/** Fields whose values never reach a log line, whatever they hold (compared without case, `-` or `_`). */
const SECRET_KEYS = new Set(['password', 'passphrase', 'secret', 'token', 'accesstoken', 'refreshtoken', 'authorization', 'cookie', 'setcookie', 'accesscode', 'xaccesscode', 'apikey', 'reporter', 'name', 'phone', 'email', 'privacykey', 'signingkey']);

/**
 * Shapes of secrets that may sit inside free text (an error message, a URL): bearer and JSON web
 * tokens, Aduan's API keys and access codes, signed-note private keys, e-mail addresses and
 * Indonesian phone numbers (a reporter's identity).
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bBearer\s+[^\s"',;]+/gi,
  /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g,
  /\badn_[0-9A-Za-z]{16,}/g,
  /\bPRIVATE\+KEY\+\S+/g,
  // not the middle of a UUID (hex groups joined by '-')
  /(?<![\w-])[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}(?![\w-])/gi,
  /[^\s@"'<>()]+@[^\s@"'<>()]+\.[a-z]{2,}/gi,
  /(?<![\w-])(?:\+62|62|0)8[\d -]{7,14}\d/g,
];

function normalKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** A string with every secret-shaped part replaced. */
export function redactText(text: string): string {
  return SECRET_PATTERNS.reduce((out, pattern) => out.replace(pattern, REDACTED), text);
}

/** A copy of `value` fit for a log line: secret fields dropped to REDACTED, strings scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[…]';
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEYS.has(normalKey(key)) ? REDACTED : redact(v, depth + 1);
  return out;
}
