import { CellRange, wholeDays } from './response-times.query';

const DAY = 86_400_000;

/** Each day the cells count, with its sign added up: months stand for all their days. */
function coverage(cells: readonly CellRange[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of cells) {
    for (let t = Date.parse(`${c.from}T00:00:00Z`); t < Date.parse(`${c.to}T00:00:00Z`); t += DAY) {
      const day = new Date(t).toISOString().slice(0, 10);
      out.set(day, (out.get(day) ?? 0) + c.sign);
    }
  }
  return new Map([...out].filter(([, n]) => n !== 0));
}

describe('wholeDays', () => {
  it('counts each whole day of the period once and nothing else, however it reads the cells', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 500; i++) {
      const from = new Date(Date.UTC(2025, 0, 1) + random() * 700 * DAY);
      const to = new Date(from.getTime() + random() * (i % 2 ? 40 : 400) * DAY);
      const span = wholeDays(from, to, new Date(Date.UTC(2025, 0, 1) + random() * 800 * DAY));
      if (!span) {
        expect(Math.floor(to.getTime() / DAY) - Math.ceil(from.getTime() / DAY)).toBeLessThanOrEqual(0);
        continue;
      }
      const expected = new Map<string, number>();
      for (let t = span.start.getTime(); t < span.end.getTime(); t += DAY) expected.set(new Date(t).toISOString().slice(0, 10), 1);
      expect(coverage(span.cells)).toEqual(expected);
    }
  });

  it('reads years, quarters and months, and a larger cell less its part outside the period when that is cheaper', () => {
    // A year up to now: 2026 less today (which has only just begun, the rest of the year not at all) and December 2025 less 1–4 December.
    const now = new Date('2026-12-04T21:00:00Z');
    expect(wholeDays(new Date('2025-12-04T21:00:00Z'), now, now)?.cells).toEqual([
      { level: 'y', from: '2026-01-01', to: '2027-01-01', sign: 1 },
      { level: 'm', from: '2025-12-01', to: '2026-01-01', sign: 1 },
      { level: 'd', from: '2025-12-01', to: '2025-12-05', sign: -1 },
      { level: 'd', from: '2026-12-04', to: '2027-01-01', sign: -1 },
    ]);
    // The same year read a year later: the days of December 2026 are there now, and cost.
    expect(wholeDays(new Date('2025-12-04T21:00:00Z'), now, new Date('2027-12-04T00:00:00Z'))?.cells).toEqual([
      { level: 'y', from: '2026-01-01', to: '2027-01-01', sign: 1 },
      { level: 'm', from: '2025-12-01', to: '2026-01-01', sign: 1 },
      { level: 'd', from: '2025-12-01', to: '2025-12-05', sign: -1 },
      { level: 'm', from: '2026-12-01', to: '2027-01-01', sign: -1 },
      { level: 'd', from: '2026-12-01', to: '2026-12-04', sign: 1 },
    ]);
    expect(wholeDays(new Date('2026-02-26T00:00:00Z'), new Date('2026-07-01T00:00:00Z'), now)?.cells).toEqual([
      { level: 'q', from: '2026-04-01', to: '2026-07-01', sign: 1 },
      { level: 'm', from: '2026-03-01', to: '2026-04-01', sign: 1 },
      { level: 'd', from: '2026-02-26', to: '2026-03-01', sign: 1 },
    ]);
    expect(wholeDays(new Date('2026-08-10T00:00:00Z'), new Date('2026-08-12T00:00:00Z'), now)?.cells).toEqual([{ level: 'd', from: '2026-08-10', to: '2026-08-12', sign: 1 }]);
  });
});
