import type { Principal } from '@aduan/directory';
import { Command } from '@nestjs/cqrs';

export interface ReporterErasure {
  erasedAt: Date;
  /** whether an identity was on file (a complaint filed without one is marked erased all the same) */
  hadIdentity: boolean;
}

/**
 * An inspector erases a complaint's reporter identity (UU 27/2022), on the resident's verified
 * request (`requestReference`: the Inspektorat's record of it) and for a written reason.
 */
export class EraseReporterCommand extends Command<ReporterErasure> {
  constructor(
    readonly trackingNumber: string,
    readonly official: Principal,
    readonly reason: string,
    readonly requestReference: string,
    readonly requestId: string | null,
  ) {
    super();
  }
}
