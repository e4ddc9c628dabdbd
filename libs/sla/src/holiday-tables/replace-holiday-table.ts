import { appendAudit, lockStream } from '@aduan/audit';
import { databaseClock, JobName, outboxMessage, OutboxWrites, SqlStatement, timerJobId } from '@aduan/platform';
import { randomUUID } from 'node:crypto';
import { NATIONAL } from '../calendar/calendar-book';
import { announcePolicyChange } from '../policy/policy-change';
import { diffHolidays, HolidayEntry, HolidayTableInput } from './holiday-table.schema';

/** Who changes a table: an official through the API, or the system (the shipped tables, at seed). */
export interface TableAuthor {
  actor: { type: 'official' | 'system'; id: string };
  channel: 'api' | 'cli';
  requestId: string | null;
}

export interface TableChange {
  /** null: nothing changed (the same table again), so nothing was written */
  revisionId: string | null;
}

/** The audit stream of a table: one per scope (`holidays` for the national table, `holidays:36.73` for a tenant's). */
export function holidayStream(scope: string): string {
  return scope === NATIONAL ? 'holidays' : `holidays:${scope}`;
}

/**
 * Replaces one year's table of one scope (`input`), or withdraws it (null), inside the caller's
 * transaction: the table, a `holiday_revision` row with the dates before and after, an audit
 * entry naming each day added, removed or changed, and — when the days off changed, or the
 * national year became official or stopped being so — the job that counts every running deadline
 * of the scope again, delayed by `rearmDelayMs` so that every process reads the new table first
 * (null: no deadline runs yet, as in a new database). The same table again writes nothing.
 */
export async function replaceHolidayTable(
  outbox: OutboxWrites,
  scope: string,
  year: number,
  input: HolidayTableInput | null,
  author: TableAuthor,
  rearmDelayMs: number | null,
): Promise<TableChange> {
  const m = outbox.manager;
  const stream = holidayStream(scope);
  await lockStream(m, stream);
  const [current]: { revision: number; source: string | null }[] = await m.query(
    `SELECT revision, source FROM holiday_table WHERE scope = $1 AND year = $2 FOR UPDATE`,
    [scope, year],
  );
  const before: HolidayEntry[] = current
    ? await m.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, name FROM holiday WHERE scope = $1 AND year = $2 ORDER BY date`, [scope, year])
    : [];
  const nothing: TableChange = { revisionId: null };
  if (!input && !current) return nothing;
  if (input && current && input.source === current.source && sameEntries(before, input.holidays)) return nothing;

  const revision = input ? (current?.revision ?? 0) + 1 : current!.revision;
  const officialId = author.actor.type === 'official' ? author.actor.id : null;
  if (input) {
    await m.query(
      `INSERT INTO holiday_table (scope, year, source, revision, updated_at, updated_by) VALUES ($1, $2, $3, $4, now(), $5)
       ON CONFLICT (scope, year) DO UPDATE SET source = EXCLUDED.source, revision = EXCLUDED.revision, updated_at = now(), updated_by = EXCLUDED.updated_by`,
      [scope, year, input.source, revision, officialId],
    );
    await m.query(`DELETE FROM holiday WHERE scope = $1 AND year = $2`, [scope, year]);
    if (input.holidays.length) {
      await m.query(`INSERT INTO holiday (scope, year, date, kind, name) SELECT $1, $2, * FROM unnest($3::date[], $4::text[], $5::text[])`, [
        scope, year, input.holidays.map((h) => h.date), input.holidays.map((h) => h.kind), input.holidays.map((h) => h.name),
      ]);
    }
  } else {
    // The table's days go with it (ON DELETE CASCADE).
    await m.query(`DELETE FROM holiday_table WHERE scope = $1 AND year = $2`, [scope, year]);
  }

  const beforeDates = current ? before.map((h) => h.date) : null;
  const afterDates = input ? input.holidays.map((h) => h.date) : null;
  // A national year turning official (or back) changes which deadlines are provisional even when the days agree.
  const rearm = rearmDelayMs !== null && (scope === NATIONAL ? !sameDates(beforeDates, afterDates) : !sameDates(beforeDates ?? [], afterDates ?? []));
  const revisionId = randomUUID();
  await m.query(
    `INSERT INTO holiday_revision (id, scope, year, revision, action, before_dates, after_dates, actor_type, actor_id, rearm_status, rearm_finished_at)
     VALUES ($1, $2, $3, $4, $5, $6::date[], $7::date[], $8, $9, $10, CASE WHEN $10 = 'done' THEN now() END)`,
    [revisionId, scope, year, revision, input ? 'replaced' : 'withdrawn', beforeDates, afterDates, author.actor.type, author.actor.id, rearm ? 'pending' : 'done'],
  );
  const diff = diffHolidays(before, input?.holidays ?? []);
  await appendAudit(m, [
    {
      stream,
      actor: author.actor,
      event: input ? 'holidays.replaced' : 'holidays.withdrawn',
      data: {
        scope,
        year,
        revision,
        revision_id: revisionId,
        source: { from: current?.source ?? null, to: input ? input.source : null },
        official: { from: Boolean(current), to: Boolean(input) },
        days: input?.holidays.length ?? 0,
        ...diff,
      },
      channel: author.channel,
      requestId: author.requestId,
    },
  ]);
  await announcePolicyChange(m);
  if (!rearm) return { revisionId };
  const job = outboxMessage(JobName.RearmDeadlines, { revisionId }, { jobId: timerJobId.rearmDeadlines(revisionId), deliverAt: new Date(databaseClock.nowMs() + rearmDelayMs!) });
  const s = new SqlStatement();
  await m.query(outbox.sql(s, [job]), s.params);
  return { revisionId };
}

function sameEntries(a: readonly HolidayEntry[], b: readonly HolidayEntry[]): boolean {
  return a.length === b.length && a.every((h, i) => h.date === b[i].date && h.kind === b[i].kind && h.name === b[i].name);
}

function sameDates(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
