import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarBook } from '../calendar/calendar-book';
import { SlaDeadlinePolicy } from '../calendar/sla-deadline-policy';
import { AssignmentSource, ComplaintSource, complaintFacts, FACT_EVENTS } from './response-time-facts';
import { applyRollupDelta, contributionsOf, fillRollup } from './response-time-rollup';

/** Leaves read per round; each round is one transaction. */
const LEAVES_PER_ROUND = 5000;
/** Complaints recounted per transaction by a rebuild. */
const REBUILD_PAGE = 2000;

export interface ProjectionRound {
  /** complaints recounted */
  complaints: number;
  /** the last sealed leaf taken into account */
  leafIdx: number;
}

/**
 * Writes the response-time read model from the sealed audit log. The sealer gives each committed
 * entry a leaf in commit order (`audit_leaf.idx`); a round takes the leaves after the checkpoint,
 * recounts every complaint they name from its rows as they stand, and moves the checkpoint, all in
 * one transaction. A recount is a pure function of the source, so a round repeated after a crash
 * writes the same rows; the checkpoint row's lock lets one round (or rebuild page) run at a time.
 */
@Injectable()
export class ResponseTimeProjector {
  constructor(private readonly dataSource: DataSource, private readonly deadlines: SlaDeadlinePolicy) {}

  /**
   * Rounds until the model has caught up with the sealed log; answers the complaints recounted.
   * `stop` aborted ends it after the round under way (each round commits on its own: nothing is lost).
   */
  async catchUp(stop?: AbortSignal): Promise<number> {
    let total = 0;
    for (;;) {
      const round = await this.round();
      total += round.complaints;
      if ((round.complaints === 0 && !round.more) || stop?.aborted) return total;
    }
  }

  /** One round. A revised holiday table changes working-day counts already written: the model is then rebuilt. */
  async round(): Promise<ProjectionRound & { more: boolean }> {
    const calendarVersion = await this.calendarVersion(this.dataSource.manager);
    return this.dataSource.transaction(async (m) => {
      const [cp]: { leaf_idx: string; calendar_version: string; rollup_filled: boolean }[] = await m.query(
        `SELECT leaf_idx, calendar_version, rollup_filled FROM response_time_checkpoint WHERE id FOR UPDATE`,
      );
      // A rollup never added up (just migrated) is first made the sum of the rows; from then on it moves with them.
      if (!cp.rollup_filled) {
        await fillRollup(m);
        await m.query(`UPDATE response_time_checkpoint SET rollup_filled = true WHERE id`);
      }
      if (cp.calendar_version !== calendarVersion) {
        this.deadlines.invalidate();
        await m.query(`UPDATE response_time_checkpoint SET leaf_idx = -1, calendar_version = $1 WHERE id`, [calendarVersion]);
        return { complaints: 0, leafIdx: -1, more: true };
      }
      const leaves: { idx: string; complaint_id: string | null }[] = await m.query(
        `SELECT idx, CASE WHEN stream LIKE 'complaint:%' THEN substr(stream, 11) END AS complaint_id
           FROM audit_leaf WHERE idx > $1 ORDER BY idx LIMIT ${LEAVES_PER_ROUND}`,
        [cp.leaf_idx],
      );
      if (leaves.length === 0) return { complaints: 0, leafIdx: Number(cp.leaf_idx), more: false };
      const ids = [...new Set(leaves.map((l) => l.complaint_id).filter((id): id is string => id !== null))];
      await this.recount(m, ids, await this.deadlines.calendars(m));
      const leafIdx = leaves[leaves.length - 1].idx;
      await m.query(`UPDATE response_time_checkpoint SET leaf_idx = $1, projected_at = now() WHERE id`, [leafIdx]);
      return { complaints: ids.length, leafIdx: Number(leafIdx), more: leaves.length === LEAVES_PER_ROUND };
    });
  }

  /**
   * Empties the model and counts every complaint again from PostgreSQL. The checkpoint moves to
   * the last sealed leaf first: whatever commits meanwhile is recounted by the rounds after it.
   * The pages write rows only; the rollup is then added up from the rows in one statement.
   */
  async rebuild(progress: (done: number) => void = () => undefined, rolledUp: (cells: number) => void = () => undefined): Promise<number> {
    await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT 1 FROM response_time_checkpoint WHERE id FOR UPDATE`);
      // DELETE, not TRUNCATE: the app role may not truncate (docs/architecture.md, database roles).
      await m.query(`DELETE FROM response_time_assignment`);
      await m.query(`DELETE FROM response_time_complaint`);
      await m.query(`DELETE FROM response_time_rollup`);
      await m.query(
        `UPDATE response_time_checkpoint SET leaf_idx = (SELECT coalesce(max(idx), -1) FROM audit_leaf), calendar_version = $1, projected_at = now() WHERE id`,
        [await this.calendarVersion(m)],
      );
    });
    const book = await this.deadlines.readCalendars(this.dataSource.manager);
    let after = '00000000-0000-0000-0000-000000000000';
    let done = 0;
    for (;;) {
      const page = await this.dataSource.transaction(async (m) => {
        await m.query(`SELECT 1 FROM response_time_checkpoint WHERE id FOR UPDATE`);
        const rows: { id: string }[] = await m.query(`SELECT id FROM complaint WHERE id > $1 ORDER BY id LIMIT ${REBUILD_PAGE}`, [after]);
        await this.recount(m, rows.map((r) => r.id), book, false);
        return rows;
      });
      if (page.length === 0) break;
      done += page.length;
      after = page[page.length - 1].id;
      progress(done);
    }
    // Rounds that ran between the pages moved the rollup by their own rows only: add it up afresh.
    rolledUp(await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT 1 FROM response_time_checkpoint WHERE id FOR UPDATE`);
      const cells = await fillRollup(m);
      await m.query(`UPDATE response_time_checkpoint SET rollup_filled = true WHERE id`);
      return cells;
    }));
    return done;
  }

  private async calendarVersion(m: EntityManager): Promise<string> {
    const [{ version }]: { version: string }[] = await m.query(`SELECT coalesce(max(seq), 0)::text AS version FROM holiday_revision`);
    return version;
  }

  /** Recounts complaints from their rows, in the caller's transaction, and moves the rollup by the difference (unless `rollup` is false). */
  async recount(m: EntityManager, ids: readonly string[], book: CalendarBook, rollup = true): Promise<void> {
    if (ids.length === 0) return;
    const before = rollup ? await contributionsOf(m, ids) : [];
    await this.write(m, ids, book);
    if (rollup) await applyRollupDelta(m, before, await contributionsOf(m, ids));
  }

  private async write(m: EntityManager, ids: readonly string[], book: CalendarBook): Promise<void> {
    const sources = await this.read(m, ids);
    const complaints: unknown[][] = [];
    const stays: unknown[][] = [];
    for (const c of sources) {
      const f = complaintFacts(c, book.forTenant(c.tenantCode));
      complaints.push([
        c.id, c.tenantCode, c.categoryCode, c.kelurahanCode, c.kecamatanCode, c.submittedAt, c.status, f.open, c.currentUnitId, f.firstUnitId,
        c.dueAt, f.pausedSince, f.firstResponseAt, f.firstResponseMs, f.firstResponseWorkingDays, c.resolvedAt && f.resolutionMs !== null ? c.resolvedAt : null,
        f.resolvedByUnitId, f.resolutionMs, f.resolutionWorkingDays, f.resolutionDueAt, f.resolutionMet, f.pausedMs, f.pauses, f.forwards, f.returns,
        f.escalations, f.reopens, f.satisfiedVerdicts, f.unsatisfiedVerdicts, f.ratingSum, f.ratingCount,
      ]);
      for (const a of f.assignments) {
        stays.push([
          a.id, c.id, c.tenantCode, c.categoryCode, c.kelurahanCode, c.kecamatanCode, a.unitId, a.via, a.fromUnitId, a.assignedAt, a.firstResponseDueAt,
          a.respondedAt, a.responseMs, a.responseWorkingDays, a.met, a.endedAt, a.endReason, a.firstResponseWorkingDays,
        ]);
      }
    }
    const cols = (rows: unknown[][], n: number) => Array.from({ length: n }, (_, i) => rows.map((r) => r[i]));
    await m.query(
      `INSERT INTO response_time_complaint (complaint_id, tenant_code, category_code, kelurahan_code, kecamatan_code, submitted_at, status, open,
         current_unit_id, first_unit_id, due_at, paused_since, first_response_at, first_response_ms, first_response_working_days, resolved_at,
         resolved_by_unit_id, resolution_ms, resolution_working_days, resolution_due_at, resolution_met, paused_ms, pauses, forwards, returns,
         escalations, reopens, satisfied_verdicts, unsatisfied_verdicts, rating_sum, rating_count)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::boolean[], $9::uuid[],
         $10::uuid[], $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::bigint[], $15::int[], $16::timestamptz[], $17::uuid[],
         $18::bigint[], $19::int[], $20::timestamptz[], $21::boolean[], $22::bigint[], $23::int[], $24::int[], $25::int[], $26::int[], $27::int[],
         $28::int[], $29::int[], $30::int[], $31::int[])
       ON CONFLICT (complaint_id) DO UPDATE SET status = EXCLUDED.status, open = EXCLUDED.open, current_unit_id = EXCLUDED.current_unit_id,
         first_unit_id = EXCLUDED.first_unit_id, due_at = EXCLUDED.due_at, paused_since = EXCLUDED.paused_since,
         first_response_at = EXCLUDED.first_response_at, first_response_ms = EXCLUDED.first_response_ms,
         first_response_working_days = EXCLUDED.first_response_working_days, resolved_at = EXCLUDED.resolved_at,
         resolved_by_unit_id = EXCLUDED.resolved_by_unit_id, resolution_ms = EXCLUDED.resolution_ms,
         resolution_working_days = EXCLUDED.resolution_working_days, resolution_due_at = EXCLUDED.resolution_due_at,
         resolution_met = EXCLUDED.resolution_met, paused_ms = EXCLUDED.paused_ms, pauses = EXCLUDED.pauses, forwards = EXCLUDED.forwards,
         returns = EXCLUDED.returns, escalations = EXCLUDED.escalations, reopens = EXCLUDED.reopens,
         satisfied_verdicts = EXCLUDED.satisfied_verdicts, unsatisfied_verdicts = EXCLUDED.unsatisfied_verdicts,
         rating_sum = EXCLUDED.rating_sum, rating_count = EXCLUDED.rating_count`,
      cols(complaints, 31),
    );
    if (stays.length === 0) return;
    await m.query(
      `INSERT INTO response_time_assignment (assignment_id, complaint_id, tenant_code, category_code, kelurahan_code, kecamatan_code, unit_id, via,
         from_unit_id, assigned_at, due_at, responded_at, response_ms, response_working_days, met, ended_at, end_reason, deadline_working_days)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[], $9::uuid[],
         $10::timestamptz[], $11::timestamptz[], $12::timestamptz[], $13::bigint[], $14::int[], $15::boolean[], $16::timestamptz[], $17::text[], $18::int[])
       ON CONFLICT (assignment_id) DO UPDATE SET due_at = EXCLUDED.due_at, responded_at = EXCLUDED.responded_at, response_ms = EXCLUDED.response_ms,
         response_working_days = EXCLUDED.response_working_days, met = EXCLUDED.met, ended_at = EXCLUDED.ended_at, end_reason = EXCLUDED.end_reason,
         deadline_working_days = EXCLUDED.deadline_working_days`,
      cols(stays, 18),
    );
  }

  private async read(m: EntityManager, ids: readonly string[]): Promise<ComplaintSource[]> {
    const rows: {
      id: string; tenant_code: string; category_code: string; kelurahan_code: string; kecamatan_code: string; submitted_at: Date; status: string;
      current_unit_id: string | null; due_at: Date | null; resolved_at: Date | null; resolution_due_at: Date | null;
    }[] = await m.query(
      `SELECT id, tenant_code, category_code, kelurahan_code, kecamatan_code, submitted_at, status, current_unit_id, due_at, resolved_at, resolution_due_at
         FROM complaint WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const stays: { complaint_id: string; id: string; unit_id: string; via: string; from_unit_id: string | null; assigned_at: Date; first_response_due_at: Date; first_response_working_days: number | null; responded_at: Date | null; ended_at: Date | null; end_reason: string | null }[] =
      await m.query(
        `SELECT complaint_id, id, unit_id, via, from_unit_id, assigned_at, first_response_due_at, first_response_working_days, responded_at, ended_at, end_reason
           FROM assignment WHERE complaint_id = ANY($1::uuid[])`,
        [ids],
      );
    // Only the entries and fields complaintFacts reads.
    const events: { complaint_id: string; at: Date; event: string; data: Record<string, unknown> }[] = await m.query(
      `SELECT substr(stream, 11) AS complaint_id, at, event, jsonb_build_object('resumed', data->'resumed', 'satisfied', data->'satisfied', 'rating', data->'rating') AS data
         FROM audit_entry WHERE stream = ANY($1::text[]) AND event = ANY($2::text[]) ORDER BY stream, seq`,
      [ids.map((id) => `complaint:${id}`), FACT_EVENTS],
    );
    const staysOf = group(stays, (s) => s.complaint_id);
    const eventsOf = group(events, (e) => e.complaint_id);
    return rows.map((r) => ({
      id: r.id, tenantCode: r.tenant_code, categoryCode: r.category_code, kelurahanCode: r.kelurahan_code, kecamatanCode: r.kecamatan_code,
      submittedAt: r.submitted_at, status: r.status, currentUnitId: r.current_unit_id, dueAt: r.due_at, resolvedAt: r.resolved_at,
      resolutionDueAt: r.resolution_due_at,
      assignments: (staysOf.get(r.id) ?? []).map((s): AssignmentSource => ({
        id: s.id, unitId: s.unit_id, via: s.via, fromUnitId: s.from_unit_id, assignedAt: s.assigned_at, firstResponseDueAt: s.first_response_due_at,
        firstResponseWorkingDays: s.first_response_working_days,
        respondedAt: s.responded_at, endedAt: s.ended_at, endReason: s.end_reason,
      })),
      events: (eventsOf.get(r.id) ?? []).map((e) => ({ at: e.at, event: e.event, data: e.data })),
    }));
  }
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}
