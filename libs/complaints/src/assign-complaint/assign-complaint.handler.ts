import { claimMessage, OutboxNotifier } from '@aduan/platform';
import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { IllegalTransition } from '../domain/complaint';
import { ComplaintUnitOfWork } from '../persistence/complaint-unit-of-work';
import { lockComplaint } from '../persistence/complaint.mapper';
import { armFirstResponse } from '../persistence/timers';
import { AssignComplaintCommand, AssignComplaintResult } from './assign-complaint.command';
import { DeadlinePolicy } from './deadline-policy';

/**
 * Records the assignment (the unit's inbox), the complaint's new state, its audit entry, the
 * first-response timers and the notices to the unit and the resident, in one transaction with
 * the processed-message record that makes a replayed job do nothing.
 */
@CommandHandler(AssignComplaintCommand)
export class AssignComplaintHandler implements ICommandHandler<AssignComplaintCommand, AssignComplaintResult> {
  private readonly logger = new Logger(AssignComplaintHandler.name);

  constructor(private readonly dataSource: DataSource, private readonly deadlines: DeadlinePolicy, private readonly notifier: OutboxNotifier) {}

  async execute(cmd: AssignComplaintCommand): Promise<AssignComplaintResult> {
    const result = await this.dataSource.transaction(async (m): Promise<AssignComplaintResult> => {
      if (!(await claimMessage(m, cmd.consumer, cmd.messageId))) return 'duplicate';
      const complaint = await lockComplaint(m, cmd.complaintId);
      if (!complaint) throw new Error(`complaint ${cmd.complaintId} does not exist`);
      const uow = new ComplaintUnitOfWork(m, complaint);
      const dueAt = await this.deadlines.firstResponseDueAt(complaint.snapshot.tenantCode, complaint.snapshot.categoryCode, uow.now, m);
      try {
        complaint.assign(cmd.unitId, cmd.tier, dueAt);
      } catch (error) {
        // A complaint already in an inbox (a repeated or stale dispatch) stays where it is.
        if (error instanceof IllegalTransition) {
          this.logger.warn(`dispatch of ${cmd.complaintId} skipped: ${error.message}`);
          return 'skipped';
        }
        throw error;
      }
      const assignmentId = uow.openAssignment({ unitId: cmd.unitId, tier: cmd.tier, routingId: cmd.routingId, dueAt, via: 'routed' });
      armFirstResponse(uow, assignmentId, uow.now, dueAt);
      uow
        .audit({
          actor: { type: 'system', id: cmd.consumer },
          event: 'complaint.assigned',
          data: { unit_id: cmd.unitId, tier: cmd.tier, routing_id: cmd.routingId, due_at: dueAt.toISOString() },
          channel: 'worker',
          requestId: cmd.messageId,
        })
        .notify('unit', 'unit.assigned', { due_at: dueAt.toISOString() }, cmd.unitId)
        .notify('resident', 'resident.routed', { unit_id: cmd.unitId });
      await uow.commit();
      return 'assigned';
    });
    if (result === 'assigned') this.notifier.poke();
    return result;
  }
}
