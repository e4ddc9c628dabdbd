import { AuditRecord, ChainHead, chainHeads, complaintStream, insertAuditSql, sealAfter } from '@aduan/audit';
import { insertOutboxSql, JobName, JobPayloads, outboxMessage, OutboxMessage, SqlStatement } from '@aduan/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Complaint } from '../domain/complaint';
import type { Tier } from '../domain/complaint-status';
import type { Audience } from '../notifications/notification.entity';
import type { MessageKind } from './complaint-message.entity';

/**
 * Everything one step of a complaint's life writes — the complaint row, its audit entries,
 * assignments, messages, notifications and outbox rows — gathered and then written by a single
 * statement inside the caller's transaction (which holds the complaint's row lock).
 */
export class ComplaintUnitOfWork {
  private readonly audits: Omit<AuditRecord, 'stream'>[] = [];
  private readonly outbox: OutboxMessage[] = [];
  private readonly messages: { kind: MessageKind; body: string; authorType: 'resident' | 'official'; officialId: string | null; unitId: string | null; public: boolean }[] = [];
  private readonly notifications: { id: string; audience: Audience; unitId: string | null; template: string; data: Record<string, unknown> }[] = [];
  private readonly newAssignments: { id: string; unitId: string; tier: Tier; routingId: string; dueAt: Date; fromUnitId: string | null; via: string }[] = [];
  private endCurrent: { reason: string } | null = null;
  private respondCurrent = false;
  private readonly access: { unitId: string; reason: string }[] = [];

  private readonly versionAtStart: number;

  constructor(readonly manager: EntityManager, readonly complaint: Complaint, readonly now: Date = new Date()) {
    this.versionAtStart = complaint.snapshot.version;
  }

  audit(record: Omit<AuditRecord, 'stream'>): this {
    this.audits.push(record);
    return this;
  }

  message(kind: MessageKind, body: string, author: { type: 'resident' | 'official'; officialId?: string | null; unitId?: string | null }, isPublic: boolean): this {
    this.messages.push({ kind, body, authorType: author.type, officialId: author.officialId ?? null, unitId: author.unitId ?? null, public: isPublic });
    return this;
  }

  /** A notification row plus its `notification.send` job. */
  notify(audience: Audience, template: string, data: Record<string, unknown>, unitId: string | null = null): this {
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

  openAssignment(a: { unitId: string; tier: Tier; routingId: string; dueAt: Date; fromUnitId?: string | null; via: string }): string {
    const id = randomUUID();
    this.newAssignments.push({ id, fromUnitId: null, ...a });
    return id;
  }

  /** A unit the complaint leaves keeps read access. */
  grantReadAccess(unitId: string, reason: string): this {
    this.access.push({ unitId, reason });
    return this;
  }

  async commit(): Promise<void> {
    await ComplaintUnitOfWork.commitAll(this.manager, [this]);
  }

  /**
   * Writes several units of work (a consumer's batch, each holding its complaint's row lock) with
   * one read of their chain heads and one statement.
   */
  static async commitAll(manager: EntityManager, units: readonly ComplaintUnitOfWork[]): Promise<void> {
    if (units.length === 0) return;
    const streams = units.map((u) => complaintStream(u.complaint.snapshot.id));
    if (new Set(streams).size !== streams.length) throw new Error('one statement cannot append twice to one complaint\'s chain');
    const heads = units.some((u) => u.audits.length > 0) ? await chainHeads(manager, streams) : new Map<string, ChainHead>();
    const s = new SqlStatement();
    const ctes: string[] = [];
    units.forEach((u, i) => u.write(s, heads.get(streams[i]) ?? null, (sql) => ctes.push(`u${i}w${ctes.length} AS (${sql})`)));
    if (ctes.length) await manager.query(`WITH ${ctes.join(', ')} SELECT 1`, s.params);
  }

  /** This step's writes, as data-modifying CTEs of a larger statement. */
  private write(s: SqlStatement, head: ChainHead | null, cte: (sql: string) => void): void {
    const c = this.complaint.snapshot;
    const now = this.now;
    const sealed = sealAfter(head, this.audits.map((a) => ({ ...a, stream: complaintStream(c.id) })), now);
    // One UPDATE for the current stay: a statement may not modify the same row in two CTEs.
    if (this.respondCurrent || this.endCurrent) {
      const at = s.param(now);
      cte(`UPDATE assignment SET responded_at = ${this.respondCurrent ? `COALESCE(responded_at, ${at})` : 'responded_at'},
        ended_at = ${this.endCurrent ? at : 'ended_at'}, end_reason = ${this.endCurrent ? s.param(this.endCurrent.reason) : 'end_reason'}
        WHERE complaint_id = ${s.param(c.id)} AND ended_at IS NULL`);
    }
    if (this.newAssignments.length) {
      cte(`INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, from_unit_id, via) VALUES ${this.newAssignments
        .map((a) => s.row([a.id, c.id, a.unitId, a.tier, a.routingId, now, a.dueAt, a.fromUnitId, a.via]))
        .join(', ')}`);
    }
    if (this.access.length) {
      cte(`INSERT INTO complaint_access (complaint_id, unit_id, reason, granted_at) VALUES ${this.access.map((a) => s.row([c.id, a.unitId, a.reason, now])).join(', ')} ON CONFLICT DO NOTHING`);
    }
    if (this.messages.length) {
      cte(`INSERT INTO complaint_message (id, complaint_id, author_type, official_id, unit_id, kind, body, public, created_at) VALUES ${this.messages
        .map((msg) => s.row([randomUUID(), c.id, msg.authorType, msg.officialId, msg.unitId, msg.kind, msg.body, msg.public, now]))
        .join(', ')}`);
    }
    if (this.notifications.length) {
      cte(`INSERT INTO notification (id, complaint_id, audience, unit_id, template, data, status, created_at, updated_at) VALUES ${this.notifications
        .map((n) => s.row([n.id, c.id, n.audience, n.unitId, n.template, JSON.stringify(n.data), 'pending', now, now]))
        .join(', ')}`);
    }
    if (sealed.length) cte(insertAuditSql(s, sealed));
    if (this.outbox.length) cte(insertOutboxSql(s, this.outbox));
    // Writes that change no state (a reminder) leave the complaint row alone.
    if (c.version !== this.versionAtStart) {
      cte(`UPDATE complaint SET status = ${s.param(c.status)}, current_unit_id = ${s.param(c.currentUnitId)}, current_tier = ${s.param(c.currentTier)},
      due_at = ${s.param(c.dueAt)}, resolution_due_at = ${s.param(c.resolutionDueAt)}, paused_at = ${s.param(c.pausedAt)},
      resolved_at = ${s.param(c.resolvedAt)}, closed_at = ${s.param(c.closedAt)}, version = ${s.param(c.version)}, updated_at = ${s.param(now)}
      WHERE id = ${s.param(c.id)}`);
    }
  }
}

