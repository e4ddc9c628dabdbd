import { Command } from '@nestjs/cqrs';

/** What a re-arm did: every running deadline of the scope counted again, and how many moved. */
export interface RearmResult {
  checked: number;
  moved: number;
}

/** A holiday table changed (`holiday_revision` row `revisionId`): count the running deadlines it concerns again. */
export class RearmDeadlinesCommand extends Command<RearmResult> {
  constructor(readonly revisionId: string, readonly consumer: string, readonly messageId: string) {
    super();
  }
}
