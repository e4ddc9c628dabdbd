import { Command } from '@nestjs/cqrs';

export type RouteComplaintResult = 'routed' | 'duplicate' | 'skipped';

/** The `routing` queue decides which unit must act on a submitted complaint. */
export class RouteComplaintCommand extends Command<RouteComplaintResult> {
  constructor(readonly complaintId: string, readonly consumer: string, readonly messageId: string) {
    super();
  }
}
