import type { Channel } from '@aduan/audit';
import { Command } from '@nestjs/cqrs';
import type { SubmitComplaintInput } from './submit-complaint.schema';

export interface SubmitComplaintResult {
  trackingNumber: string;
  accessCode: string;
  status: 'submitted';
  submittedAt: Date;
}

/** A resident files a complaint through some channel. */
export class SubmitComplaintCommand extends Command<SubmitComplaintResult> {
  constructor(
    readonly input: SubmitComplaintInput,
    readonly channel: Channel,
    readonly requestId: string | null,
  ) {
    super();
  }
}
