import { Command } from '@nestjs/cqrs';
import type { Tier } from '../domain/complaint-status';

export type AssignComplaintResult = 'assigned' | 'duplicate' | 'skipped';

/** A tier queue puts a routed complaint in a unit's inbox. `messageId` makes a replay a no-op. */
export class AssignComplaintCommand extends Command<AssignComplaintResult> {
  constructor(
    readonly complaintId: string,
    readonly unitId: string,
    readonly tier: Tier,
    readonly routingId: string,
    readonly consumer: string,
    readonly messageId: string,
  ) {
    super();
  }
}
