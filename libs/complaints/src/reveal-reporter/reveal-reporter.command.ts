import type { Principal } from '@aduan/directory';
import { Command } from '@nestjs/cqrs';
import type { ReporterIdentity } from '../privacy/reporter-cipher';

/** An inspector reveals who filed a complaint, for a written reason that goes into the audit trail. */
export class RevealReporterCommand extends Command<ReporterIdentity & { anonymous: boolean }> {
  constructor(readonly trackingNumber: string, readonly official: Principal, readonly reason: string, readonly requestId: string | null) {
    super();
  }
}
