import type { Principal } from '@aduan/directory';
import { Command } from '@nestjs/cqrs';

/**
 * An inspector's word on a complaint's possibly-accused units: `confirm` upholds them (or
 * replaces them with the unit codes the inspector found), `clear` says no official is accused (a
 * false alarm). Both carry a written reason and are audited in the complaint's chain.
 */
export type TriageDecision = { type: 'confirm'; reason: string; units?: string[] } | { type: 'clear'; reason: string };

export class TriageAccusedCommand extends Command<void> {
  constructor(
    readonly trackingNumber: string,
    readonly official: Principal,
    readonly decision: TriageDecision,
    readonly requestId: string | null,
  ) {
    super();
  }
}
