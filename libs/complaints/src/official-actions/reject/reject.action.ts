import { AccessPolicy, Principal } from '@aduan/directory';
import { DomainError, safeText } from '@aduan/platform';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { loadAccessFacts } from '../../persistence/access-facts';
import { officialAction } from '../official-action';

const input = z
  .strictObject({
    reason: z.enum(['duplicate', 'invalid', 'out_of_scope']),
    note: safeText(5, 2000),
    duplicate_of: z.string().regex(/^ADN-\d{6}-[0-9A-Z]{6}$/, 'must be a tracking number').optional(),
  })
  .refine((v) => v.reason !== 'duplicate' || v.duplicate_of, { message: 'a duplicate names its original', path: ['duplicate_of'] });

/** The unit turns the complaint down: a duplicate (naming its original), invalid, or out of scope. */
export const reject = officialAction(input, async ({ uow, official, author, audit }, { reason, note, duplicate_of }) => {
  const c = uow.complaint.snapshot;
  const duplicateOf = reason === 'duplicate' ? await original(uow.manager, official, duplicate_of, c.tenantCode, c.trackingNumber) : null;
  uow.complaint.reject(uow.now);
  uow.markResponded().endAssignment('rejected').message('rejection', note, author, true);
  audit('complaint.rejected', { reason, duplicate_of: duplicateOf });
  uow.notify('resident', 'resident.rejected', { reason, duplicate_of: duplicateOf });
});

/**
 * The original of a duplicate: a complaint of the tenant that the caller can see. One they cannot
 * see gets the very answer of one that does not exist, so `duplicate_of` tells nobody what exists.
 */
async function original(m: EntityManager, official: Principal, trackingNumber: string | undefined, tenantCode: string, self: string): Promise<string> {
  const rows: { id: string; tracking_number: string }[] = trackingNumber && trackingNumber !== self
    ? await m.query(`SELECT id, tracking_number FROM complaint WHERE tracking_number = $1 AND tenant_code = $2`, [trackingNumber, tenantCode])
    : [];
  const visible = rows[0] && AccessPolicy.canView(official, await loadAccessFacts(m, rows[0].id));
  if (!visible) throw new DomainError('invalid', 'A duplicate must name the original complaint.', [{ field: 'duplicate_of', message: 'unknown complaint' }]);
  return rows[0].tracking_number;
}
