import {
  TIME_ZONE_OFFSET_MINUTES,
  TenantTimeZone,
  WorkingCalendar,
  addWorkingDays,
  countsFallbackYear,
  endOfLocalDay,
  isWorkingDate,
  localDate,
  workingDayCounter,
  workingDaysBetween,
  yearsCounted,
} from './working-calendar';

const LIBUR_NASIONAL_2026 = [
  '2026-01-01',
  '2026-01-16',
  '2026-02-17',
  '2026-03-19',
  '2026-03-21',
  '2026-03-22',
  '2026-04-03',
  '2026-04-05',
  '2026-05-01',
  '2026-05-14',
  '2026-05-27',
  '2026-05-31',
  '2026-06-01',
  '2026-06-16',
  '2026-08-17',
  '2026-08-25',
  '2026-12-25',
];

const CUTI_BERSAMA_2026 = [
  '2026-02-16',
  '2026-03-18',
  '2026-03-20',
  '2026-03-23',
  '2026-03-24',
  '2026-05-15',
  '2026-05-28',
  '2026-12-24',
];

function calendar(timeZone: TenantTimeZone, dates: readonly string[] = []): WorkingCalendar {
  return { timeZone, nonWorkingDates: new Set(dates) };
}

/** Every date from `first` to `last` inclusive. */
function dateRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

const WIB_2026 = calendar('Asia/Jakarta', [...LIBUR_NASIONAL_2026, ...CUTI_BERSAMA_2026, '2027-01-01']);
const WIB_NATIONAL_ONLY = calendar('Asia/Jakarta', LIBUR_NASIONAL_2026);
const WIB_WEEKENDS_ONLY = calendar('Asia/Jakarta');

describe('working-calendar', () => {
  describe('TIME_ZONE_OFFSET_MINUTES', () => {
    it('has the fixed offsets of WIB, WITA and WIT', () => {
      expect(TIME_ZONE_OFFSET_MINUTES).toEqual({
        'Asia/Jakarta': 420,
        'Asia/Pontianak': 420,
        'Asia/Makassar': 480,
        'Asia/Jayapura': 540,
      });
    });
  });

  describe('localDate', () => {
    it('shifts by the zone offset, not the machine zone', () => {
      const instant = new Date('2026-11-20T16:30:00Z');
      expect(localDate(instant, 'Asia/Jakarta')).toBe('2026-11-20'); // Fri 23:30 WIB
      expect(localDate(instant, 'Asia/Pontianak')).toBe('2026-11-20'); // Fri 23:30 WIB
      expect(localDate(instant, 'Asia/Makassar')).toBe('2026-11-21'); // Sat 00:30 WITA
      expect(localDate(instant, 'Asia/Jayapura')).toBe('2026-11-21'); // Sat 01:30 WIT
    });

    it('turns over exactly at local midnight', () => {
      expect(localDate(new Date('2026-12-31T16:59:59.999Z'), 'Asia/Jakarta')).toBe('2026-12-31');
      expect(localDate(new Date('2026-12-31T17:00:00.000Z'), 'Asia/Jakarta')).toBe('2027-01-01');
      expect(localDate(new Date('2026-12-31T14:59:59.999Z'), 'Asia/Jayapura')).toBe('2026-12-31');
      expect(localDate(new Date('2026-12-31T15:00:00.000Z'), 'Asia/Jayapura')).toBe('2027-01-01');
    });

    it('handles leap days', () => {
      expect(localDate(new Date('2028-02-28T17:00:00Z'), 'Asia/Jakarta')).toBe('2028-02-29');
    });

    it('rejects an invalid Date and an unknown zone', () => {
      expect(() => localDate(new Date('nope'), 'Asia/Jakarta')).toThrow(RangeError);
      expect(() => localDate(new Date(), 'Europe/Berlin' as unknown as TenantTimeZone)).toThrow(RangeError);
    });
  });

  describe('isWorkingDate', () => {
    it('treats Monday to Friday as working and the weekend as not', () => {
      expect(isWorkingDate('2026-11-16', WIB_WEEKENDS_ONLY)).toBe(true); // Mon
      expect(isWorkingDate('2026-11-20', WIB_WEEKENDS_ONLY)).toBe(true); // Fri
      expect(isWorkingDate('2026-11-21', WIB_WEEKENDS_ONLY)).toBe(false); // Sat
      expect(isWorkingDate('2026-11-22', WIB_WEEKENDS_ONLY)).toBe(false); // Sun
    });

    it('treats a national holiday on a weekday as not working', () => {
      expect(isWorkingDate('2026-08-17', WIB_WEEKENDS_ONLY)).toBe(true); // Mon
      expect(isWorkingDate('2026-08-17', WIB_2026)).toBe(false); // Hari Kemerdekaan
    });

    it('treats cuti bersama as not working only when it is in the set', () => {
      expect(isWorkingDate('2026-05-15', WIB_NATIONAL_ONLY)).toBe(true);
      expect(isWorkingDate('2026-05-15', WIB_2026)).toBe(false);
    });

    it('rejects malformed or impossible dates', () => {
      expect(() => isWorkingDate('2026-2-3', WIB_2026)).toThrow(RangeError);
      expect(() => isWorkingDate('2026-02-30', WIB_2026)).toThrow(RangeError);
      expect(() => isWorkingDate('2026-02-03T00:00:00Z', WIB_2026)).toThrow(RangeError);
      expect(() => isWorkingDate('', WIB_2026)).toThrow(RangeError);
    });
  });

  describe('addWorkingDays', () => {
    it('starts the clock the next local day: Monday 10:00 WIB + 3 → Thursday end of day', () => {
      const filed = new Date('2026-11-16T03:00:00Z'); // Mon 10:00 WIB
      expect(addWorkingDays(filed, 3, WIB_WEEKENDS_ONLY).toISOString()).toBe('2026-11-19T16:59:59.999Z');
    });

    it('gives the same deadline whatever the hour of filing on that local day', () => {
      const early = new Date('2026-11-15T17:00:00Z'); // Mon 00:00 WIB
      const late = new Date('2026-11-16T16:59:59.999Z'); // Mon 23:59:59.999 WIB
      expect(addWorkingDays(early, 1, WIB_WEEKENDS_ONLY).toISOString()).toBe('2026-11-17T16:59:59.999Z');
      expect(addWorkingDays(late, 1, WIB_WEEKENDS_ONLY).toISOString()).toBe('2026-11-17T16:59:59.999Z');
    });

    describe('weekends', () => {
      it('skips Saturday and Sunday', () => {
        const thursday = new Date('2026-11-19T03:00:00Z');
        expect(addWorkingDays(thursday, 2, WIB_WEEKENDS_ONLY).toISOString()).toBe('2026-11-23T16:59:59.999Z');
      });

      it('runs a Friday, Saturday or Sunday filing to Monday for N=1', () => {
        for (const filed of ['2026-11-20T03:00:00Z', '2026-11-21T03:00:00Z', '2026-11-22T03:00:00Z']) {
          expect(addWorkingDays(new Date(filed), 1, WIB_WEEKENDS_ONLY).toISOString()).toBe(
            '2026-11-23T16:59:59.999Z',
          );
        }
      });

      it('counts five working days as one calendar week', () => {
        const monday = new Date('2026-11-16T03:00:00Z');
        expect(addWorkingDays(monday, 5, WIB_WEEKENDS_ONLY).toISOString()).toBe('2026-11-23T16:59:59.999Z');
      });
    });

    describe('national holidays', () => {
      it('skips Hari Kemerdekaan (Monday 2026-08-17) after a weekend', () => {
        const friday = new Date('2026-08-14T03:00:00Z');
        expect(addWorkingDays(friday, 1, WIB_2026).toISOString()).toBe('2026-08-18T16:59:59.999Z');
        expect(addWorkingDays(friday, 1, WIB_WEEKENDS_ONLY).toISOString()).toBe('2026-08-17T16:59:59.999Z');
      });

      it('skips Maulid Nabi (Tuesday 2026-08-25) mid-week', () => {
        const monday = new Date('2026-08-24T03:00:00Z');
        expect(addWorkingDays(monday, 1, WIB_2026).toISOString()).toBe('2026-08-26T16:59:59.999Z');
      });
    });

    describe('cuti bersama', () => {
      it('skips cuti bersama 2026-05-15 after Kenaikan 2026-05-14', () => {
        const wednesday = new Date('2026-05-13T03:00:00Z');
        expect(addWorkingDays(wednesday, 1, WIB_2026).toISOString()).toBe('2026-05-18T16:59:59.999Z');
        // Without cuti bersama in the set, Friday 05-15 is a working day.
        expect(addWorkingDays(wednesday, 1, WIB_NATIONAL_ONLY).toISOString()).toBe('2026-05-15T16:59:59.999Z');
      });

      it('skips cuti bersama 2026-02-16 and Imlek 2026-02-17', () => {
        const friday = new Date('2026-02-13T03:00:00Z');
        expect(addWorkingDays(friday, 1, WIB_2026).toISOString()).toBe('2026-02-18T16:59:59.999Z');
      });
    });

    it('skips the 2026 Nyepi and Idul Fitri block: Tuesday 03-17 + 3 → Friday 03-27', () => {
      const filed = new Date('2026-03-17T03:00:00Z'); // Tue 10:00 WIB
      // 03-18 cuti, 03-19 Nyepi, 03-20 cuti, 03-21/22 Idul Fitri on the weekend, 03-23/24 cuti.
      expect(addWorkingDays(filed, 1, WIB_2026).toISOString()).toBe('2026-03-25T16:59:59.999Z');
      expect(addWorkingDays(filed, 2, WIB_2026).toISOString()).toBe('2026-03-26T16:59:59.999Z');
      expect(addWorkingDays(filed, 3, WIB_2026).toISOString()).toBe('2026-03-27T16:59:59.999Z');
    });

    describe('year end', () => {
      it('skips 12-24, 12-25 and 2027-01-01 into the new year', () => {
        const filed = new Date('2026-12-23T03:00:00Z'); // Wed 10:00 WIB
        // 28 (1), 29 (2), 30 (3), 31 (4), 2027-01-01 off, weekend, 2027-01-04 (5).
        expect(addWorkingDays(filed, 4, WIB_2026).toISOString()).toBe('2026-12-31T16:59:59.999Z');
        expect(addWorkingDays(filed, 5, WIB_2026).toISOString()).toBe('2027-01-04T16:59:59.999Z');
      });

      it('treats 2027-01-01 as working when the set does not list it', () => {
        const filed = new Date('2026-12-23T03:00:00Z');
        const only2026 = calendar('Asia/Jakarta', [...LIBUR_NASIONAL_2026, ...CUTI_BERSAMA_2026]);
        expect(addWorkingDays(filed, 5, only2026).toISOString()).toBe('2027-01-01T16:59:59.999Z');
      });
    });

    describe('time zones', () => {
      it('uses the local date of each zone for the same instant', () => {
        const instant = new Date('2026-11-19T16:30:00Z'); // Thu 23:30 WIB, Fri 00:30 WITA, Fri 01:30 WIT
        expect(addWorkingDays(instant, 1, calendar('Asia/Jakarta')).toISOString()).toBe('2026-11-20T16:59:59.999Z');
        expect(addWorkingDays(instant, 1, calendar('Asia/Pontianak')).toISOString()).toBe(
          '2026-11-20T16:59:59.999Z',
        );
        expect(addWorkingDays(instant, 1, calendar('Asia/Makassar')).toISOString()).toBe(
          '2026-11-23T15:59:59.999Z',
        );
        expect(addWorkingDays(instant, 1, calendar('Asia/Jayapura')).toISOString()).toBe(
          '2026-11-23T14:59:59.999Z',
        );
      });

      it('ends the deadline at 23:59:59.999 in the tenant zone', () => {
        const filed = new Date('2026-11-16T01:00:00Z'); // Mon morning in all three zones
        expect(addWorkingDays(filed, 3, calendar('Asia/Jakarta')).toISOString()).toBe('2026-11-19T16:59:59.999Z');
        expect(addWorkingDays(filed, 3, calendar('Asia/Makassar')).toISOString()).toBe('2026-11-19T15:59:59.999Z');
        expect(addWorkingDays(filed, 3, calendar('Asia/Jayapura')).toISOString()).toBe('2026-11-19T14:59:59.999Z');
      });

      it('filed Friday 23:30 WIB is Saturday 01:30 WIT', () => {
        const instant = new Date('2026-11-20T16:30:00Z');
        expect(localDate(instant, 'Asia/Jakarta')).toBe('2026-11-20');
        expect(localDate(instant, 'Asia/Jayapura')).toBe('2026-11-21');
        expect(addWorkingDays(instant, 2, calendar('Asia/Jakarta')).toISOString()).toBe('2026-11-24T16:59:59.999Z');
        expect(addWorkingDays(instant, 2, calendar('Asia/Jayapura')).toISOString()).toBe(
          '2026-11-24T14:59:59.999Z',
        );
      });
    });

    describe('filed late on Friday 2026-05-29 before the Waisak / Pancasila long weekend', () => {
      // Sat 05-30, Sun 05-31 (Waisak), Mon 06-01 (Hari Lahir Pancasila).
      it('filed Friday 23:59 WIB, N=1 → Tuesday 06-02', () => {
        const filed = new Date('2026-05-29T16:59:00Z');
        expect(addWorkingDays(filed, 1, WIB_2026).toISOString()).toBe('2026-06-02T16:59:59.999Z');
        expect(addWorkingDays(filed, 2, WIB_2026).toISOString()).toBe('2026-06-03T16:59:59.999Z');
      });

      it('a minute later (Saturday 00:00 WIB) has the same deadline', () => {
        expect(addWorkingDays(new Date('2026-05-29T17:00:00Z'), 1, WIB_2026).toISOString()).toBe(
          '2026-06-02T16:59:59.999Z',
        );
      });

      it('one millisecond decides between Thursday (cuti bersama) and Friday filing', () => {
        const thursdayLast = new Date('2026-05-28T16:59:59.999Z'); // Thu 05-28 23:59:59.999 WIB
        const fridayFirst = new Date('2026-05-28T17:00:00.000Z'); // Fri 05-29 00:00 WIB
        expect(addWorkingDays(thursdayLast, 1, WIB_2026).toISOString()).toBe('2026-05-29T16:59:59.999Z');
        expect(addWorkingDays(fridayFirst, 1, WIB_2026).toISOString()).toBe('2026-06-02T16:59:59.999Z');
      });

      it('the long weekend is built from the set: without 06-01 Monday is working', () => {
        const filed = new Date('2026-05-29T16:59:00Z');
        const withoutPancasila = calendar(
          'Asia/Jakarta',
          [...LIBUR_NASIONAL_2026, ...CUTI_BERSAMA_2026].filter((d) => d !== '2026-06-01'),
        );
        expect(addWorkingDays(filed, 1, withoutPancasila).toISOString()).toBe('2026-06-01T16:59:59.999Z');
      });
    });

    describe('N=60 spanning months', () => {
      it('Monday 2026-05-04 + 60 → Tuesday 2026-08-04 with the 2026 holidays', () => {
        const filed = new Date('2026-05-04T03:00:00Z');
        expect(addWorkingDays(filed, 60, WIB_2026).toISOString()).toBe('2026-08-04T16:59:59.999Z');
      });

      it('Monday 2026-05-04 + 60 → Monday 2026-07-27 with weekends only (12 weeks)', () => {
        const filed = new Date('2026-05-04T03:00:00Z');
        expect(addWorkingDays(filed, 60, WIB_WEEKENDS_ONLY).toISOString()).toBe('2026-07-27T16:59:59.999Z');
      });

      it('Thursday 2026-10-01 + 60 → Monday 2026-12-28 across the year-end block', () => {
        const filed = new Date('2026-10-01T03:00:00Z');
        expect(addWorkingDays(filed, 60, WIB_2026).toISOString()).toBe('2026-12-28T16:59:59.999Z');
      });

      it('Friday 2026-01-02 + 60 → Thursday 2026-04-09 across Imlek, Nyepi and Idul Fitri', () => {
        const filed = new Date('2026-01-02T03:00:00Z');
        expect(addWorkingDays(filed, 60, WIB_2026).toISOString()).toBe('2026-04-09T16:59:59.999Z');
      });
    });

    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects N=%p with a RangeError', (days) => {
      const call = (): Date => addWorkingDays(new Date('2026-11-16T03:00:00Z'), days, WIB_2026);
      expect(call).toThrow(RangeError);
      // Must fail on validation, not merely by exhausting the loop guard.
      expect(call).toThrow(/positive integer/);
    });

    it('rejects an invalid Date and an unknown zone', () => {
      expect(() => addWorkingDays(new Date(Number.NaN), 1, WIB_2026)).toThrow(RangeError);
      expect(() =>
        addWorkingDays(new Date('2026-11-16T03:00:00Z'), 1, {
          timeZone: 'Asia/Tokyo' as unknown as TenantTimeZone,
          nonWorkingDates: new Set<string>(),
        }),
      ).toThrow(RangeError);
    });

    describe('infinite-loop guard', () => {
      const filed = new Date('2025-12-31T03:00:00Z'); // local 2025-12-31 WIB

      it('gives up with a RangeError when every date is a holiday', () => {
        const allHolidays = calendar('Asia/Jakarta', dateRange('2026-01-01', '2036-12-31'));
        expect(() => addWorkingDays(filed, 1, allHolidays)).toThrow(RangeError);
        expect(() => addWorkingDays(filed, 1, allHolidays)).toThrow(/within 3660 calendar days/);
      });

      it('still finds a working day exactly 3660 calendar days out', () => {
        // 2025-12-31 + 3660 days = Tuesday 2036-01-08.
        const cal = calendar('Asia/Jakarta', dateRange('2026-01-01', '2036-01-07'));
        expect(addWorkingDays(filed, 1, cal).toISOString()).toBe('2036-01-08T16:59:59.999Z');
      });

      it('gives up when the first working day is 3661 calendar days out', () => {
        const cal = calendar('Asia/Jakarta', dateRange('2026-01-01', '2036-01-08'));
        expect(() => addWorkingDays(filed, 1, cal)).toThrow(RangeError);
      });
    });
  });

  describe('workingDaysBetween', () => {
    const monday = new Date('2026-11-16T03:00:00Z'); // Mon 10:00 WIB

    it('counts working days in (localDate(from), localDate(to)]', () => {
      expect(workingDaysBetween(monday, new Date('2026-11-19T16:59:59.999Z'), WIB_WEEKENDS_ONLY)).toBe(3);
      expect(workingDaysBetween(monday, new Date('2026-11-19T00:00:00Z'), WIB_WEEKENDS_ONLY)).toBe(3); // Thu 07:00
      expect(workingDaysBetween(monday, new Date('2026-11-18T16:59:59.999Z'), WIB_WEEKENDS_ONLY)).toBe(2);
    });

    it('is 0 within the same local day', () => {
      expect(workingDaysBetween(monday, new Date('2026-11-16T16:59:59.999Z'), WIB_WEEKENDS_ONLY)).toBe(0);
    });

    it('is 0 when to equals from or is before it', () => {
      expect(workingDaysBetween(monday, monday, WIB_WEEKENDS_ONLY)).toBe(0);
      expect(workingDaysBetween(monday, new Date('2026-11-09T03:00:00Z'), WIB_WEEKENDS_ONLY)).toBe(0);
      expect(workingDaysBetween(monday, new Date('2025-01-01T00:00:00Z'), WIB_2026)).toBe(0);
    });

    it('does not count the weekend', () => {
      const friday = new Date('2026-11-20T03:00:00Z');
      expect(workingDaysBetween(friday, new Date('2026-11-22T12:00:00Z'), WIB_WEEKENDS_ONLY)).toBe(0);
      expect(workingDaysBetween(friday, new Date('2026-11-23T12:00:00Z'), WIB_WEEKENDS_ONLY)).toBe(1);
    });

    it('does not count holidays and cuti bersama', () => {
      const filed = new Date('2026-03-17T03:00:00Z');
      expect(workingDaysBetween(filed, new Date('2026-03-24T16:59:59.999Z'), WIB_2026)).toBe(0);
      expect(workingDaysBetween(filed, new Date('2026-03-27T16:59:59.999Z'), WIB_2026)).toBe(3);
      expect(workingDaysBetween(filed, new Date('2026-03-27T16:59:59.999Z'), WIB_WEEKENDS_ONLY)).toBe(8);
    });

    it('counts 240 working days in 2026 with the 2026 table', () => {
      // 261 weekdays minus 13 weekday national holidays minus 8 cuti bersama.
      const from = new Date('2025-12-31T03:00:00Z');
      const to = new Date('2026-12-31T03:00:00Z');
      expect(workingDaysBetween(from, to, WIB_2026)).toBe(240);
      expect(workingDaysBetween(from, to, WIB_NATIONAL_ONLY)).toBe(248);
      expect(workingDaysBetween(from, to, WIB_WEEKENDS_ONLY)).toBe(261);
    });

    it('uses the local dates of the tenant zone', () => {
      const from = new Date('2026-11-19T16:30:00Z'); // Thu 23:30 WIB, Fri 01:30 WIT
      const to = new Date('2026-11-20T16:30:00Z'); // Fri 23:30 WIB, Sat 01:30 WIT
      expect(workingDaysBetween(from, to, calendar('Asia/Jakarta'))).toBe(1); // Friday
      expect(workingDaysBetween(from, to, calendar('Asia/Jayapura'))).toBe(0); // Saturday
    });

    it('ignores malformed entries in the set, as isWorkingDate does', () => {
      const cal = calendar('Asia/Jakarta', ['2026-11-17', '2026-11-18T00:00', 'not a date', '2026-11-21']);
      expect(isWorkingDate('2026-11-18', cal)).toBe(true);
      expect(workingDaysBetween(monday, new Date('2026-11-23T03:00:00Z'), cal)).toBe(4);
    });

    it('rejects invalid Dates', () => {
      expect(() => workingDaysBetween(new Date('x'), monday, WIB_2026)).toThrow(RangeError);
      expect(() => workingDaysBetween(monday, new Date('x'), WIB_2026)).toThrow(RangeError);
    });

    it('inverts addWorkingDays and agrees with a day-by-day count', () => {
      const zones: TenantTimeZone[] = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];
      for (const zone of zones) {
        const cal = calendar(zone, [...LIBUR_NASIONAL_2026, ...CUTI_BERSAMA_2026, '2027-01-01']);
        // Every 37 hours across 2026 hits every weekday and a spread of hours.
        for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 37 * 3_600_000) {
          const from = new Date(t);
          for (const n of [1, 3, 10]) {
            expect(workingDaysBetween(from, addWorkingDays(from, n, cal), cal)).toBe(n);
          }
          const to = new Date(t + 40 * 86_400_000);
          let expected = 0;
          for (const d of dateRange(localDate(from, zone), localDate(to, zone)).slice(1)) {
            if (isWorkingDate(d, cal)) expected++;
          }
          expect(workingDaysBetween(from, to, cal)).toBe(expected);
        }
      }
    });
  });

  describe('yearsCounted and countsFallbackYear', () => {
    it('names the years of the dates a clock counts, not the date it starts on', () => {
      // Thursday 31 December 2026, 10:00 WIB: the clock starts counting on 1 January.
      const from = new Date('2026-12-31T03:00:00Z');
      expect(yearsCounted(from, new Date('2027-01-05T16:59:59.999Z'), 'Asia/Jakarta')).toEqual([2027]);
      expect(yearsCounted(new Date('2026-12-30T03:00:00Z'), new Date('2027-01-05T16:59:59.999Z'), 'Asia/Jakarta')).toEqual([2026, 2027]);
      expect(yearsCounted(from, from, 'Asia/Jakarta')).toEqual([]);
      // 31 December 16:30 UTC is already 1 January in Jayapura (WIT, +9), not yet in Jakarta.
      expect(yearsCounted(new Date('2026-12-30T12:00:00Z'), new Date('2026-12-31T16:30:00Z'), 'Asia/Jayapura')).toEqual([2026, 2027]);
      expect(yearsCounted(new Date('2026-12-30T12:00:00Z'), new Date('2026-12-31T16:30:00Z'), 'Asia/Jakarta')).toEqual([2026]);
    });

    it('calls a clock provisional when it counts any day of a year without an official table', () => {
      const official = { ...WIB_2026, officialYears: new Set([2026]) };
      const from = new Date('2026-12-21T03:00:00Z');
      expect(countsFallbackYear(from, addWorkingDays(from, 2, official), official)).toBe(false);
      expect(countsFallbackYear(from, addWorkingDays(from, 7, official), official)).toBe(true); // Monday 4 January 2027
      expect(countsFallbackYear(from, addWorkingDays(from, 7, official), { ...official, officialYears: new Set([2026, 2027]) })).toBe(false);
    });
  });

  describe('endOfLocalDay', () => {
    it('ends the local date of the instant, in the tenant zone', () => {
      expect(endOfLocalDay(new Date('2026-12-03T08:00:00Z'), 'Asia/Jakarta').toISOString()).toBe('2026-12-03T16:59:59.999Z');
      expect(endOfLocalDay(new Date('2026-12-03T20:00:00Z'), 'Asia/Jakarta').toISOString()).toBe('2026-12-04T16:59:59.999Z');
      expect(endOfLocalDay(new Date('2026-12-03T08:00:00Z'), 'Asia/Jayapura').toISOString()).toBe('2026-12-03T14:59:59.999Z');
    });
  });

  describe('independence from the process time zone', () => {
    const originalTz = process.env.TZ;
    afterEach(() => {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
    });

    it.each(['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Jakarta', 'Europe/London'])(
      'gives the same answers with TZ=%s',
      (tz) => {
        process.env.TZ = tz;
        expect(localDate(new Date('2026-11-20T16:30:00Z'), 'Asia/Jayapura')).toBe('2026-11-21');
        expect(addWorkingDays(new Date('2026-03-17T03:00:00Z'), 3, WIB_2026).toISOString()).toBe(
          '2026-03-27T16:59:59.999Z',
        );
        expect(addWorkingDays(new Date('2026-12-23T03:00:00Z'), 5, WIB_2026).toISOString()).toBe(
          '2027-01-04T16:59:59.999Z',
        );
        expect(
          workingDaysBetween(new Date('2025-12-31T03:00:00Z'), new Date('2026-12-31T03:00:00Z'), WIB_2026),
        ).toBe(240);
      },
    );
  });
});

describe('workingDayCounter', () => {
  it('counts every span as workingDaysBetween does, holidays on weekends and malformed entries included', () => {
    const calendar: WorkingCalendar = {
      timeZone: 'Asia/Makassar',
      nonWorkingDates: new Set(['2026-08-17', '2026-08-25', '2026-08-22', '2026-12-25', '2027-01-01', 'not-a-date', '2026-02-30']),
    };
    const count = workingDayCounter(calendar);
    const origin = Date.UTC(2026, 6, 20);
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 2000; i++) {
      const from = new Date(origin + (next() % (200 * 86_400_000)));
      const to = new Date(from.getTime() + (next() % (60 * 86_400_000)) - 86_400_000);
      expect([from.toISOString(), to.toISOString(), count(from, to)]).toEqual([from.toISOString(), to.toISOString(), workingDaysBetween(from, to, calendar)]);
    }
    expect(count(new Date('2026-08-13T02:00:00Z'), new Date('2026-09-10T04:00:00Z'))).toBe(18);
  });
});
