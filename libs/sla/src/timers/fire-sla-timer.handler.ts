import { armFirstResponse, Complaint, ComplaintUnitOfWork, ComplaintWriter, DeadlinePolicy, IllegalTransition, loadAccessFacts, lockComplaint, WriteScope } from '@aduan/complaints';
import { AccessPolicy, TIER_OF_UNIT, unitCode } from '@aduan/directory';
import { claimMessage } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { BreachKind } from '../breaches/sla-breach.entity';
import { LadderUnit, nextRung } from '../escalation/escalation-policy';
import { FireSlaTimerCommand, SlaTimer, SlaTimerResult } from './sla-timer.command';

/** BullMQ may fire a delayed job a little early; more than this is a clock problem worth a retry. */
const EARLY_TOLERANCE_MS = 1000;

interface AssignmentRow {
  id: string;
  complaint_id: string;
  unit_id: string;
  first_response_due_at: Date;
  responded_at: Date | null;
  ended_at: Date | null;
}

/**
 * Timers are armed when a complaint enters an inbox, is acknowledged or resolved, and are never
 * trusted blindly: each firing re-reads PostgreSQL under the complaint's lock, so a deadline that
 * was met, moved or paused makes the timer a no-op ("disarmed by the action that meets it").
 * Each firing is claimed in `processed_message` in the same transaction as its effect.
 */
@CommandHandler(FireSlaTimerCommand)
export class FireSlaTimerHandler implements ICommandHandler<FireSlaTimerCommand, SlaTimerResult> {
  constructor(private readonly writer: ComplaintWriter, private readonly deadlines: DeadlinePolicy) {}

  async execute({ timer, consumer, messageId, firedAt }: FireSlaTimerCommand): Promise<SlaTimerResult> {
    return this.writer.transaction(async (scope): Promise<SlaTimerResult> => {
      if (!(await claimMessage(scope.manager, consumer, messageId))) return 'duplicate';
      switch (timer.kind) {
        case 'first-response-due':
        case 'first-response-reminder':
          return this.firstResponse(scope, timer, consumer, firedAt);
        case 'resolution-due':
          return this.resolutionDue(scope, timer, consumer, firedAt);
        case 'auto-close':
          return this.autoClose(scope, timer, consumer, firedAt);
      }
    });
  }

  private async firstResponse({ manager: m, open }: WriteScope, timer: Extract<SlaTimer, { assignmentId: string }>, consumer: string, firedAt: Date): Promise<SlaTimerResult> {
    const [a]: AssignmentRow[] = await m.query(
      `SELECT id, complaint_id, unit_id, first_response_due_at, responded_at, ended_at FROM assignment WHERE id = $1`,
      [timer.assignmentId],
    );
    if (!a) return 'met';
    const complaint = await lockComplaint(m, a.complaint_id);
    const stillWaiting = complaint && !a.ended_at && !a.responded_at && complaint.status === 'routed' && complaint.snapshot.currentUnitId === a.unit_id;
    if (!complaint || !stillWaiting) return 'met';
    // Armed for another time: a revised holiday table moved the deadline, and the new time has its own timer.
    if (timer.dueAt && timer.dueAt.getTime() !== a.first_response_due_at.getTime()) return 'met';
    const uow = open(complaint, firedAt);
    if (timer.kind === 'first-response-reminder') {
      uow.notify('unit', 'unit.reminder', { due_at: a.first_response_due_at.toISOString() }, a.unit_id);
      return 'reminded';
    }
    if (firedAt.getTime() < a.first_response_due_at.getTime() - EARLY_TOLERANCE_MS) {
      // Throwing rolls back the claim too: BullMQ retries later, and the reconciler has it if Redis loses it.
      throw new Error(`timer for assignment ${a.id} fired before ${a.first_response_due_at.toISOString()}`);
    }
    const facts = await loadAccessFacts(m, complaint.id);
    const next = nextRung(await this.ladder(m, a.unit_id), a.unit_id, facts.accusedUnitIds);
    let escalatedTo: string | null = null;
    if (next) {
      const c = complaint.snapshot;
      const due = await this.deadlines.firstResponseDueAt(c.tenantCode, c.categoryCode, uow.now, m);
      complaint.handOver(next.id, TIER_OF_UNIT[next.type], due, 'escalated');
      uow.endAssignment('escalated').grantReadAccess(a.unit_id, 'escalated');
      const assignmentId = uow.openAssignment({ unitId: next.id, tier: TIER_OF_UNIT[next.type], routingId: randomUUID(), due, fromUnitId: a.unit_id, via: 'escalated' });
      armFirstResponse(uow, assignmentId, uow.now, due.at);
      uow.audit({
        actor: { type: 'system', id: consumer },
        event: 'complaint.escalated',
        data: { from_unit_id: a.unit_id, to_unit_id: next.id, missed_due_at: a.first_response_due_at.toISOString(), due_at: due.at.toISOString() },
        channel: 'worker',
      });
      uow.notify('unit', 'unit.escalated_to_you', { from_unit_id: a.unit_id, due_at: due.at.toISOString() }, next.id);
      escalatedTo = next.id;
    } else {
      uow.audit({ actor: { type: 'system', id: consumer }, event: 'complaint.deadline_missed', data: { kind: 'first_response', unit_id: a.unit_id, due_at: a.first_response_due_at.toISOString() }, channel: 'worker' });
    }
    await this.breach(m, uow, complaint, 'first_response', a.first_response_due_at, a.unit_id, a.id, escalatedTo);
    return escalatedTo ? 'escalated' : 'breached';
  }

  private async resolutionDue({ manager: m, open }: WriteScope, timer: Extract<SlaTimer, { kind: 'resolution-due' }>, consumer: string, firedAt: Date): Promise<SlaTimerResult> {
    const complaint = await lockComplaint(m, timer.complaintId);
    const c = complaint?.snapshot;
    // A paused clock, a moved deadline or a finished complaint: this timer no longer applies.
    if (!complaint || !c || c.status !== 'in_progress' || c.resolutionDueAt?.getTime() !== timer.dueAt.getTime() || !c.currentUnitId) return 'met';
    if (firedAt.getTime() < timer.dueAt.getTime() - EARLY_TOLERANCE_MS) throw new Error(`resolution timer of ${c.id} fired before ${timer.dueAt.toISOString()}`);
    const uow = open(complaint, firedAt);
    uow.audit({ actor: { type: 'system', id: consumer }, event: 'complaint.deadline_missed', data: { kind: 'resolution', unit_id: c.currentUnitId, due_at: timer.dueAt.toISOString() }, channel: 'worker' });
    uow.notify('unit', 'unit.resolution_overdue', { due_at: timer.dueAt.toISOString() }, c.currentUnitId);
    await this.breach(m, uow, complaint, 'resolution', timer.dueAt, c.currentUnitId, null, null);
    return 'breached';
  }

  private async autoClose({ manager: m, open }: WriteScope, timer: Extract<SlaTimer, { kind: 'auto-close' }>, consumer: string, firedAt: Date): Promise<SlaTimerResult> {
    const complaint = await lockComplaint(m, timer.complaintId);
    if (!complaint) return 'met';
    const closeAt = complaint.snapshot.autoCloseAt;
    if (timer.closeAt && closeAt) {
      if (timer.closeAt.getTime() !== closeAt.getTime()) return 'met';
      if (firedAt.getTime() < closeAt.getTime() - EARLY_TOLERANCE_MS) throw new Error(`closing timer of ${complaint.id} fired before ${closeAt.toISOString()}`);
    }
    const uow = open(complaint, firedAt);
    try {
      complaint.autoClose(uow.now, timer.resolvedAt);
    } catch (error) {
      if (error instanceof IllegalTransition) return 'met';
      throw error;
    }
    uow.endAssignment('closed');
    uow.audit({ actor: { type: 'system', id: consumer }, event: 'complaint.closed', data: { auto: true, resolved_at: timer.resolvedAt.toISOString() }, channel: 'worker' });
    uow.notify('resident', 'resident.closed', { auto: true });
    return 'closed';
  }

  /** Records the breach (once per deadline) and tells the tenant's Inspektorat, unless it is suspect. */
  private async breach(m: EntityManager, uow: ComplaintUnitOfWork, complaint: Complaint, kind: BreachKind, dueAt: Date, unitId: string, assignmentId: string | null, escalatedTo: string | null): Promise<void> {
    const c = complaint.snapshot;
    await m.query(
      `INSERT INTO sla_breach (id, complaint_id, assignment_id, unit_id, tenant_code, kind, due_at, breached_at, escalated_to_unit_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (complaint_id, kind, due_at) DO NOTHING`,
      [randomUUID(), c.id, assignmentId, unitId, c.tenantCode, kind, dueAt, uow.now, escalatedTo],
    );
    const [inspektorat]: { id: string }[] = await m.query(`SELECT id FROM unit WHERE code = $1`, [unitCode.inspektorat(c.tenantCode)]);
    // Not when the Inspektorat itself may be the accused: the notice would tell it the complaint exists.
    if (inspektorat && AccessPolicy.mayReceive(await loadAccessFacts(m, c.id), inspektorat.id)) uow.notify('inspektorat', 'inspektorat.breach', { kind, unit_id: unitId, due_at: dueAt.toISOString(), escalated_to_unit_id: escalatedTo }, inspektorat.id);
  }

  /** The unit and every unit above it (bounded, in case an admin wired a loop). */
  private async ladder(m: EntityManager, fromUnitId: string): Promise<Map<string, LadderUnit>> {
    const rows: { id: string; type: LadderUnit['type']; parent_id: string | null; active: boolean }[] = await m.query(
      `WITH RECURSIVE up AS (
         SELECT id, type, parent_id, active, 0 AS depth FROM unit WHERE id = $1
         UNION ALL
         SELECT u.id, u.type, u.parent_id, u.active, up.depth + 1 FROM unit u JOIN up ON u.id = up.parent_id WHERE up.depth < 20)
       SELECT DISTINCT id, type, parent_id, active FROM up`,
      [fromUnitId],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, type: r.type, parentId: r.parent_id, active: r.active }]));
  }
}
