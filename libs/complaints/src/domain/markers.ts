import { normalizePhrase, normalizeText, PhraseSet } from './phrase-match';

/**
 * Markers: phrases with which residents report an official demanding or taking money (pungli).
 * A complaint or a reply that contains one is treated as a complaint about an official: it goes
 * to the Inspektorat, and the offices it may concern cannot see it (see possibly-accused.ts).
 *
 * These are the defaults every tenant starts with; the Inspektorat of each tenant owns its list
 * (table `conflict_marker`) and adds or removes phrases. Matching ignores case, punctuation and
 * spacing ("Uang-Rokok", "uangrokok"), accepts the suffixes -nya/-lah/-kah/-pun, and `*` stands
 * for up to two other words ("minta * uang" also finds "minta sejumlah uang").
 */
export const DEFAULT_MARKERS: readonly string[] = Object.freeze([
  // The levy named as such.
  'pungli',
  'pungutan liar',
  'pungutan',
  'dipungut * biaya',
  'dipungut * uang',
  'memungut * biaya',
  'memungut * uang',
  // Money asked for. Not "memungut" alone: residents also use it for picking up rubbish.
  'minta * uang',
  'meminta * uang',
  'diminta * uang',
  'dimintai * uang',
  'dimintain * uang',
  'minta * duit',
  'dimintai * duit',
  'minta * imbalan',
  'meminta * imbalan',
  'dimintai * imbalan',
  'minta jatah',
  'minta fee',
  'minta amplop',
  // The usual euphemisms.
  'uang rokok',
  'uang kopi',
  'uang bensin',
  'uang lelah',
  'uang pelicin',
  'pelicin',
  'uang damai',
  'uang tutup mulut',
  'uang keamanan',
  'uang terima kasih',
  'salam tempel',
  'wani piro',
  // Payments without a lawful basis, and bribes.
  'biaya tambahan',
  'biaya tidak resmi',
  'biaya di luar ketentuan',
  'tanpa kuitansi',
  'tanpa kwitansi',
  'setoran',
  'upeti',
  'sogok',
  'sogokan',
  'suap',
  'menyuap',
  'disuap',
  'gratifikasi',
]);

/**
 * What an inspector may add: 1–6 words of letters or digits, at least one of three letters or more,
 * `*` only between words. Answers the stored (normalised) form, or a reason it is refused.
 */
export function validMarker(phrase: string): { ok: true; phrase: string } | { ok: false; message: string } {
  const normalized = normalizePhrase(phrase);
  const real = normalized.split(' ').filter((w) => w.length > 0 && w !== '*');
  if (real.length === 0) return { ok: false, message: 'must contain words' };
  if (phrase.split('*').some((part) => normalizeText(part) === '')) return { ok: false, message: '* may only stand between words' };
  if (real.length > 6) return { ok: false, message: 'at most 6 words' };
  if (!real.some((w) => /^[a-z]{3,}$/.test(w))) return { ok: false, message: 'needs a word of at least 3 letters' };
  return { ok: true, phrase: normalized };
}

/** A tenant's markers, compiled once per refresh. */
export class MarkerSet {
  private readonly phrases: PhraseSet;

  constructor(phrases: readonly string[]) {
    this.phrases = new PhraseSet(phrases.map((p) => ({ phrase: p, value: normalizePhrase(p) })));
  }

  /** One regular expression: whether any marker occurs in a normalised text. */
  test(normalized: string): boolean {
    return this.phrases.test(normalized);
  }

  /** The markers found, each once, in the order they first occur. */
  find(normalized: string): string[] {
    return [...new Set(this.phrases.find(normalized).map((h) => h.value))];
  }
}
