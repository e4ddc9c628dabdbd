import { armAutoClose, armFirstResponse, armResolution, Complaint, ComplaintUnitOfWork, ComplaintWriter, lockComplaints, readComplaints, WriteScope } from '@aduan/complaints';
import { AccessPolicy } from '@aduan/directory';
import { APP_CONFIG, AppConfig, claimMessage, databaseClock } from '@aduan/platform';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from 'typeorm';
import { NATIONAL } from '../calendar/calendar-book';
import { SlaDeadlinePolicy } from '../calendar/sla-deadline-policy';
import { RearmDeadlinesCommand, RearmResult } from './rearm-deadlines.command';
import { Replanned, replanDeadline, RunningDeadline, runningDeadlines, WaitingStay } from './replan-deadline';

/** The statuses in which some deadline runs (the partial index complaint_running_clock_idx). */
const RUNNING_SQL = `status IN ('routed', 'in_progress', 'awaiting_info', 'resolved')`;

interface RevisionRow {
  id: string;
  scope: string;
  year: number;
  before_dates: string[] | null;
  actor_type: string;
  actor_id: string | null;
  rearm_status: 'pending' | 'done';
  rearm_cursor: string | null;
}

interface BatchStep {
  done: boolean;
  checked: number;
  moved: number;
}

/**
 * After a holiday table changes, counts every running deadline of its scope again (every tenant
 * for the national table, one tenant for a local one) on the calendar as it now is, and moves the
 * ones that changed: first responses (with their reminders), resolutions and automatic closings.
 * A deadline already missed is left as it was. Each move is written like any other step of a
 * complaint (ComplaintUnitOfWork: the new time, a `complaint.deadline_moved` entry with the old
 * and new time, new timers — the old ones find their time gone and do nothing — and a notice to
 * the unit when its deadline came earlier).
 *
 * The work goes in batches of SLA_REARM_BATCH_SIZE complaints, each its own short transaction
 * that locks only the complaints it moves and records how far it got in the revision's row, so
 * officials keep working meanwhile and a sweep cut short resumes where it stopped.
 */
@CommandHandler(RearmDeadlinesCommand)
export class RearmDeadlinesHandler implements ICommandHandler<RearmDeadlinesCommand, RearmResult> {
  private readonly logger = new Logger('RearmDeadlines');

  constructor(
    private readonly writer: ComplaintWriter,
    private readonly policy: SlaDeadlinePolicy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ revisionId, consumer, messageId }: RearmDeadlinesCommand): Promise<RearmResult> {
    const total: RearmResult = { checked: 0, moved: 0 };
    for (;;) {
      const step = await this.writer.transaction((scope) => this.batch(scope, revisionId, consumer, messageId));
      total.checked += step.checked;
      total.moved += step.moved;
      if (step.done) break;
    }
    if (total.checked > 0) this.logger.log(`holiday revision ${revisionId}: ${total.checked} running deadlines counted again, ${total.moved} moved`);
    return total;
  }

  private async batch({ manager: m, open }: WriteScope, revisionId: string, consumer: string, messageId: string): Promise<BatchStep> {
    // The revision's row serialises runs of this sweep (a job BullMQ gave to two workers).
    const [revision]: RevisionRow[] = await m.query(
      `SELECT id, scope, year, before_dates::text[] AS before_dates, actor_type, actor_id, rearm_status, rearm_cursor FROM holiday_revision WHERE id = $1 FOR UPDATE`,
      [revisionId],
    );
    const finished: BatchStep = { done: true, checked: 0, moved: 0 };
    if (!revision || revision.rearm_status === 'done') {
      await claimMessage(m, consumer, messageId);
      return finished;
    }
    const tenant = revision.scope === NATIONAL ? null : revision.scope;
    const ids: string[] = (
      await m.query(
        `SELECT id FROM complaint WHERE ${RUNNING_SQL} AND ($1::uuid IS NULL OR id > $1) AND ($2::text IS NULL OR tenant_code = $2) ORDER BY id LIMIT $3`,
        [revision.rearm_cursor, tenant, this.config.SLA_REARM_BATCH_SIZE],
      )
    ).map((r: { id: string }) => r.id);
    if (ids.length === 0) {
      await m.query(`UPDATE holiday_revision SET rearm_status = 'done', rearm_finished_at = now() WHERE id = $1`, [revisionId]);
      await claimMessage(m, consumer, messageId);
      return finished;
    }

    // Counted on the tables as committed now (a later revision re-arms again after this one).
    const now = databaseClock.now();
    const calendars = await this.policy.readCalendars(m);
    const before = calendars.withTable(revision.scope, revision.year, revision.before_dates);
    const plan = (c: Complaint, stay: WaitingStay | undefined) =>
      runningDeadlines(c.snapshot, stay)
        .map((deadline) => ({ deadline, change: replanDeadline(deadline, calendars.forTenant(c.snapshot.tenantCode), now, before.forTenant(c.snapshot.tenantCode)) }))
        .filter((p): p is { deadline: RunningDeadline; change: Replanned } => p.change !== null);

    // Read without locks; lock and read again only the complaints whose deadlines change.
    const seen = await readComplaints(m, ids);
    const seenStays = await waitingStays(m, ids);
    const checked = seen.reduce((n, c) => n + runningDeadlines(c.snapshot, seenStays.get(c.id)).length, 0);
    const candidates = seen.filter((c) => plan(c, seenStays.get(c.id)).length > 0).map((c) => c.id);
    let moved = 0;
    if (candidates.length) {
      const locked = await lockComplaints(m, candidates);
      const stays = await waitingStays(m, candidates);
      for (const complaint of locked.values()) {
        const changes = plan(complaint, stays.get(complaint.id));
        if (!changes.length) continue;
        const uow = open(complaint, now);
        for (const { deadline, change } of changes) {
          if (change.to.at.getTime() !== deadline.at.getTime()) moved++;
          this.move(uow, deadline, change, stays.get(complaint.id), revision, consumer);
        }
      }
    }
    await m.query(`UPDATE holiday_revision SET rearm_cursor = $2, rearm_checked = rearm_checked + $3, rearm_moved = rearm_moved + $4 WHERE id = $1`, [
      revisionId, ids[ids.length - 1], checked, moved,
    ]);
    return { done: false, checked, moved };
  }

  private move(uow: ComplaintUnitOfWork, deadline: RunningDeadline, change: Replanned, stay: WaitingStay | undefined, revision: RevisionRow, consumer: string): void {
    const complaint = uow.complaint;
    const c = complaint.snapshot;
    const to = change.to;
    complaint.moveDeadline(deadline.kind, to);
    let unitId: string | null = null;
    if (deadline.kind === 'first_response' && stay) {
      unitId = stay.unit_id;
      uow.moveFirstResponse(stay.id, to);
      armFirstResponse(uow, stay.id, stay.assigned_at, to.at);
    } else if (deadline.kind === 'resolution') {
      unitId = c.currentUnitId;
      // A clock standing still has no timer: the resident's answer arms it, from the moved deadline.
      if (c.status === 'in_progress') armResolution(uow, c.id, to.at);
    } else if (deadline.kind === 'auto_close' && c.resolvedAt) {
      armAutoClose(uow, c.id, c.resolvedAt, to.at);
    }
    const moved = to.at.getTime() !== deadline.at.getTime();
    uow.audit({
      actor: { type: 'system', id: consumer },
      event: moved ? 'complaint.deadline_moved' : 'complaint.deadline_recounted',
      data: {
        kind: deadline.kind,
        from: deadline.at.toISOString(),
        to: to.at.toISOString(),
        provisional: { from: deadline.provisional, to: to.provisional },
        ...(change.clamped ? { clamped: true } : {}),
        ...(unitId ? { unit_id: unitId } : {}),
        holiday_revision: { id: revision.id, scope: revision.scope, year: revision.year, by: { type: revision.actor_type, id: revision.actor_id } },
      },
      channel: 'worker',
    });
    // Never a notice to a unit the complaint may accuse: it would learn the complaint exists.
    if (moved && unitId && to.at.getTime() < deadline.at.getTime() && AccessPolicy.mayReceive(c, unitId)) {
      uow.notify('unit', 'unit.deadline_moved_earlier', { kind: deadline.kind, from: deadline.at.toISOString(), due_at: to.at.toISOString(), year: revision.year }, unitId);
    }
  }
}

async function waitingStays(m: EntityManager, complaintIds: readonly string[]): Promise<Map<string, WaitingStay>> {
  const rows: WaitingStay[] = await m.query(
    `SELECT DISTINCT ON (complaint_id) complaint_id, id, unit_id, assigned_at, first_response_due_at, first_response_working_days, first_response_provisional
       FROM assignment WHERE complaint_id = ANY($1::uuid[]) AND ended_at IS NULL AND responded_at IS NULL
      ORDER BY complaint_id, assigned_at DESC`,
    [complaintIds],
  );
  return new Map(rows.map((r) => [r.complaint_id, r]));
}
