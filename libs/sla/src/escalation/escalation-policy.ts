import type { UnitType } from '@aduan/directory';

export interface LadderUnit {
  id: string;
  type: UnitType;
  parentId: string | null;
  active: boolean;
}

/**
 * The escalation policy, in one place. A complaint whose first response is late climbs the unit
 * ladder of its tenant: each unit's `parent` (seeded: kelurahan office → kecamatan office →
 * Sekretariat Daerah; every OPD → Sekretariat Daerah; an admin can re-point parents). Inactive
 * and accused units are skipped. At the top there is no one left to climb to: the breach is
 * recorded and the Inspektorat told, and the complaint stays where it is.
 */
export function nextRung(units: ReadonlyMap<string, LadderUnit>, fromUnitId: string, accusedUnitIds: readonly string[]): LadderUnit | null {
  const seen = new Set<string>([fromUnitId]);
  let cursor = units.get(fromUnitId)?.parentId ?? null;
  while (cursor && !seen.has(cursor)) {
    seen.add(cursor);
    const unit = units.get(cursor);
    if (!unit) return null;
    if (unit.active && !accusedUnitIds.includes(unit.id)) return unit;
    cursor = unit.parentId;
  }
  return null;
}
