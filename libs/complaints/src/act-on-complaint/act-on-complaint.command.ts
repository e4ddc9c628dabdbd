import type { Principal } from '@aduan/directory';
import { Command } from '@nestjs/cqrs';

export type OfficialAction =
  | { type: 'acknowledge'; note?: string }
  | { type: 'request-info'; question: string }
  | { type: 'forward'; unit: string; reason: string }
  | { type: 'return'; reason: string }
  | { type: 'resolve'; resolution: string }
  | { type: 'reject'; reason: 'duplicate' | 'invalid' | 'out_of_scope'; note: string; duplicate_of?: string };

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
