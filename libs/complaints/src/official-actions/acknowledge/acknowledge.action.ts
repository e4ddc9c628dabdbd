import { safeText } from '@aduan/platform';
import { z } from 'zod';
import { armResolution } from '../../persistence/timers';
import { officialAction } from '../official-action';

/** The unit takes the complaint on: the resolution clock starts and the resident hears when it is due. */
export const acknowledge = officialAction(z.strictObject({ note: safeText(1, 2000).optional() }), async ({ uow, deadlines, author, audit }, input) => {
  const c = uow.complaint.snapshot;
  const due = await deadlines.resolutionDueAt(c.tenantCode, c.categoryCode, uow.now, uow.manager);
  uow.complaint.acknowledge(uow.now, due);
  uow.markResponded();
  if (input.note) uow.message('note', input.note, author, false);
  armResolution(uow, c.id, due.at);
  audit('complaint.acknowledged', { resolution_due_at: due.at.toISOString(), ...(due.provisional ? { due_provisional: true } : {}) });
  uow.notify('resident', 'resident.acknowledged', { due_at: due.at.toISOString(), due_provisional: due.provisional });
});
