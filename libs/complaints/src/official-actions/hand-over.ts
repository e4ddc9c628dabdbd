import { AccessPolicy, ComplaintAccessFacts, Tier, TIER_OF_UNIT, UnitType } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { DeadlinePolicy } from '../assign-complaint/deadline-policy';
import type { HandOverVia } from '../domain/complaint';
import type { ComplaintUnitOfWork } from '../persistence/complaint-unit-of-work';
import { armFirstResponse } from '../persistence/timers';

/** A unit a complaint can be handed to. */
export interface TargetUnit {
  id: string;
  code: string;
  tier: Tier;
}

/** An active unit by id or by code (`tenantCode` narrows a code to one kota/kabupaten). */
export async function activeUnit(m: EntityManager, by: { id: string } | { code: string; tenantCode?: string }): Promise<TargetUnit | null> {
  const [where, params] = 'id' in by
    ? ['id = $1::uuid', [by.id]]
    : by.tenantCode !== undefined ? ['code = $1 AND tenant_code = $2', [by.code, by.tenantCode]] : ['code = $1', [by.code]];
  const rows: { id: string; code: string; type: UnitType }[] = await m.query(`SELECT id, code, type FROM unit WHERE ${where} AND active`, params);
  const unit = rows[0];
  return unit ? { id: unit.id, code: unit.code, tier: TIER_OF_UNIT[unit.type] } : null;
}

/** Disposisi, return: the complaint moves to `target` with a fresh first-response clock. */
export async function handOver(
  uow: ComplaintUnitOfWork,
  deadlines: DeadlinePolicy,
  target: TargetUnit,
  via: HandOverVia,
  fromUnitId: string | null,
  accused: ComplaintAccessFacts,
): Promise<void> {
  const c = uow.complaint.snapshot;
  if (!AccessPolicy.mayReceive(accused, target.id)) throw conflictOfInterest();
  const due = await deadlines.firstResponseDueAt(c.tenantCode, c.categoryCode, uow.now, uow.manager);
  uow.complaint.handOver(target.id, target.tier, due, via);
  uow.markResponded().endAssignment(via);
  if (fromUnitId) uow.grantReadAccess(fromUnitId, via);
  const assignmentId = uow.openAssignment({ unitId: target.id, tier: target.tier, routingId: randomUUID(), due, fromUnitId, via });
  armFirstResponse(uow, assignmentId, uow.now, due.at);
  uow.notify('unit', 'unit.assigned', { due_at: due.at.toISOString(), due_provisional: due.provisional, via }, target.id);
}

/** Handing over into the accused set: a 422 that says why, naming no one. */
export function conflictOfInterest(): DomainError {
  return new DomainError(
    'invalid',
    'This complaint may concern that unit or an official who heads it (conflict of interest), so it cannot go there. Choose another unit, or ask the Inspektorat to review the accused set.',
    [{ field: 'unit', message: 'conflict of interest' }],
  );
}
