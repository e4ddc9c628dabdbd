import { calendarWarnings } from './calendar-warnings';

const official = (...years: number[]) => (year: number) => years.includes(year);

describe('calendarWarnings', () => {
  it('says nothing before 1 October when this year has its table', () => {
    expect(calendarWarnings(new Date('2026-09-30T16:59:59Z'), ['Asia/Jakarta'], official(2026))).toEqual([]);
  });

  it('warns from 1 October in the tenant’s zone that next year has no table', () => {
    // 30 September 17:00 UTC is 1 October 00:00 in Jakarta (WIB).
    const [warning] = calendarWarnings(new Date('2026-09-30T17:00:00Z'), ['Asia/Jakarta'], official(2026));
    expect(warning).toMatchObject({ code: 'holiday_table_missing', year: 2027, when: 'next_year' });
    expect(warning.message).toContain('2027');
    expect(warning.message_en).toContain('PUT /api/v1/admin/holidays/2027');
  });

  it('warns first where 1 October comes first (WIT before WIB)', () => {
    const at = new Date('2026-09-30T15:30:00Z'); // 00:30 in Jayapura, still 22:30 on 30 September in Jakarta
    expect(calendarWarnings(at, ['Asia/Jakarta'], official(2026))).toEqual([]);
    expect(calendarWarnings(at, ['Asia/Jakarta', 'Asia/Jayapura'], official(2026)).map((w) => w.year)).toEqual([2027]);
  });

  it('goes away once next year is loaded', () => {
    expect(calendarWarnings(new Date('2026-12-03T06:00:00Z'), ['Asia/Jakarta'], official(2026, 2027))).toEqual([]);
  });

  it('warns at any time of year when this year has no table, once per year', () => {
    const warnings = calendarWarnings(new Date('2027-01-02T03:00:00Z'), ['Asia/Jakarta', 'Asia/Makassar'], official(2026));
    expect(warnings.map((w) => [w.year, w.when])).toEqual([[2027, 'this_year']]);
    expect(calendarWarnings(new Date('2027-11-02T03:00:00Z'), [], official(2026)).map((w) => [w.year, w.when])).toEqual([
      [2027, 'this_year'],
      [2028, 'next_year'],
    ]);
  });
});
