import { histogramPercentiles, hourBucketMiddleMs } from './response-time-rollup';

/** PostgreSQL's percentile_cont over a list of values. */
function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  return sorted[lo] + (pos - lo) * (sorted[Math.ceil(pos)] - sorted[lo]);
}

describe('histogramPercentiles', () => {
  it('is percentile_cont exactly when each bucket is its value (hari kerja)', () => {
    const cases = [[3], [3, 4], [0, 0, 1, 7, 2, 2, 2, 18], [5, 1, 1, 1, 1, 1, 1, 1, 1, 9, 4]];
    for (const values of cases) {
      const counts: number[] = [];
      for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
      expect(histogramPercentiles(counts, null, [0.5, 0.9])).toEqual([percentileCont(values, 0.5), percentileCont(values, 0.9)].map((x) => expect.closeTo(x, 9)));
    }
  });

  it('answers null with nothing counted', () => {
    expect(histogramPercentiles(undefined, null, [0.5, 0.9])).toEqual([null, null]);
    expect(histogramPercentiles([0, 0], hourBucketMiddleMs, [0.5])).toEqual([null]);
  });

  it('takes the middle of an hours bucket', () => {
    expect(hourBucketMiddleMs(0)).toBe(30_000);
    expect(hourBucketMiddleMs(64)).toBe(65 * 60_000);
    // 144 h 55 min lies in 8,448–8,704 minutes.
    expect(hourBucketMiddleMs(64 + 7 * 32 + 1)).toBe(8576 * 60_000);
    expect(histogramPercentiles([0, 2], hourBucketMiddleMs, [0.9])).toEqual([90_000]);
  });
});
