import { visibleLength } from '@aduan/platform';
import { VISIBLE_LENGTH_CASES } from '../../../../test/support/visible-text-cases';
// @ts-expect-error -- the pages' scripts are plain browser modules, without type declarations
import { visibleLength as pageVisibleLength } from './public/common.js';

/** The pages' counter is a copy of the server's definition (no build step to share it): the two must agree. */
describe('the pages count text as the server does', () => {
  it.each(VISIBLE_LENGTH_CASES)('%s', (_, text) => {
    expect(pageVisibleLength(text)).toBe(visibleLength(text));
  });

  it('agrees on random mixtures of visible, invisible and white-space characters', () => {
    const alphabet = ['a', 'é', 'e\u0301', '\u200b', '\u200d', '\ufeff', '\u202e', ' ', '\n', '\u00a0', '\u0301', '😀', '\u2800', '\u3164', 'क', 'ि', '\t', '\u061c'];
    let seed = 15;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i += 1) {
      const text = Array.from({ length: next() % 30 }, () => alphabet[next() % alphabet.length]).join('');
      expect([text, pageVisibleLength(text)]).toEqual([text, visibleLength(text)]);
    }
  });
});
