import { ChainHead, chainHeads, complaintStream, insertAuditSql, sealAfter } from '@aduan/audit';
import { databaseClock, insertOutboxSql, JobName, JobPayloads, outboxMessage, OutboxMessage, preparedQuery, SqlStatement, statementName } from '@aduan/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Complaint } from '../domain/complaint';
import type { NoticeTemplate } from '../domain/complaint-events';
import type { Tier } from '@aduan/directory';
import type { Deadline } from '../domain/deadline';
import type { Audience } from '../notifications/notification.entity';
import type { MessageKind } from './complaint-message.entity';
import type { ComplaintAuditRecord } from './complaint-audit';
import { complaintChange, updateComplaintsSql } from './complaint-table';

/**
 * Everything one step of a complaint's life writes — the complaint row, its audit entries,
 * assignments, messages, notifications and outbox rows — gathered and then written by a single
 * statement inside the caller's transaction (which holds the complaint's row lock). Opened by
 * ComplaintWriter's WriteScope, which writes it when the transaction's work returns.
 */
export class ComplaintUnitOfWork {
  private readonly audits: ComplaintAuditRecord[] = [];
  private readonly outbox: OutboxMessage[] = [];
  private readonly messages: { kind: MessageKind; body: string; authorType: 'resident' | 'official'; officialId: string | null; unitId: string | null; public: boolean }[] = [];
  private readonly notifications: { id: string; audience: Audience; unitId: string | null; template: string; data: Record<string, unknown> }[] = [];
  private readonly newAssignments: { id: string; unitId: string; tier: Tier; routingId: string; due: Deadline; fromUnitId: string | null; via: string }[] = [];
  private readonly firstResponseMoves: { assignmentId: string; due: Deadline }[] = [];
  private endCurrent: { reason: string } | null = null;
  private respondCurrent = false;
  private readonly access: { unitId: string; reason: string }[] = [];

  private readonly versionAtStart: number;

  constructor(readonly manager: EntityManager, readonly complaint: Complaint, readonly now: Date = databaseClock.now()) {
    this.versionAtStart = complaint.snapshot.version;
  }

  audit(record: ComplaintAuditRecord): this {
    this.audits.push(record);
    return this;
  }

  message(kind: MessageKind, body: string, author: { type: 'resident' | 'official'; officialId?: string | null; unitId?: string | null }, isPublic: boolean): this {
    this.messages.push({ kind, body, authorType: author.type, officialId: author.officialId ?? null, unitId: author.unitId ?? null, public: isPublic });
    return this;
  }

  /**
   * A notification row plus its `notification.send` job. A notice to a resident who left no name,
   * phone or email is not written: there is nobody to deliver it to, by any channel.
   */
  notify(audience: Audience, template: NoticeTemplate, data: Record<string, unknown>, unitId: string | null = null): this {
    if (audience === 'resident' && !this.complaint.snapshot.reporterOnFile) return this;
    const id = randomUUID();
    this.notifications.push({ id, audience, unitId, template, data });
    return this.publish(JobName.SendNotification, { notificationId: id });
  }

  /** A job for after commit; `jobId`/`deliverAt` make it a deterministic, delayed timer. */
  publish<J extends JobName>(job: J, payload: JobPayloads[J], timer?: { jobId: string; deliverAt: Date }): this {
    this.outbox.push(outboxMessage(job, payload, timer));
    return this;
  }

  /** The current stay ends (forwarded, returned, escalated, resolved, rejected). */
  endAssignment(reason: string): this {
    this.endCurrent = { reason };
    return this;
  }

  /** The current unit has given its first response. */
  markResponded(): this {
    this.respondCurrent = true;
    return this;
  }

  openAssignment(a: { unitId: string; tier: Tier; routingId: string; due: Deadline; fromUnitId?: string | null; via: string }): string {
    const id = randomUUID();
    this.newAssignments.push({ id, fromUnitId: null, ...a });
    return id;
  }

  /** A revised holiday table moved the first-response deadline of the current stay (the complaint's own `dueAt` moves with it, see Complaint.moveDeadline). */
  moveFirstResponse(assignmentId: string, due: Deadline): this {
    this.firstResponseMoves.push({ assignmentId, due });
    return this;
  }

  /** A unit the complaint leaves keeps read access. */
  grantReadAccess(unitId: string, reason: string): this {
    this.access.push({ unitId, reason });
    return this;
  }

  /**
   * Writes several units of work (a consumer's batch, each holding its complaint's row lock) with
   * one read of their chain heads and one statement: one INSERT per table and one UPDATE each of
   * the current stays and the complaint rows, whatever the batch's size. Every part sends its rows
   * as column arrays (SqlStatement.unnest), so the text depends only on which parts a batch has:
   * each connection prepares each shape once (statementName) and PostgreSQL binds a few dozen
   * arrays, where a batch of 50 assignments used to be thousands of placeholders parsed and
   * planned afresh. `direct`: the caller's process publishes the outbox rows itself after the
   * commit (OutboxPublisher.direct). Answers the outbox messages written. Called by ComplaintWriter
   * only, which publishes them once the transaction has committed.
   */
  static async commitAll(manager: EntityManager, units: readonly ComplaintUnitOfWork[], direct: boolean): Promise<OutboxMessage[]> {
    if (units.length === 0) return [];
    const streams = units.map((u) => complaintStream(u.complaint.snapshot.id));
    if (new Set(streams).size !== streams.length) throw new Error('one statement cannot append twice to one complaint\'s chain');
    const heads = units.some((u) => u.audits.length > 0) ? await chainHeads(manager, streams) : new Map<string, ChainHead>();
    const s = new SqlStatement();
    const ctes: string[] = [];
    const cte = (sql: string) => ctes.push(`w${ctes.length} AS (${sql})`);
    const rows = <T>(pick: (u: ComplaintUnitOfWork) => readonly T[], row: (u: ComplaintUnitOfWork, item: T) => unknown[]) =>
      units.flatMap((u) => pick(u).map((item) => row(u, item)));

    // The current stays that end or get their first response (at most one per complaint: the units name distinct complaints).
    const stays = units.filter((u) => u.respondCurrent || u.endCurrent).map((u) => [u.complaint.snapshot.id, u.now, u.respondCurrent, u.endCurrent !== null, u.endCurrent?.reason ?? null]);
    if (stays.length) {
      cte(`UPDATE assignment a SET responded_at = CASE WHEN v.respond THEN COALESCE(a.responded_at, v.at) ELSE a.responded_at END,
        ended_at = CASE WHEN v.ending THEN v.at ELSE a.ended_at END, end_reason = CASE WHEN v.ending THEN v.end_reason ELSE a.end_reason END
        FROM ${s.unnest(['uuid', 'timestamptz', 'boolean', 'boolean', 'text'], stays)} AS v(complaint_id, at, respond, ending, end_reason)
        WHERE a.complaint_id = v.complaint_id AND a.ended_at IS NULL`);
    }
    const assignments = rows((u) => u.newAssignments, (u, a) => [
      a.id, u.complaint.snapshot.id, a.unitId, a.tier, a.routingId, u.now, a.due.at, a.due.workingDays, a.due.provisional, a.fromUnitId, a.via,
    ]);
    if (assignments.length) {
      cte(`INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, first_response_working_days, first_response_provisional, from_unit_id, via)
        SELECT * FROM ${s.unnest(['uuid', 'uuid', 'uuid', 'text', 'uuid', 'timestamptz', 'timestamptz', 'smallint', 'boolean', 'uuid', 'text'], assignments)}`);
    }
    const moves = rows((u) => u.firstResponseMoves, (_u, mv) => [mv.assignmentId, mv.due.at, mv.due.workingDays, mv.due.provisional]);
    if (moves.length) {
      cte(`UPDATE assignment a SET first_response_due_at = v.due_at, first_response_working_days = v.working_days, first_response_provisional = v.provisional
        FROM ${s.unnest(['uuid', 'timestamptz', 'smallint', 'boolean'], moves)} AS v(id, due_at, working_days, provisional) WHERE a.id = v.id`);
    }
    const access = rows((u) => u.access, (u, a) => [u.complaint.snapshot.id, a.unitId, a.reason, u.now]);
    if (access.length) {
      cte(`INSERT INTO complaint_access (complaint_id, unit_id, reason, granted_at)
        SELECT * FROM ${s.unnest(['uuid', 'uuid', 'text', 'timestamptz'], access)} ON CONFLICT DO NOTHING`);
    }
    const messages = rows((u) => u.messages, (u, m) => [randomUUID(), u.complaint.snapshot.id, m.authorType, m.officialId, m.unitId, m.kind, m.body, m.public, u.now]);
    if (messages.length) {
      cte(`INSERT INTO complaint_message (id, complaint_id, author_type, official_id, unit_id, kind, body, public, created_at)
        SELECT * FROM ${s.unnest(['uuid', 'uuid', 'text', 'uuid', 'uuid', 'text', 'text', 'boolean', 'timestamptz'], messages)}`);
    }
    const notifications = rows((u) => u.notifications, (u, n) => [n.id, u.complaint.snapshot.id, n.audience, n.unitId, n.template, JSON.stringify(n.data), 'pending', u.now, u.now]);
    if (notifications.length) {
      cte(`INSERT INTO notification (id, complaint_id, audience, unit_id, template, data, status, created_at, updated_at)
        SELECT * FROM ${s.unnest(['uuid', 'uuid', 'text', 'uuid', 'text', 'jsonb', 'text', 'timestamptz', 'timestamptz'], notifications)}`);
    }
    const sealed = units.flatMap((u, i) => sealAfter(heads.get(streams[i]) ?? null, u.audits.map((a) => ({ ...a, stream: streams[i] })), u.now));
    if (sealed.length) cte(insertAuditSql(s, sealed));
    const outbox = units.flatMap((u) => u.outbox);
    if (outbox.length) cte(insertOutboxSql(s, outbox, direct));
    // Writes that change no state (a reminder) leave the complaint row alone.
    const changed = units.filter((u) => u.complaint.snapshot.version !== u.versionAtStart).map((u) => complaintChange(u.complaint.snapshot, u.now, u.newAssignments.length ? u.now : null));
    if (changed.length) cte(updateComplaintsSql(s, changed));
    if (ctes.length) {
      const text = `WITH ${ctes.join(', ')} SELECT 1`;
      await preparedQuery(manager, statementName('complaint-write', text), text, s.params);
    }
    return outbox;
  }
}
