import { sha256Hex } from '@aduan/audit';
import { safeText } from '@aduan/platform';
import { z } from 'zod';
import { armAutoClose } from '../../persistence/timers';
import { officialAction } from '../official-action';

/** The unit reports the complaint done: it closes by itself unless the resident disagrees in time. */
export const resolve = officialAction(z.strictObject({ resolution: safeText(10, 4000) }), async ({ uow, deadlines, author, audit }, { resolution }) => {
  const closeAt = await deadlines.autoCloseAt(uow.complaint.snapshot.tenantCode, uow.now, uow.manager);
  uow.complaint.resolve(uow.now, closeAt);
  uow.markResponded().message('resolution', resolution, author, true);
  armAutoClose(uow, uow.complaint.snapshot.id, uow.now, closeAt.at);
  // The hash pins the text without copying it into the log.
  audit('complaint.resolved', { resolution_sha256: sha256Hex(resolution) });
  uow.notify('resident', 'resident.resolved', {});
});
