import { DomainError } from '@aduan/platform';
import { readOfficialTables } from '../calendar/holiday-table';
import { diffHolidays, parseHolidayTable } from './holiday-table.schema';

const errorsOf = (run: () => unknown): { field: string; message: string }[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'invalid') return error.errors;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('parseHolidayTable', () => {
  it('reads the shipped 2026 file as it is: 17 libur nasional and 8 cuti bersama, in date order, with its source', () => {
    const [file] = readOfficialTables();
    const table = parseHolidayTable(file, 2026, false);
    expect(table.holidays).toHaveLength(25);
    expect(table.holidays.filter((h) => h.kind === 'cuti_bersama')).toHaveLength(8);
    expect(table.holidays.map((h) => h.date)).toEqual([...table.holidays.map((h) => h.date)].sort());
    expect(table.source).toMatch(/^SKB 3 Menteri/);
  });

  it('reads a list of days with their kinds', () => {
    const table = parseHolidayTable(
      [
        { date: '2027-03-10', kind: 'cuti_bersama', name: ' Cuti bersama Nyepi ' },
        { date: '2027-01-01', kind: 'libur_nasional', name: 'Tahun Baru 2027 Masehi' },
      ],
      2027,
      false,
    );
    expect(table).toEqual({
      source: null,
      holidays: [
        { date: '2027-01-01', kind: 'libur_nasional', name: 'Tahun Baru 2027 Masehi' },
        { date: '2027-03-10', kind: 'cuti_bersama', name: 'Cuti bersama Nyepi' },
      ],
    });
  });

  it('names every day that does not fit the year, is listed twice, or is of the wrong kind', () => {
    expect(
      errorsOf(() =>
        parseHolidayTable(
          [
            { date: '2027-01-01', kind: 'libur_nasional', name: 'Tahun Baru' },
            { date: '2026-12-31', kind: 'cuti_bersama', name: 'Akhir tahun' },
            { date: '2027-01-01', kind: 'cuti_bersama', name: 'Lagi' },
            { date: '2027-06-01', kind: 'lokal', name: 'HUT Kota' },
          ],
          2027,
          false,
        ),
      ),
    ).toEqual([
      { field: '1.date', message: 'not in 2027' },
      { field: '2.date', message: 'listed twice (also at 0)' },
      { field: '3.kind', message: 'the national table lists libur_nasional and cuti_bersama only' },
    ]);
  });

  it('refuses a national table without a libur nasional, an empty one, malformed days and a file for another year', () => {
    expect(errorsOf(() => parseHolidayTable([{ date: '2027-02-08', kind: 'cuti_bersama', name: 'Cuti' }], 2027, false))).toEqual([
      { field: '(body)', message: 'a national table lists at least one libur_nasional' },
    ]);
    expect(errorsOf(() => parseHolidayTable([], 2027, false))[0].field).toBe('(body)');
    expect(errorsOf(() => parseHolidayTable([{ date: '2027-02-30', kind: 'libur_nasional', name: 'X' }], 2027, false)).map((e) => e.field)).toEqual(['0.date', '0.name']);
    expect(errorsOf(() => parseHolidayTable({ year: 2028, libur_nasional: [{ date: '2027-01-01', name: 'Tahun Baru' }] }, 2027, false))).toEqual([{ field: 'year', message: 'must be 2027' }]);
    expect(errorsOf(() => parseHolidayTable({ year: 2027, holidays: [] }, 2027, false))[0].field).toBe('(body)');
  });

  it('takes a tenant’s local days (lokal only), and an empty local table', () => {
    expect(parseHolidayTable({ year: 2027, source: 'Perwal Serang', lokal: [{ date: '2027-04-10', name: 'HUT Kota Serang' }] }, 2027, true)).toEqual({
      source: 'Perwal Serang',
      holidays: [{ date: '2027-04-10', kind: 'lokal', name: 'HUT Kota Serang' }],
    });
    expect(parseHolidayTable([], 2027, true)).toEqual({ source: null, holidays: [] });
    expect(errorsOf(() => parseHolidayTable([{ date: '2027-01-01', kind: 'libur_nasional', name: 'Tahun Baru' }], 2027, true))).toEqual([
      { field: '0.kind', message: 'a local table lists lokal days only' },
    ]);
  });
});

describe('diffHolidays', () => {
  it('names the days added, removed, and changed from old to new', () => {
    const before = [
      { date: '2027-01-01', kind: 'libur_nasional' as const, name: 'Tahun Baru' },
      { date: '2027-02-08', kind: 'cuti_bersama' as const, name: 'Cuti bersama Imlek' },
      { date: '2027-03-10', kind: 'cuti_bersama' as const, name: 'Cuti Nyepi' },
    ];
    const after = [
      { date: '2027-01-01', kind: 'libur_nasional' as const, name: 'Tahun Baru 2027 Masehi' },
      { date: '2027-03-10', kind: 'cuti_bersama' as const, name: 'Cuti Nyepi' },
      { date: '2027-03-12', kind: 'cuti_bersama' as const, name: 'Cuti bersama Idul Fitri' },
    ];
    expect(diffHolidays(before, after)).toEqual({
      added: [after[2]],
      removed: [before[1]],
      changed: [{ date: '2027-01-01', from: { kind: 'libur_nasional', name: 'Tahun Baru' }, to: { kind: 'libur_nasional', name: 'Tahun Baru 2027 Masehi' } }],
    });
  });
});
