import { OfficialCalendar } from '../domain/working-calendar';
import { Complaint } from '@aduan/complaints';
import { replanDeadline, RunningDeadline, runningDeadlines } from './replan-deadline';

/** A test table of 2027 (no SKB 2027 is shipped): New Year only, plus what each case adds. */
const calendar = (extra: string[] = [], official = [2026, 2027]): OfficialCalendar => ({
  timeZone: 'Asia/Jakarta',
  nonWorkingDates: new Set(['2027-01-01', ...extra]),
  officialYears: new Set(official),
});
const t = (iso: string) => new Date(iso);

// Thursday 4 February 2027, 10:00 WIB; three hari kerja: Friday 5, Monday 8, Tuesday 9.
const firstResponse: RunningDeadline = {
  kind: 'first_response',
  from: t('2027-02-04T03:00:00Z'),
  at: t('2027-02-09T16:59:59.999Z'),
  workingDays: 3,
  provisional: false,
  shiftMs: 0,
  pausedAt: null,
};
const friday = t('2027-02-05T03:00:00Z');

describe('replanDeadline', () => {
  it('moves a deadline a day later when a revision adds a cuti bersama day inside it', () => {
    expect(replanDeadline(firstResponse, calendar(['2027-02-08']), friday)).toEqual({
      to: { at: t('2027-02-10T16:59:59.999Z'), workingDays: 3, provisional: false },
      clamped: false,
    });
  });

  it('moves it a day earlier when a revision removes one', () => {
    const onOldTable = { ...firstResponse, at: t('2027-02-10T16:59:59.999Z') };
    expect(replanDeadline(onOldTable, calendar(), friday)?.to.at).toEqual(t('2027-02-09T16:59:59.999Z'));
  });

  it('leaves alone what the revision does not move, what has passed, and wall-clock drills', () => {
    expect(replanDeadline(firstResponse, calendar(['2027-02-15']), friday)).toBeNull();
    expect(replanDeadline(firstResponse, calendar(['2027-02-08']), t('2027-02-10T00:00:00Z'))).toBeNull();
    expect(replanDeadline({ ...firstResponse, workingDays: null, at: t('2027-02-04T03:00:10Z') }, calendar(['2027-02-08']), t('2027-02-04T03:00:01Z'), calendar())).toBeNull();
  });

  it('counts back a deadline armed before counts were kept, only when the old calendar gives exactly it', () => {
    const legacy = { ...firstResponse, workingDays: null };
    expect(replanDeadline(legacy, calendar(['2027-02-08']), friday)).toBeNull();
    expect(replanDeadline(legacy, calendar(['2027-02-08']), friday, calendar())?.to).toEqual({ at: t('2027-02-10T16:59:59.999Z'), workingDays: 3, provisional: false });
    expect(replanDeadline({ ...legacy, at: t('2027-02-09T10:00:00Z') }, calendar(['2027-02-08']), friday, calendar())).toBeNull();
  });

  it('keeps the time a resolution clock stood still, and judges a paused clock when it stopped', () => {
    const twoHours = 2 * 3_600_000;
    const resolution: RunningDeadline = { ...firstResponse, kind: 'resolution', at: t('2027-02-09T18:59:59.999Z'), shiftMs: twoHours };
    expect(replanDeadline(resolution, calendar(['2027-02-08']), friday)?.to.at).toEqual(t('2027-02-10T18:59:59.999Z'));
    // Paused on Monday, now (Wednesday) past the deadline on record: the clock is not running, so it still moves.
    const paused = { ...resolution, pausedAt: t('2027-02-08T03:00:00Z') };
    expect(replanDeadline(paused, calendar(['2027-02-08']), t('2027-02-10T03:00:00Z'))?.to.at).toEqual(t('2027-02-10T18:59:59.999Z'));
  });

  it('never moves a running deadline into the past: it ends with today instead', () => {
    // Counted over cuti bersama on 2 and 3 February: Thursday 4, Friday 5, Monday 8.
    const overTwoDaysOff = { ...firstResponse, from: t('2027-02-01T03:00:00Z'), at: t('2027-02-08T16:59:59.999Z') };
    expect(replanDeadline(overTwoDaysOff, calendar(), t('2027-02-05T02:00:00Z'))).toEqual({
      to: { at: t('2027-02-05T16:59:59.999Z'), workingDays: 3, provisional: false },
      clamped: true,
    });
  });

  it('marks a deadline provisional while it counts a year without an official table, and official once it has one', () => {
    const december = { ...firstResponse, from: t('2026-12-30T03:00:00Z'), at: t('2027-01-05T16:59:59.999Z'), provisional: true };
    expect(replanDeadline(december, calendar([], [2026]), t('2026-12-30T04:00:00Z'))).toBeNull();
    expect(replanDeadline(december, calendar(), t('2026-12-30T04:00:00Z'))).toEqual({
      to: { at: t('2027-01-05T16:59:59.999Z'), workingDays: 3, provisional: false },
      clamped: false,
    });
  });
});

describe('runningDeadlines', () => {
  const submitted = Complaint.submit(
    {
      id: 'c1', trackingNumber: 'ADN-270204-ABCDEF', tenantCode: '36.73', categoryCode: 'SAMPAH', kelurahanCode: '36.73.01.1001', kecamatanCode: '36.73.01',
      description: 'Sampah menumpuk', address: null, lat: null, long: null, anonymous: true, confidential: true, accused: null, reporterOnFile: false,
      channel: 'web', submittedAt: t('2027-02-04T02:00:00Z'),
    },
    false,
  ).snapshot;
  const stay = {
    complaint_id: 'c1', id: 'a1', unit_id: 'u1', assigned_at: firstResponse.from!, first_response_due_at: firstResponse.at,
    first_response_working_days: 3, first_response_provisional: false,
  };

  it('is the first response while the complaint waits for it, the resolution while handled or paused, the closing once resolved', () => {
    expect(runningDeadlines({ ...submitted, status: 'routed' }, stay)).toEqual([firstResponse]);
    const handling = { ...submitted, status: 'awaiting_info' as const, resolutionDueAt: t('2027-02-12T16:59:59.999Z'), resolutionFrom: t('2027-02-05T03:00:00Z'), resolutionWorkingDays: 5, resolutionPausedMs: 60_000, pausedAt: t('2027-02-08T03:00:00Z') };
    expect(runningDeadlines(handling, undefined)).toEqual([
      { kind: 'resolution', from: t('2027-02-05T03:00:00Z'), at: t('2027-02-12T16:59:59.999Z'), workingDays: 5, provisional: false, shiftMs: 60_000, pausedAt: t('2027-02-08T03:00:00Z') },
    ]);
    const resolved = { ...submitted, status: 'resolved' as const, resolvedAt: t('2027-02-05T03:00:00Z'), autoCloseAt: t('2027-02-19T16:59:59.999Z'), autoCloseWorkingDays: 10 };
    expect(runningDeadlines(resolved, undefined)).toEqual([
      { kind: 'auto_close', from: t('2027-02-05T03:00:00Z'), at: t('2027-02-19T16:59:59.999Z'), workingDays: 10, provisional: false, shiftMs: 0, pausedAt: null },
    ]);
  });

  it('is nothing for a complaint not yet in an inbox, or finished', () => {
    expect(runningDeadlines(submitted, undefined)).toEqual([]);
    expect(runningDeadlines({ ...submitted, status: 'closed' }, stay)).toEqual([]);
    expect(runningDeadlines({ ...submitted, status: 'in_progress', resolutionDueAt: null }, undefined)).toEqual([]);
  });
});
