import { BatchOutcome } from '@aduan/platform';
import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IllegalTransition } from '../domain/complaint';
import { ComplaintWriter, WriteScope } from '../persistence/complaint-writer';
import { claimAndLockComplaints } from '../persistence/complaint-loads';
import { armFirstResponse } from '../persistence/timers';
import { AssignComplaintResult, AssignComplaintsCommand, AssignRequest } from './assign-complaint.command';
import { DeadlinePolicy } from './deadline-policy';

/**
 * Records each assignment (the unit's inbox), the complaint's new state, its audit entry, the
 * first-response timers and the notices to the unit and the resident, in one transaction with
 * the processed-message records that make a replayed job do nothing. A batch writes everything
 * with one statement (see ComplaintUnitOfWork.commitAll); a skipped dispatch's unit writes nothing.
 */
@CommandHandler(AssignComplaintsCommand)
export class AssignComplaintsHandler implements ICommandHandler<AssignComplaintsCommand, BatchOutcome<AssignComplaintResult>[]> {
  private readonly logger = new Logger(AssignComplaintsHandler.name);

  constructor(private readonly writer: ComplaintWriter, private readonly deadlines: DeadlinePolicy) {}

  async execute({ requests, consumer }: AssignComplaintsCommand): Promise<BatchOutcome<AssignComplaintResult>[]> {
    if (new Set(requests.map((r) => r.complaintId)).size !== requests.length) {
      throw new Error('an assignment batch names one complaint twice');
    }
    const results = await this.writer.transaction((scope) => this.assign(scope, requests, consumer));
    return results.map((value) => ({ ok: true, value }));
  }

  private async assign({ manager: m, open }: WriteScope, requests: readonly AssignRequest[], consumer: string): Promise<AssignComplaintResult[]> {
    const { claimed, complaints } = await claimAndLockComplaints(m, consumer, requests);
    const mine = requests.filter((r) => claimed.has(r.messageId));
    const results = new Map<string, AssignComplaintResult>();
    for (const request of mine) {
      const complaint = complaints.get(request.complaintId);
      if (!complaint) throw new Error(`complaint ${request.complaintId} does not exist`);
      const uow = open(complaint);
      const due = await this.deadlines.firstResponseDueAt(complaint.snapshot.tenantCode, complaint.snapshot.categoryCode, uow.now, m);
      const dueAt = due.at;
      try {
        complaint.assign(request.unitId, request.tier, due);
      } catch (error) {
        // A complaint already in an inbox (a repeated or stale dispatch) stays where it is.
        if (error instanceof IllegalTransition) {
          this.logger.warn(`dispatch of ${request.complaintId} skipped: ${error.message}`);
          results.set(request.messageId, 'skipped');
          continue;
        }
        throw error;
      }
      const assignmentId = uow.openAssignment({ unitId: request.unitId, tier: request.tier, routingId: request.routingId, due, via: 'routed' });
      armFirstResponse(uow, assignmentId, uow.now, dueAt);
      uow
        .audit({
          actor: { type: 'system', id: consumer },
          event: 'complaint.assigned',
          data: { unit_id: request.unitId, tier: request.tier, routing_id: request.routingId, due_at: dueAt.toISOString(), ...(due.provisional ? { due_provisional: true } : {}) },
          channel: 'worker',
          requestId: request.messageId,
        })
        .notify('unit', 'unit.assigned', { due_at: dueAt.toISOString(), due_provisional: due.provisional }, request.unitId)
        .notify('resident', 'resident.routed', { unit_id: request.unitId });
      results.set(request.messageId, 'assigned');
    }
    return requests.map((r) => results.get(r.messageId) ?? 'duplicate');
  }
}
