import { CellRange, RowRange, wholeDays } from './response-times.query';

const DAY = 86_400_000;

/** How many times the cells and rows count an instant, with their signs: a cell stands for all its days. */
function times(t: number, cells: readonly CellRange[], rows: readonly RowRange[]): number {
  const day = new Date(Math.floor(t / DAY) * DAY).toISOString().slice(0, 10);
  let n = 0;
  for (const c of cells) if (c.from <= day && day < c.to) n += c.sign;
  for (const r of rows) if (r.from.getTime() <= t && t < r.to.getTime()) n += r.sign;
  return n;
}

describe('wholeDays', () => {
  it('counts each instant of the period once and nothing else, however it reads the cells and rows', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 500; i++) {
      const from = new Date(Date.UTC(2025, 0, 1) + random() * 700 * DAY);
      const to = new Date(from.getTime() + random() * (i % 2 ? 40 : 400) * DAY);
      const now = new Date(Date.UTC(2025, 0, 1) + random() * 800 * DAY);
      const span = wholeDays(from, to, now);
      if (!span) {
        expect(Math.floor(to.getTime() / DAY) - Math.ceil(from.getTime() / DAY)).toBeLessThanOrEqual(0);
        continue;
      }
      for (let k = 0; k < 200; k++) {
        const t = from.getTime() - 2 * DAY + Math.floor(random() * (to.getTime() - from.getTime() + 4 * DAY));
        expect([t, times(t, span.cells, span.rows)]).toEqual([t, from.getTime() <= t && t < to.getTime() ? 1 : 0]);
      }
      for (const t of [from.getTime() - 1, from.getTime(), to.getTime() - 1, to.getTime()]) {
        expect([t, times(t, span.cells, span.rows)]).toEqual([t, from.getTime() <= t && t < to.getTime() ? 1 : 0]);
      }
    }
  });

  it('reads years, quarters and months, and a larger cell less its part outside the period when that is cheaper', () => {
    // A year up to now: 2026 less what has not happened yet, December 2025 less 1–4 December, and
    // today's cell less the rows after now (none); the hours before 5 December 2025 from the rows.
    const now = new Date('2026-12-04T21:00:00Z');
    const from = new Date('2025-12-04T21:00:00Z');
    expect(wholeDays(from, now, now)).toEqual({
      cells: [
        { level: 'y', from: '2026-01-01', to: '2027-01-01', sign: 1 },
        { level: 'm', from: '2025-12-01', to: '2026-01-01', sign: 1 },
        { level: 'd', from: '2025-12-01', to: '2025-12-05', sign: -1 },
        { level: 'd', from: '2026-12-05', to: '2027-01-01', sign: -1 },
      ],
      rows: [
        { from, to: new Date('2025-12-05T00:00:00Z'), sign: 1 },
        { from: now, to: new Date('2026-12-05T00:00:00Z'), sign: -1 },
      ],
    });
    // The same year read a year later: the rest of December 2026 has happened, and costs.
    expect(wholeDays(from, now, new Date('2027-12-04T00:00:00Z'))?.cells).toEqual([
      { level: 'y', from: '2026-01-01', to: '2027-01-01', sign: 1 },
      { level: 'm', from: '2025-12-01', to: '2026-01-01', sign: 1 },
      { level: 'd', from: '2025-12-01', to: '2025-12-05', sign: -1 },
      { level: 'm', from: '2026-12-01', to: '2027-01-01', sign: -1 },
      { level: 'd', from: '2026-12-01', to: '2026-12-05', sign: 1 },
    ]);
    expect(wholeDays(new Date('2026-02-26T00:00:00Z'), new Date('2026-07-01T00:00:00Z'), now)).toEqual({
      cells: [
        { level: 'q', from: '2026-04-01', to: '2026-07-01', sign: 1 },
        { level: 'm', from: '2026-03-01', to: '2026-04-01', sign: 1 },
        { level: 'd', from: '2026-02-26', to: '2026-03-01', sign: 1 },
      ],
      rows: [],
    });
    expect(wholeDays(new Date('2026-08-10T00:00:00Z'), new Date('2026-08-12T00:00:00Z'), now)?.cells).toEqual([{ level: 'd', from: '2026-08-10', to: '2026-08-12', sign: 1 }]);
  });
});
