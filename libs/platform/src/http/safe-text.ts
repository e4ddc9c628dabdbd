import { z } from 'zod';

/** C0 control characters other than tab, line feed and carriage return (PostgreSQL text cannot even hold NUL). */
export function hasControlCharacters(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}

/*
 * What shows nothing on its own: default-ignorable code points (zero-width spaces and joiners,
 * word joiner, BOM, bidi controls, variation selectors, soft hyphen, Hangul fillers), other format
 * characters, control characters other than tab and line breaks (which are white space), combining
 * marks (drawn on the character before them, so never a character of their own) and the blank
 * braille pattern. The web pages count with the same definition (`visibleLength` in
 * apps/api/src/web/public/common.js).
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{M}\p{Cc}\u2800]/gu;
const TAB_OR_BREAK = /[\t\n\v\f\r]/u;
const WHITE_SPACE = /\s+/gu;

/**
 * The characters a reader sees in `text`, as Aduan counts text everywhere: after NFC
 * normalisation, invisible characters (INVISIBLE) count for nothing, each run of white space
 * between words counts as one, and white space at either end not at all. Ten zero-width spaces
 * are 0; `Jalan  rusak` is 11; `é` is 1 whether typed as one code point or as `e` and an accent.
 */
export function visibleLength(text: string): number {
  const seen = text.normalize('NFC').replace(INVISIBLE, (c) => (TAB_OR_BREAK.test(c) ? c : ''));
  return [...seen.replace(WHITE_SPACE, ' ').trim()].length;
}

/**
 * Free text a person writes (a description, reason, question, note, reply, name): stored NFC
 * normalised and trimmed, without control characters, `min`–`max` visible characters
 * (visibleLength). The raw text may be at most four times `max` UTF-16 units, so padding of
 * invisible characters cannot make it arbitrarily long.
 */
export function safeText(min: number, max: number) {
  const visible = min > 1 ? `at least ${min} visible characters` : 'visible text';
  return z
    .string()
    .max(max * 4, `must be at most ${max} characters`)
    .overwrite((s) => s.normalize('NFC').trim())
    .refine((s) => !hasControlCharacters(s), 'must not contain control characters')
    .refine((s) => min === 0 || visibleLength(s) >= min, `must contain ${visible}`)
    .refine((s) => visibleLength(s) <= max, `must be at most ${max} characters`)
    .describe(`${min}–${max} visible characters (invisible characters such as zero-width spaces do not count)`);
}
