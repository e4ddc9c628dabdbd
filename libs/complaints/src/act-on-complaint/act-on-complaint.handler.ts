import { AccessPolicy } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DeadlinePolicy } from '../assign-complaint/deadline-policy';
import { IllegalTransition } from '../domain/complaint';
import { TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import type { OfficialActionStep } from '../official-actions/official-action';
import { OFFICIAL_ACTION_STEPS } from '../official-actions/official-action-steps';
import { loadAccessFacts } from '../persistence/access-facts';
import { lockComplaintByTrackingNumber } from '../persistence/complaint-loads';
import { ComplaintWriter } from '../persistence/complaint-writer';
import { ActOnComplaintCommand } from './act-on-complaint.command';

/**
 * The shell of every official action: one transaction that locks the complaint, checks the access
 * policy and runs the action's step (official-actions/<action>/), which lets the aggregate decide
 * and records the writes. Two officials acting at once serialise on the row lock; the second sees
 * the new state and gets 409 if its action no longer fits.
 */
@CommandHandler(ActOnComplaintCommand)
export class ActOnComplaintHandler implements ICommandHandler<ActOnComplaintCommand, void> {
  constructor(private readonly writer: ComplaintWriter, private readonly deadlines: DeadlinePolicy) {}

  async execute({ trackingNumber, official, action, requestId }: ActOnComplaintCommand): Promise<void> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) throw new DomainError('not_found', 'No complaint with that tracking number is visible to you.');
    await this.writer.transaction(async ({ manager: m, open }) => {
      const complaint = await lockComplaintByTrackingNumber(m, trackingNumber);
      if (!complaint) throw new DomainError('not_found', 'No complaint with that tracking number is visible to you.');
      const facts = await loadAccessFacts(m, complaint.id);
      if (!AccessPolicy.canView(official, facts)) throw new DomainError('not_found', 'No complaint with that tracking number is visible to you.');
      if (!AccessPolicy.canAct(official, facts)) throw new DomainError('forbidden', 'Only the unit that holds this complaint may act on it.');
      const uow = open(complaint);
      // The action's name picks its step; TypeScript cannot correlate the two unions, so the step is widened.
      const step: OfficialActionStep = OFFICIAL_ACTION_STEPS[action.type];
      try {
        await step.run(
          {
            uow,
            official,
            facts,
            deadlines: this.deadlines,
            author: { type: 'official', officialId: official.officialId, unitId: official.unitId },
            audit: (event, data) => uow.audit({ actor: { type: 'official', id: official.officialId }, event, data: { unit_id: official.unitId, ...data }, channel: 'api', requestId }),
          },
          action,
        );
      } catch (error) {
        if (error instanceof IllegalTransition) throw new DomainError('conflict', `The complaint is ${error.from}; this action does not fit.`);
        throw error;
      }
    });
  }
}
