import type { Principal } from '@aduan/directory';
import { Command } from '@nestjs/cqrs';
import type { OfficialAction } from '../official-actions/official-action-steps';

/** An official acts on a complaint from the console or the API. */
export class ActOnComplaintCommand extends Command<void> {
  constructor(
    readonly trackingNumber: string,
    readonly official: Principal,
    readonly action: OfficialAction,
    readonly requestId: string | null,
  ) {
    super();
  }
}
