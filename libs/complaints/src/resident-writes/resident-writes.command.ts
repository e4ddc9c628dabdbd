import { Command } from '@nestjs/cqrs';

export type ResidentWrite =
  | { type: 'reply'; message: string }
  | { type: 'feedback'; satisfied: boolean; rating?: number; comment?: string };

/** The resident, holding the access code, answers a question, adds to the complaint, or judges its resolution. */
export class ResidentWritesCommand extends Command<void> {
  constructor(
    readonly trackingNumber: string,
    readonly accessCode: string,
    readonly write: ResidentWrite,
    readonly requestId: string | null,
  ) {
    super();
  }
}
