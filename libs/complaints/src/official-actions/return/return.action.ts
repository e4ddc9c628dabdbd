import { AccessPolicy, ComplaintAccessFacts, unitCode } from '@aduan/directory';
import { DomainError, safeText } from '@aduan/platform';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { ComplaintProps } from '../../domain/complaint';
import { activeUnit, handOver, TargetUnit } from '../hand-over';
import { officialAction } from '../official-action';

/** "Not our authority": the unit hands the complaint back (see returnTarget for where it goes). */
export const returnComplaint = officialAction(z.strictObject({ reason: safeText(5, 2000) }), async ({ uow, deadlines, official, facts, author, audit }, { reason }) => {
  const target = await returnTarget(uow.manager, uow.complaint.snapshot, facts);
  await handOver(uow, deadlines, target, 'returned', official.unitId, facts);
  audit('complaint.returned', { to_unit_id: target.id, to_unit: target.code, reason });
  uow.message('note', reason, author, false);
});

/**
 * Back to the unit that passed it here by disposisi; a complaint that routing placed (or that was
 * returned or escalated here) goes to the kecamatan's camat for manual dispatch, and one the camat
 * returns goes to the Sekda (Setda), then the Inspektorat.
 */
async function returnTarget(m: EntityManager, c: Readonly<ComplaintProps>, accused: ComplaintAccessFacts): Promise<TargetUnit> {
  const rows: { from_unit_id: string | null }[] = await m.query(
    `SELECT from_unit_id FROM assignment WHERE complaint_id = $1 AND ended_at IS NULL AND via = 'forwarded'`,
    [c.id],
  );
  const from = rows[0]?.from_unit_id;
  const candidates = [
    ...(from ? [{ id: from }] : []),
    { code: unitCode.kecamatan(c.kecamatanCode) },
    { code: unitCode.opd(c.tenantCode, 'SETDA') },
    { code: unitCode.inspektorat(c.tenantCode) },
  ];
  for (const candidate of candidates) {
    const unit = await activeUnit(m, candidate);
    if (unit && unit.id !== c.currentUnitId && AccessPolicy.mayReceive(accused, unit.id)) return unit;
  }
  throw new DomainError('conflict', 'There is no unit to return this complaint to.');
}
