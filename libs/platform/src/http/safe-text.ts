import { z } from 'zod';

/** C0 control characters other than tab, line feed and carriage return (PostgreSQL text cannot even hold NUL). */
export function hasControlCharacters(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}

/** Free text a person writes: trimmed, `min`–`max` characters, no control characters. */
export function safeText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !hasControlCharacters(s), 'must not contain control characters');
}
