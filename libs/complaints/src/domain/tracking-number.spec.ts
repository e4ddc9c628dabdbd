import { newAccessCode, newTrackingNumber, normalizeAccessCode, TRACKING_NUMBER_PATTERN } from './tracking-number';

describe('tracking numbers and access codes', () => {
  it('puts the WIB date in the tracking number', () => {
    const tn = newTrackingNumber(new Date('2026-11-21T18:30:00Z')); // 01:30 WIB on the 22nd
    expect(tn).toMatch(TRACKING_NUMBER_PATTERN);
    expect(tn.slice(0, 11)).toBe('ADN-261122-');
  });

  it('makes distinct codes', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newAccessCode()));
    expect(codes.size).toBe(2000);
    for (const code of [...codes].slice(0, 50)) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('normalises what a person types', () => {
    expect(normalizeAccessCode(' abcd-efgh ijk0 ')).toBe('ABCDEFGH1JK0');
    expect(normalizeAccessCode('o0Il')).toBe('0011');
  });
});
