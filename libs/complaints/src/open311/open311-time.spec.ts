import { parseW3cDateTime, w3cDateTime } from './open311-time';

describe('Open311 times', () => {
  it('writes an instant in the tenant zone with its offset', () => {
    const at = new Date('2026-11-22T07:05:09.123Z');
    expect(w3cDateTime(at, 'Asia/Jakarta')).toBe('2026-11-22T14:05:09+07:00');
    expect(w3cDateTime(at, 'Asia/Makassar')).toBe('2026-11-22T15:05:09+08:00');
    expect(w3cDateTime(at, 'Asia/Jayapura')).toBe('2026-11-22T16:05:09+09:00');
    expect(w3cDateTime(at, 'UTC')).toBe('2026-11-22T07:05:09+00:00');
    expect(w3cDateTime(new Date('2026-12-31T17:00:00Z'), 'Asia/Jakarta')).toBe('2027-01-01T00:00:00+07:00');
  });

  it('reads W3C date-times with Z, an offset, or a space where an unencoded + was', () => {
    expect(parseW3cDateTime('2010-01-01T00:00:00Z', 'Asia/Jakarta')?.toISOString()).toBe('2010-01-01T00:00:00.000Z');
    expect(parseW3cDateTime('2026-11-22T14:05:09+07:00', 'UTC')?.toISOString()).toBe('2026-11-22T07:05:09.000Z');
    expect(parseW3cDateTime('2026-11-22T14:05:09 07:00', 'UTC')?.toISOString()).toBe('2026-11-22T07:05:09.000Z');
    expect(parseW3cDateTime('2026-11-22T02:05-05:00', 'UTC')?.toISOString()).toBe('2026-11-22T07:05:00.000Z');
    expect(parseW3cDateTime('2026-11-22T14:05:09.5+0700', 'UTC')?.toISOString()).toBe('2026-11-22T07:05:09.500Z');
  });

  it('takes a bare date as midnight in the tenant zone', () => {
    expect(parseW3cDateTime('2026-11-22', 'Asia/Jakarta')?.toISOString()).toBe('2026-11-21T17:00:00.000Z');
  });

  it('refuses what is not a W3C date-time with a zone, and impossible dates', () => {
    for (const bad of ['', 'yesterday', '2026-11-22T14:05:09', '2026-02-30', '2026-13-01T00:00:00Z', '2026-11-22T24:00:00Z', '1669100000', '2026-11-22T10:00:00+25:00']) {
      expect(parseW3cDateTime(bad, 'Asia/Jakarta')).toBeNull();
    }
  });
});
