import { DomainError, safeText } from '@aduan/platform';
import { z } from 'zod';
import { activeUnit, handOver } from '../hand-over';
import { officialAction } from '../official-action';

const input = z.strictObject({
  unit: z.string().regex(/^[A-Z]{3,4}\.[0-9.]+(\.[A-Z0-9_]+)?$/, 'must be a unit code'),
  reason: safeText(5, 2000),
});

/** Disposisi: the unit passes the complaint to another unit of the same kota/kabupaten. */
export const forward = officialAction(input, async ({ uow, deadlines, official, facts, author, audit }, { unit, reason }) => {
  const target = await activeUnit(uow.manager, { code: unit, tenantCode: uow.complaint.snapshot.tenantCode });
  if (!target) throw new DomainError('invalid', 'The unit does not exist in this kota/kabupaten.', [{ field: 'unit', message: 'unknown unit' }]);
  // handOver refuses a unit in the accused set (conflict of interest).
  await handOver(uow, deadlines, target, 'forwarded', official.unitId, facts);
  audit('complaint.forwarded', { to_unit_id: target.id, to_unit: target.code, reason });
  uow.message('note', reason, author, false);
});
