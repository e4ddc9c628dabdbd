import type { BatchOutcome } from '@aduan/platform';
import { Command } from '@nestjs/cqrs';
import type { Tier } from '@aduan/directory';

export type AssignComplaintResult = 'assigned' | 'duplicate' | 'skipped';

/** One dispatch job: put a routed complaint in a unit's inbox. `messageId` makes a replay a no-op. */
export interface AssignRequest {
  complaintId: string;
  unitId: string;
  tier: Tier;
  routingId: string;
  messageId: string;
}

/**
 * A tier queue's jobs that arrive together, assigned in one transaction; one outcome per
 * request, in order. `consumer` is the job name the processed-message records carry.
 */
export class AssignComplaintsCommand extends Command<BatchOutcome<AssignComplaintResult>[]> {
  constructor(readonly requests: readonly AssignRequest[], readonly consumer: string) {
    super();
  }
}
