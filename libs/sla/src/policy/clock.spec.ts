import { countDeadline, deadline, parseDuration } from './clock';

const calendar = { timeZone: 'Asia/Jakarta' as const, nonWorkingDates: new Set(['2026-12-24', '2026-12-25']) };

describe('clocks', () => {
  it('parses the durations drills use', () => {
    expect(parseDuration('PT10S')).toBe(10_000);
    expect(parseDuration('PT1.5S')).toBe(1500);
    expect(parseDuration('PT2H30M')).toBe(9_000_000);
    expect(parseDuration('P1DT1S')).toBe(86_401_000);
    for (const bad of ['P', 'PT', '10S', 'PT-1S', 'P1W', 'PTS']) expect(parseDuration(bad)).toBeNull();
  });

  it('counts working days in the tenant calendar, or wall-clock for a duration', () => {
    const from = new Date('2026-12-23T03:00:00Z'); // Wednesday 10:00 WIB
    expect(deadline(from, { working_days: 2 }, calendar).toISOString()).toBe('2026-12-29T16:59:59.999Z');
    expect(deadline(from, { duration: 'PT10S' }, calendar).toISOString()).toBe('2026-12-23T03:00:10.000Z');
    expect(() => deadline(from, { duration: 'soon' }, calendar)).toThrow(RangeError);
  });

  it('says how a deadline was counted, and whether a fallback year was among its days', () => {
    const from = new Date('2026-12-23T03:00:00Z');
    const official = { ...calendar, officialYears: new Set([2026]) };
    expect(countDeadline(from, { working_days: 2 }, official)).toEqual({ at: new Date('2026-12-29T16:59:59.999Z'), workingDays: 2, provisional: false });
    expect(countDeadline(from, { working_days: 6 }, official)).toEqual({ at: new Date('2027-01-04T16:59:59.999Z'), workingDays: 6, provisional: true });
    expect(countDeadline(from, { duration: 'P30D' }, official)).toEqual({ at: new Date('2027-01-22T03:00:00.000Z'), workingDays: null, provisional: false });
  });
});
