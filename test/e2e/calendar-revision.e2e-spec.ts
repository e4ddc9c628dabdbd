import { JobName } from '@aduan/platform';
import { addWorkingDays, fallbackHolidays, FireSlaTimerCommand, localDate, OfficialCalendar, SlaDeadlinePolicy, SlaTimer, workingDaysBetween } from '@aduan/sla';
import { CommandBus } from '@nestjs/cqrs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS } from '../support/browser';
import { call, eventually, fileAndRoute, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

const TENANT = '36.73';
const LURAH_UNIT = 'KEL.36.73.01.1001';
type Entry = { date: string; kind: string; name: string };

/**
 * Working-day calendars that stay true, end to end (api, worker, PostgreSQL, Redis): a year
 * without an official table gives provisional deadlines and a warning until an admin loads it; a
 * revision that adds a cuti bersama day moves the running deadlines later and re-arms their
 * timers (the old timers do nothing, the new ones fire); a revision that removes it moves them
 * back earlier and tells the units. No SKB 2027 ships with Aduan: this file loads tables of its
 * own (the library's dates, named as tests) and withdraws them afterwards. Dates depend on the
 * day the test runs, so every expectation is counted on the calendar the system itself reads.
 */
describe('holiday tables: provisional deadlines, warnings, and revisions that re-arm', () => {
  let h: Harness;
  let admin: string;
  let lurah: string;
  let bus: CommandBus;
  /** The national tables as they were before this file, to put back (null: there was none). */
  const original = new Map<number, Entry[] | null>();
  /** The calendar's version when this file started: every revision after it is this file's. */
  let startSeq = '0';
  const quotes: Record<string, unknown> = {};

  beforeAll(async () => {
    h = await startHarness({ env: { SLA_REARM_DELAY_SECONDS: '3', SLA_REARM_BATCH_SIZE: '5' } });
    admin = await loginAdmin(h);
    [{ seq: startSeq }] = await h.db.query(`SELECT COALESCE(max(seq), 0) AS seq FROM holiday_revision`);
    lurah = (await officialIn(h, admin, LURAH_UNIT)).token;
    bus = h.worker!.get(CommandBus);
  });

  afterAll(async () => {
    await h.db.query(`DELETE FROM sla_policy WHERE tenant_code = $1 AND category_code = 'LAMPU_JALAN_MATI'`, [TENANT]);
    for (const [year, entries] of original) {
      if (entries) await call(h, 'PUT', `/api/v1/admin/holidays/${year}`, { token: admin, body: entries });
      else await call(h, 'DELETE', `/api/v1/admin/holidays/${year}`, { token: admin });
    }
    // Leave no re-arm half done for the files after this one.
    await eventually(async () => (await h.db.query(`SELECT 1 FROM holiday_revision WHERE seq > $1 AND rearm_status = 'pending'`, [startSeq])).length === 0, 60_000, 'this file’s re-arms');
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, 'calendar-revision.json'), JSON.stringify(quotes, null, 2));
    await h.close();
  });

  const wib = (instant: Date) => localDate(instant, 'Asia/Jakarta');
  const calendar = async (): Promise<OfficialCalendar> => (await h.api.get(SlaDeadlinePolicy).readCalendars(h.db.manager)).forTenant(TENANT);
  const table = async (year: number): Promise<Entry[]> => (await call(h, 'GET', `/api/v1/admin/holidays/${year}`, { token: admin })).body;
  const overview = async () => (await call(h, 'GET', '/api/v1/admin/holidays', { token: admin })).body;

  /** Remembers a year's table the first time this file changes it. */
  async function remember(year: number): Promise<Entry[]> {
    const entries = await table(year);
    if (!original.has(year)) original.set(year, entries.length ? entries : null);
    return entries;
  }

  /** Puts a national table and waits for the re-arm it starts; answers the revision's row. */
  async function revise(year: number, entries: Entry[] | { year: number; source: string; libur_nasional: unknown[]; cuti_bersama: unknown[] }) {
    const [{ seq }]: { seq: string }[] = await h.db.query(`SELECT COALESCE(max(seq), 0) AS seq FROM holiday_revision`);
    const put = await call(h, 'PUT', `/api/v1/admin/holidays/${year}`, { token: admin, body: entries });
    expect(put.status).toBe(200);
    return rearmed(seq);
  }

  /** Waits until the revision after `seq` has counted every running deadline again. */
  async function rearmed(seq: string) {
    return eventually(async () => {
      const [row]: { id: string; rearm_status: string; rearm_checked: number; rearm_moved: number }[] = await h.db.query(
        `SELECT id, rearm_status, rearm_checked, rearm_moved FROM holiday_revision WHERE seq > $1 ORDER BY seq LIMIT 1`,
        [seq],
      );
      return row?.rearm_status === 'done' ? row : null;
    }, 60_000, 're-arm');
  }

  /** Loads a table of this file's own for a year that has none: the library's dates, named as a test. */
  async function ensureOfficial(year: number): Promise<void> {
    if ((await remember(year)).length) return;
    await revise(year, fallbackHolidays(year).map((date) => ({ date, kind: 'libur_nasional', name: `Libur uji ${year} (bukan SKB)` })));
  }

  async function deadlinesOf(tn: string) {
    const [row]: {
      id: string; status: string; due_at: Date | null; due_provisional: boolean; resolution_due_at: Date | null; auto_close_at: Date | null; resolved_at: Date | null;
      assignment_id: string | null; assigned_at: Date | null; first_response_due_at: Date | null; first_response_provisional: boolean | null; unit: string;
    }[] = await h.db.query(
      `SELECT c.id, c.status, c.due_at, c.due_provisional, c.resolution_due_at, c.auto_close_at, c.resolved_at, u.code AS unit,
              a.id AS assignment_id, a.assigned_at, a.first_response_due_at, a.first_response_provisional
         FROM complaint c JOIN unit u ON u.id = c.current_unit_id
         LEFT JOIN assignment a ON a.complaint_id = c.id AND a.ended_at IS NULL
        WHERE c.tracking_number = $1`,
      [tn],
    );
    return row;
  }

  async function trail(tn: string): Promise<{ event: string; data: Record<string, any> }[]> {
    return h.db.query(`SELECT a.event, a.data FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id WHERE c.tracking_number = $1 ORDER BY a.seq`, [tn]);
  }

  async function timers(jobName: JobName, key: 'assignmentId' | 'complaintId', id: string): Promise<{ job_id: string; deliver_at: Date }[]> {
    return h.db.query(`SELECT job_id, deliver_at FROM outbox_message WHERE job_name = $1 AND payload->>$2 = $3 ORDER BY created_at`, [jobName, key, id]);
  }

  /** A complaint's entry in an inbox (the lurah's unless said; other files may have filled it: every page is read). */
  async function inboxItem(tn: string, token = lurah): Promise<{ due_at: string; due_provisional: boolean }> {
    for (let page = 1; ; page += 1) {
      const body = (await call(h, 'GET', `/api/v1/inbox?page_size=200&page=${page}`, { token })).body;
      const item = body.items.find((i: { tracking_number: string }) => i.tracking_number === tn);
      if (item) return item;
      if (!body.next_cursor) throw new Error(`${tn} is not in the inbox`);
    }
  }

  const fire = (timer: SlaTimer, job: JobName, messageId: string, firedAt: Date) => bus.execute(new FireSlaTimerCommand(timer, job, messageId, firedAt));
  const act = (tn: string, action: string, body: unknown = {}) => call(h, 'POST', `/api/v1/complaints/${tn}/${action}`, { token: lurah, body });

  it('counts a deadline over a year without an official table as provisional, warns, and confirms it once an admin loads the table', async () => {
    const now = new Date();
    const thisYear = Number(wib(now).slice(0, 4));
    const nextYear = thisYear + 1;
    await ensureOfficial(thisYear);
    await remember(nextYear);
    expect(original.get(nextYear)).toBeNull();
    expect((await overview()).years.find((y: { year: number }) => y.year === nextYear)).toMatchObject({ status: 'fallback', national: null });

    // A first response that runs three working days into next year.
    const cal = await calendar();
    const toYearEnd = workingDaysBetween(now, new Date(`${thisYear}-12-31T16:00:00Z`), cal);
    const put = await call(h, 'PUT', `/api/v1/admin/sla/LAMPU_JALAN_MATI?tenant=${TENANT}`, { token: admin, body: { first_response: { working_days: toYearEnd + 3 }, resolution: { working_days: 2 } } });
    expect(put.status).toBe(200);
    await new Promise((r) => setTimeout(r, 2500)); // every process reads policies again within 2 s
    const { tn, code } = await fileAndRoute(h, { category: 'LAMPU_JALAN_MATI' });
    const before = await deadlinesOf(tn);
    expect(before.status).toBe('routed');
    expect(Number(wib(before.first_response_due_at!).slice(0, 4))).toBe(nextYear);
    expect([before.due_provisional, before.first_response_provisional]).toEqual([true, true]);
    const holder = (await officialIn(h, admin, before.unit)).token;
    const item = await inboxItem(tn, holder);
    expect(item).toMatchObject({ due_at: before.due_at!.toISOString(), due_provisional: true });
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { headers: { 'x-access-code': code } })).body).toMatchObject({ due_provisional: true });
    expect((await call(h, 'GET', `/api/v1/complaints/${tn}`, { token: holder })).body).toMatchObject({ due_provisional: true });

    // From 1 October (WIB here) next year's missing table is a warning everywhere an operator looks.
    const october = Number(wib(now).slice(5, 7)) >= 10;
    const warned = (await overview()).warnings.map((w: { year: number }) => w.year);
    const ready = await call(h, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    const calendarCheck = ready.body.checks.find((c: { name: string }) => c.name === 'calendar');
    expect(ready.body.checks.map((c: { name: string }) => c.name)).toEqual(['postgresql', 'redis', 'worker', 'outbox', 'calendar']);
    if (october) {
      expect(warned).toEqual([nextYear]);
      expect(ready.body.status).toBe('warn');
      expect(calendarCheck).toMatchObject({ status: 'warn' });
      expect(calendarCheck.detail).toContain(`PUT /api/v1/admin/holidays/${nextYear}`);
    } else {
      expect(warned).toEqual([]);
      expect(calendarCheck).toEqual({ name: 'calendar', status: 'ok' });
    }

    // The admin loads next year's table (in the file format), with a cuti bersama on the second working day of January.
    const library = fallbackHolidays(nextYear);
    const secondDay = wib(addWorkingDays(new Date(`${thisYear}-12-31T05:00:00Z`), 2, cal));
    const revision = await revise(nextYear, {
      year: nextYear,
      source: `Tabel uji ${nextYear} (bukan SKB)`,
      libur_nasional: library.filter((d) => d !== secondDay).map((date) => ({ date, name: `Libur uji ${nextYear}` })),
      cuti_bersama: [{ date: secondDay, name: 'Cuti bersama uji' }],
    });
    expect(revision.rearm_checked).toBeGreaterThan(0);

    const after = await deadlinesOf(tn);
    const expected = addWorkingDays(before.assigned_at!, toYearEnd + 3, await calendar());
    expect(after.first_response_due_at).toEqual(expected);
    expect(after.due_at).toEqual(expected);
    expect([after.due_provisional, after.first_response_provisional]).toEqual([false, false]);
    const moved = (await trail(tn)).filter((e) => e.event === 'complaint.deadline_moved' || e.event === 'complaint.deadline_recounted');
    expect(moved).toHaveLength(1);
    expect(moved[0].data).toMatchObject({
      kind: 'first_response',
      from: before.first_response_due_at!.toISOString(),
      to: expected.toISOString(),
      provisional: { from: true, to: false },
      holiday_revision: { id: revision.id, scope: 'national', year: nextYear, by: { type: 'official' } },
    });
    expect((await overview()).years.find((y: { year: number }) => y.year === nextYear)).toMatchObject({
      status: 'official',
      national: { cuti_bersama: 1, source: `Tabel uji ${nextYear} (bukan SKB)`, last_change: { action: 'replaced', rearm: { status: 'done' } } },
    });
    expect((await overview()).warnings.map((w: { year: number }) => w.year)).not.toContain(nextYear);
    expect((await call(h, 'GET', '/health/ready')).body.checks.find((c: { name: string }) => c.name === 'calendar')).toEqual({ name: 'calendar', status: 'ok' });
    quotes.provisional = { tracking_number: tn, before: before.first_response_due_at, before_provisional: true, after: expected, after_provisional: false };
  });

  it('moves running deadlines a working day later when a revision adds a cuti bersama day; old timers do nothing, new ones fire', async () => {
    const cal = await calendar();
    const day = wib(addWorkingDays(new Date(), 2, cal)); // the second working day from today: inside every clock below
    const year = Number(day.slice(0, 4));
    await ensureOfficial(year);
    const current = await remember(year);

    const waiting = await fileAndRoute(h); // routed: first response (3 hari kerja)
    const escalating = await fileAndRoute(h);
    const handling = await fileAndRoute(h); // acknowledged: resolution (SAMPAH is ringan, 2 hari kerja)
    const paused = await fileAndRoute(h); // the officer asked the resident: the resolution clock stands still
    const resolved = await fileAndRoute(h); // closes by itself after 10 hari kerja
    const missed = await fileAndRoute(h); // a deadline already passed, its timer yet to fire
    expect((await act(handling.tn, 'acknowledge')).status).toBe(200);
    expect((await act(paused.tn, 'request-info', { question: 'Di RT berapa tepatnya?' })).status).toBe(200);
    expect((await act(resolved.tn, 'resolve', { resolution: 'Sampah sudah diangkut dan lokasi dibersihkan.' })).status).toBe(200);
    const m = await deadlinesOf(missed.tn);
    const missedDue = new Date(Date.now() - 60_000);
    await h.db.query(`UPDATE assignment SET first_response_due_at = $2 WHERE id = $1`, [m.assignment_id, missedDue]);
    await h.db.query(`UPDATE complaint SET due_at = $2 WHERE id = $1`, [m.id, missedDue]);
    await h.quiet();

    const before = {
      waiting: await deadlinesOf(waiting.tn), escalating: await deadlinesOf(escalating.tn), handling: await deadlinesOf(handling.tn),
      paused: await deadlinesOf(paused.tn), resolved: await deadlinesOf(resolved.tn),
    };
    expect(before.waiting.first_response_due_at).toEqual(addWorkingDays(before.waiting.assigned_at!, 3, cal));

    const revision = await revise(year, [...current, { date: day, kind: 'cuti_bersama', name: 'Cuti bersama tambahan (uji revisi)' }]);
    const after = {
      waiting: await deadlinesOf(waiting.tn), escalating: await deadlinesOf(escalating.tn), handling: await deadlinesOf(handling.tn),
      paused: await deadlinesOf(paused.tn), resolved: await deadlinesOf(resolved.tn), missed: await deadlinesOf(missed.tn),
    };
    const revised = await calendar();
    const nextWorkingDay = (d: Date) => addWorkingDays(d, 1, revised);
    expect(after.waiting.first_response_due_at).toEqual(nextWorkingDay(before.waiting.first_response_due_at!));
    expect(after.waiting.due_at).toEqual(after.waiting.first_response_due_at);
    expect(after.escalating.first_response_due_at).toEqual(nextWorkingDay(before.escalating.first_response_due_at!));
    expect(after.handling.resolution_due_at).toEqual(nextWorkingDay(before.handling.resolution_due_at!));
    expect(after.paused.resolution_due_at).toEqual(nextWorkingDay(before.paused.resolution_due_at!));
    expect(after.resolved.auto_close_at).toEqual(nextWorkingDay(before.resolved.auto_close_at!));
    expect(after.missed.first_response_due_at).toEqual(missedDue);
    expect((await trail(missed.tn)).map((e) => e.event)).not.toContain('complaint.deadline_moved');
    expect(revision.rearm_moved).toBeGreaterThanOrEqual(5);
    // Moved later: nobody needs telling; the new times are in the trail, the views and the timers.
    const notices: unknown[] = await h.db.query(
      `SELECT 1 FROM notification n JOIN complaint c ON c.id = n.complaint_id WHERE c.tracking_number = ANY($1) AND n.template = 'unit.deadline_moved_earlier'`,
      [[waiting.tn, escalating.tn, handling.tn, paused.tn, resolved.tn]],
    );
    expect(notices).toEqual([]);
    const moved = (await trail(waiting.tn)).filter((e) => e.event === 'complaint.deadline_moved');
    expect(moved.map((e) => e.data)).toEqual([
      expect.objectContaining({
        kind: 'first_response',
        from: before.waiting.first_response_due_at!.toISOString(),
        to: after.waiting.first_response_due_at!.toISOString(),
        unit_id: expect.any(String),
        holiday_revision: expect.objectContaining({ id: revision.id, year }),
      }),
    ]);
    const resident = (await call(h, 'GET', `/api/v1/complaints/${waiting.tn}`, { headers: { 'x-access-code': waiting.code } })).body;
    expect(resident.due_at).toBe(after.waiting.due_at!.toISOString());
    expect(resident.timeline.map((i: { message: string }) => i.message)).toContain(`Batas waktu disesuaikan dengan kalender hari libur resmi ${year}.`);
    expect((await inboxItem(waiting.tn)).due_at).toBe(after.waiting.due_at!.toISOString());
    expect((await call(h, 'GET', `/api/v1/complaints/${resolved.tn}`, { headers: { 'x-access-code': resolved.code } })).body.auto_close_at).toBe(after.resolved.auto_close_at!.toISOString());

    // Each moved deadline has a timer for its new time, beside the old one.
    const frd = (await timers(JobName.FirstResponseDue, 'assignmentId', after.escalating.assignment_id!)).map((t) => [t.job_id, t.deliver_at]);
    expect(frd).toEqual([
      [`frd-${after.escalating.assignment_id}-${before.escalating.first_response_due_at!.getTime()}`, before.escalating.first_response_due_at],
      [`frd-${after.escalating.assignment_id}-${after.escalating.first_response_due_at!.getTime()}`, after.escalating.first_response_due_at],
    ]);
    expect((await timers(JobName.ResolutionDue, 'complaintId', after.handling.id)).map((t) => t.deliver_at)).toEqual([before.handling.resolution_due_at, after.handling.resolution_due_at]);
    expect((await timers(JobName.AutoClose, 'complaintId', after.resolved.id)).map((t) => t.deliver_at)).toEqual([before.resolved.auto_close_at, after.resolved.auto_close_at]);

    // The old timers, fired at their old time, find their time gone and do nothing.
    const oldDue = before.escalating.first_response_due_at!;
    const a = after.escalating.assignment_id!;
    const second = 1000;
    expect(await fire({ kind: 'first-response-due', assignmentId: a, dueAt: oldDue }, JobName.FirstResponseDue, `frd-${a}-${oldDue.getTime()}`, new Date(oldDue.getTime() + second))).toBe('met');
    expect(await fire({ kind: 'first-response-reminder', assignmentId: a, dueAt: oldDue }, JobName.FirstResponseReminder, `frr-${a}-${oldDue.getTime()}`, new Date(oldDue.getTime() - second))).toBe('met');
    const oldResolution = before.handling.resolution_due_at!;
    expect(await fire({ kind: 'resolution-due', complaintId: after.handling.id, dueAt: oldResolution }, JobName.ResolutionDue, `rsd-${after.handling.id}-${oldResolution.getTime()}`, new Date(oldResolution.getTime() + second))).toBe('met');
    const oldClose = before.resolved.auto_close_at!;
    const resolvedAt = after.resolved.resolved_at!;
    expect(await fire({ kind: 'auto-close', complaintId: after.resolved.id, resolvedAt, closeAt: oldClose }, JobName.AutoClose, `acl-${after.resolved.id}-${resolvedAt.getTime()}-${oldClose.getTime()}`, new Date(oldClose.getTime() + second))).toBe('met');
    expect((await deadlinesOf(escalating.tn)).unit).toBe(LURAH_UNIT);
    expect((await deadlinesOf(handling.tn)).status).toBe('in_progress');
    expect((await deadlinesOf(resolved.tn)).status).toBe('resolved');
    const breaches = (tn: string) => h.db.query(`SELECT b.kind, b.due_at FROM sla_breach b JOIN complaint c ON c.id = b.complaint_id WHERE c.tracking_number = $1`, [tn]);
    expect(await breaches(escalating.tn)).toEqual([]);
    expect(await breaches(handling.tn)).toEqual([]);

    // The new ones, fired at the new time, act: escalation, breach, automatic closing.
    const newDue = after.escalating.first_response_due_at!;
    expect(await fire({ kind: 'first-response-due', assignmentId: a, dueAt: newDue }, JobName.FirstResponseDue, `frd-${a}-${newDue.getTime()}`, new Date(newDue.getTime() + second))).toBe('escalated');
    expect(await breaches(escalating.tn)).toEqual([{ kind: 'first_response', due_at: newDue }]);
    expect((await deadlinesOf(escalating.tn)).unit).toBe('KEC.36.73.01');
    const newResolution = after.handling.resolution_due_at!;
    expect(await fire({ kind: 'resolution-due', complaintId: after.handling.id, dueAt: newResolution }, JobName.ResolutionDue, `rsd-${after.handling.id}-${newResolution.getTime()}`, new Date(newResolution.getTime() + second))).toBe('breached');
    expect(await breaches(handling.tn)).toEqual([{ kind: 'resolution', due_at: newResolution }]);
    const newClose = after.resolved.auto_close_at!;
    expect(await fire({ kind: 'auto-close', complaintId: after.resolved.id, resolvedAt, closeAt: newClose }, JobName.AutoClose, `acl-${after.resolved.id}-${resolvedAt.getTime()}-${newClose.getTime()}`, new Date(newClose.getTime() + second))).toBe('closed');

    quotes.added = {
      cuti_bersama: day,
      first_response: { tracking_number: waiting.tn, before: before.waiting.first_response_due_at, after: after.waiting.first_response_due_at },
      resolution: { tracking_number: handling.tn, before: before.handling.resolution_due_at, after: after.handling.resolution_due_at },
      paused_resolution: { tracking_number: paused.tn, before: before.paused.resolution_due_at, after: after.paused.resolution_due_at },
      auto_close: { tracking_number: resolved.tn, before: before.resolved.auto_close_at, after: after.resolved.auto_close_at },
      missed_left_alone: { tracking_number: missed.tn, due: missedDue },
      revision: { checked: revision.rearm_checked, moved: revision.rearm_moved },
    };

    // The revision that removes the day again: what still runs moves back earlier, and its units are told.
    const removal = await revise(year, current);
    const back = { waiting: await deadlinesOf(waiting.tn), paused: await deadlinesOf(paused.tn) };
    expect(back.waiting.first_response_due_at).toEqual(before.waiting.first_response_due_at);
    expect(back.paused.resolution_due_at).toEqual(before.paused.resolution_due_at);
    const told: { tracking_number: string; unit: string; data: Record<string, unknown> }[] = await h.db.query(
      `SELECT c.tracking_number, u.code AS unit, n.data FROM notification n JOIN complaint c ON c.id = n.complaint_id JOIN unit u ON u.id = n.unit_id
        WHERE c.tracking_number = ANY($1) AND n.template = 'unit.deadline_moved_earlier' ORDER BY c.tracking_number`,
      [[waiting.tn, paused.tn]],
    );
    expect(told.map((n) => [n.tracking_number, n.unit])).toEqual([[waiting.tn, LURAH_UNIT], [paused.tn, LURAH_UNIT]].sort());
    expect(told.find((n) => n.tracking_number === waiting.tn)!.data).toMatchObject({
      kind: 'first_response', from: after.waiting.first_response_due_at!.toISOString(), due_at: before.waiting.first_response_due_at!.toISOString(), year,
    });
    expect((await trail(waiting.tn)).filter((e) => e.event === 'complaint.deadline_moved').map((e) => [e.data.from, e.data.to])).toEqual([
      [before.waiting.first_response_due_at!.toISOString(), after.waiting.first_response_due_at!.toISOString()],
      [after.waiting.first_response_due_at!.toISOString(), before.waiting.first_response_due_at!.toISOString()],
    ]);
    // The resident's answer restarts the paused clock from the moved deadline, plus the time it stood still.
    const [{ paused_at }]: { paused_at: Date }[] = await h.db.query(`SELECT paused_at FROM complaint WHERE id = $1`, [back.paused.id]);
    const reply = await call(h, 'POST', `/api/v1/complaints/${paused.tn}/replies`, { headers: { 'x-access-code': paused.code }, body: { message: 'RT 03, dekat pos ronda.' } });
    expect(reply.status).toBe(200);
    const resumed = await deadlinesOf(paused.tn);
    const waited = resumed.resolution_due_at!.getTime() - before.paused.resolution_due_at!.getTime();
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThan(Date.now() - paused_at.getTime() + 1000);
    quotes.removed = {
      first_response: { tracking_number: waiting.tn, before: after.waiting.first_response_due_at, after: back.waiting.first_response_due_at },
      paused_resolution: { tracking_number: paused.tn, before: after.paused.resolution_due_at, after: back.paused.resolution_due_at },
      revision: { checked: removal.rearm_checked, moved: removal.rearm_moved },
    };
  });

  it('keeps a tenant’s local holidays with its admin: audited on its own stream, moving only its own deadlines', async () => {
    const cal = await calendar();
    const day = wib(addWorkingDays(new Date(), 2, cal));
    const year = Number(day.slice(0, 4));
    await ensureOfficial(year);
    const serangAdmin = (await officialIn(h, admin, 'INSP.36.73', ['admin'])).token;
    const tangerangAdmin = (await officialIn(h, admin, 'INSP.36.71', ['admin'])).token;
    const inSerang = await fileAndRoute(h);
    const inTangerang = await fileAndRoute(h, { kelurahan: '36.71.01.1001' });
    const [serangBefore, tangerangBefore] = [await deadlinesOf(inSerang.tn), await deadlinesOf(inTangerang.tn)];
    const local = [{ date: day, kind: 'lokal', name: 'HUT Kota Serang (uji)' }];

    const before = await writeCounts(h.db);
    expect((await call(h, 'PUT', `/api/v1/admin/holidays/${year}?tenant=36.73`, { token: tangerangAdmin, body: local })).status).toBe(403);
    expect((await call(h, 'PUT', `/api/v1/admin/holidays/${year}`, { token: serangAdmin, body: [{ date: day, kind: 'cuti_bersama', name: 'Cuti' }] })).status).toBe(403);
    expect((await call(h, 'PUT', `/api/v1/admin/holidays/${year}?tenant=36.73`, { token: lurah, body: local })).status).toBe(403);
    expect((await call(h, 'GET', '/api/v1/admin/holidays', { token: lurah })).status).toBe(403);
    for (const bad of [
      [{ date: `${year + 1}-01-05`, kind: 'lokal', name: 'Tahun lain' }],
      [{ date: day, kind: 'cuti_bersama', name: 'Bukan lokal' }],
      [...local, { ...local[0], name: 'Dua kali' }],
      [{ date: day, kind: 'lokal', name: 'x' }],
      { year, lokal: [{ date: day, name: 'HUT' }], extra: true },
    ]) {
      const res = await call(h, 'PUT', `/api/v1/admin/holidays/${year}?tenant=36.73`, { token: serangAdmin, body: bad });
      expect([JSON.stringify(bad), res.status, res.headers['content-type']]).toEqual([JSON.stringify(bad), 422, expect.stringMatching(/problem\+json/)]);
    }
    expect((await call(h, 'PUT', `/api/v1/admin/holidays/${year}?tenant=99.99`, { token: admin, body: local })).status).toBe(404);
    expect(await writeCounts(h.db)).toEqual(before);

    const [{ seq }]: { seq: string }[] = await h.db.query(`SELECT COALESCE(max(seq), 0) AS seq FROM holiday_revision`);
    const put = await call(h, 'PUT', `/api/v1/admin/holidays/${year}?tenant=36.73`, { token: serangAdmin, body: { year, source: 'Perwal uji', lokal: [{ date: day, name: 'HUT Kota Serang (uji)' }] } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(local);
    await rearmed(seq);
    const serangLocal = (await calendar()).nonWorkingDates.has(day);
    expect(serangLocal).toBe(true);
    expect((await deadlinesOf(inSerang.tn)).first_response_due_at).toEqual(addWorkingDays(serangBefore.first_response_due_at!, 1, await calendar()));
    expect((await deadlinesOf(inTangerang.tn)).first_response_due_at).toEqual(tangerangBefore.first_response_due_at);
    const [entry]: { actor_type: string; actor_id: string; event: string; data: Record<string, any> }[] = await h.db.query(
      `SELECT actor_type, actor_id, event, data FROM audit_entry WHERE stream = 'holidays:36.73' ORDER BY seq DESC LIMIT 1`,
    );
    expect(entry).toMatchObject({ actor_type: 'official', event: 'holidays.replaced', data: { scope: '36.73', year, added: local, removed: [], source: { from: null, to: 'Perwal uji' } } });
    // A tenant admin sees its own local tables in the overview, not another tenant's.
    const seen = (await call(h, 'GET', '/api/v1/admin/holidays', { token: tangerangAdmin })).body.years.find((y: { year: number }) => y.year === year);
    expect(seen.local).toEqual([]);
    const own = (await call(h, 'GET', '/api/v1/admin/holidays', { token: serangAdmin })).body.years.find((y: { year: number }) => y.year === year);
    expect(own.local).toEqual([expect.objectContaining({ tenant: '36.73', days: 1, last_change: expect.objectContaining({ rearm: expect.objectContaining({ status: 'done' }) }) })]);

    const [{ seq: seq2 }]: { seq: string }[] = await h.db.query(`SELECT max(seq) AS seq FROM holiday_revision`);
    expect((await call(h, 'DELETE', `/api/v1/admin/holidays/${year}?tenant=36.73`, { token: serangAdmin })).status).toBe(204);
    await rearmed(seq2);
    expect((await deadlinesOf(inSerang.tn)).first_response_due_at).toEqual(serangBefore.first_response_due_at);
    expect((await call(h, 'DELETE', `/api/v1/admin/holidays/${year}?tenant=36.73`, { token: serangAdmin })).status).toBe(404);
  });
});
