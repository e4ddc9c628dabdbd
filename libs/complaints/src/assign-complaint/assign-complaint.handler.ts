import { complaintStream, insertAuditSql, sealOnto } from '@aduan/audit';
import { claimMessage, SqlStatement } from '@aduan/platform';
import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IllegalTransition } from '../domain/complaint';
import { lockComplaint } from '../persistence/complaint.mapper';
import { AssignComplaintCommand, AssignComplaintResult } from './assign-complaint.command';
import { DeadlinePolicy } from './deadline-policy';

/**
 * Records the assignment (the unit's inbox), the complaint's new state and its audit entry in one
 * transaction, together with the processed-message record that makes a replayed job do nothing.
 */
@CommandHandler(AssignComplaintCommand)
export class AssignComplaintHandler implements ICommandHandler<AssignComplaintCommand, AssignComplaintResult> {
  private readonly logger = new Logger(AssignComplaintHandler.name);

  constructor(private readonly dataSource: DataSource, private readonly deadlines: DeadlinePolicy) {}

  async execute(cmd: AssignComplaintCommand): Promise<AssignComplaintResult> {
    return this.dataSource.transaction(async (m) => {
      if (!(await claimMessage(m, cmd.consumer, cmd.messageId))) return 'duplicate';
      const complaint = await lockComplaint(m, cmd.complaintId);
      if (!complaint) throw new Error(`complaint ${cmd.complaintId} does not exist`);
      const now = new Date();
      const dueAt = await this.deadlines.firstResponseDueAt(complaint.snapshot.tenantCode, complaint.snapshot.categoryCode, now);
      try {
        complaint.assign(cmd.unitId, cmd.tier, dueAt);
      } catch (error) {
        // A complaint that moved on (resolved, rejected) while its dispatch was queued stays where it is.
        if (error instanceof IllegalTransition) {
          this.logger.warn(`dispatch of ${cmd.complaintId} skipped: ${error.message}`);
          return 'skipped';
        }
        throw error;
      }
      const c = complaint.snapshot;
      const [audit] = await sealOnto(
        m,
        [{
          stream: complaintStream(c.id),
          actor: { type: 'system', id: cmd.consumer },
          event: 'complaint.assigned',
          data: { unit_id: cmd.unitId, tier: cmd.tier, routing_id: cmd.routingId, due_at: dueAt.toISOString() },
          channel: 'worker',
          requestId: cmd.messageId,
        }],
        now,
      );
      const s = new SqlStatement();
      await m.query(
        `WITH ended AS (
            UPDATE assignment SET ended_at = ${s.param(now)} WHERE complaint_id = ${s.param(c.id)} AND ended_at IS NULL),
          assigned AS (
            INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at)
            VALUES ${s.row([randomUUID(), c.id, cmd.unitId, cmd.tier, cmd.routingId, now, dueAt])}),
          audited AS (${insertAuditSql(s, [audit])})
         UPDATE complaint SET status = ${s.param(c.status)}, current_unit_id = ${s.param(c.currentUnitId)},
           current_tier = ${s.param(c.currentTier)}, due_at = ${s.param(c.dueAt)}, version = ${s.param(c.version)},
           updated_at = ${s.param(now)}
         WHERE id = ${s.param(c.id)}`,
        s.params,
      );
      return 'assigned';
    });
  }
}
