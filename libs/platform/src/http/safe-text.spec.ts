import { VISIBLE_LENGTH_CASES } from '../../../../test/support/visible-text-cases';
import { safeText, visibleLength } from './safe-text';

describe('visibleLength', () => {
  it.each(VISIBLE_LENGTH_CASES)('%s', (_, text, n) => {
    expect(visibleLength(text)).toBe(n);
  });
});

describe('safeText', () => {
  const reason = safeText(5, 20);

  it('stores the text NFC-normalised and trimmed', () => {
    expect(reason.parse('  Cafe\u0301 tutup  ')).toBe('Café tutup');
  });

  it('needs visible text, however long the invisible padding', () => {
    expect(reason.safeParse('\u200b'.repeat(10)).error?.issues.map((i) => i.message)).toEqual(['must contain at least 5 visible characters']);
    expect(safeText(1, 20).safeParse('\u200d\u200d').error?.issues.map((i) => i.message)).toEqual(['must contain visible text']);
    expect(reason.safeParse('Ja\u200bl\u200ba\u200b').success).toBe(false);
    expect(reason.safeParse('Jalan').success).toBe(true);
  });

  it('counts the upper bound in visible characters, and caps the raw text at four times it', () => {
    expect(reason.safeParse('a'.repeat(20)).success).toBe(true);
    expect(reason.safeParse('a'.repeat(21)).success).toBe(false);
    expect(reason.safeParse(`${'a'.repeat(20)}${'\u200b'.repeat(59)}`).success).toBe(true);
    expect(reason.safeParse(`${'a'.repeat(20)}${'\u200b'.repeat(61)}`).success).toBe(false);
  });

  it('refuses control characters and leaves an empty optional text alone', () => {
    expect(reason.safeParse('Jalan\u0000rusak').success).toBe(false);
    expect(safeText(0, 20).parse('')).toBe('');
  });
});
