import { safeText } from '@aduan/platform';
import { z } from 'zod';
import { officialAction } from '../official-action';

/** The unit asks the resident a question; the complaint waits for the answer. */
export const requestInfo = officialAction(z.strictObject({ question: safeText(5, 2000) }), async ({ uow, deadlines, author, audit }, input) => {
  const c = uow.complaint.snapshot;
  uow.complaint.requestInfo(uow.now, await deadlines.resolutionDueAt(c.tenantCode, c.categoryCode, uow.now, uow.manager));
  uow.markResponded().message('question', input.question, author, true);
  audit('complaint.info_requested', { question: input.question });
  uow.notify('resident', 'resident.info_requested', { question: input.question });
});
