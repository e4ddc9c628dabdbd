import type { BatchOutcome } from '@aduan/platform';
import { Command } from '@nestjs/cqrs';

export type RouteComplaintResult = 'routed' | 'duplicate' | 'skipped';

/** One `routing.route-complaint` job: the complaint, and the message (outbox id) that asked. */
export interface RouteRequest {
  complaintId: string;
  messageId: string;
}

/**
 * The `routing` queue decides which unit must act on submitted complaints. The jobs that arrive
 * together are decided together, in one transaction; one outcome per request, in order.
 */
export class RouteComplaintsCommand extends Command<BatchOutcome<RouteComplaintResult>[]> {
  constructor(readonly requests: readonly RouteRequest[], readonly consumer: string) {
    super();
  }
}
