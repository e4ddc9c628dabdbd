import type { Tier } from '@aduan/complaints';

export interface CandidateUnit {
  id: string;
  active: boolean;
}

/** Everything the decision needs, loaded beforehand; the decision itself touches nothing. */
export interface RouteFacts {
  rule: { tier: Tier; unit: CandidateUnit | null } | null;
  kelurahanOffice: CandidateUnit | null;
  kecamatanOffice: CandidateUnit | null;
  inspektorat: CandidateUnit | null;
  /** the category is about an official's conduct (pungli, abuse of authority) */
  aboutOfficial: boolean;
  /** units the complaint accuses (and units its accused official heads) */
  accusedUnitIds: readonly string[];
}

export type RouteReason = 'rule' | 'location' | 'conflict_of_interest' | 'fallback_camat' | 'fallback_inspektorat';

export interface RouteDecision {
  unitId: string;
  tier: Tier;
  reason: RouteReason;
}

const usable = (u: CandidateUnit | null, accused: readonly string[]): u is CandidateUnit =>
  u !== null && u.active && !accused.includes(u.id);

/**
 * Where a complaint goes. Location first (the kelurahan's lurah) unless the category's rule names
 * another tier; a complaint about an official goes to the Inspektorat (UU 30/2014 Pasal 42–43) and
 * never to an accused unit; what the rules cannot place goes to the camat for manual dispatch,
 * and as a last resort to the Inspektorat — never nowhere. Null only if the tenant has no usable
 * unit at all.
 */
export function decideRoute(f: RouteFacts): RouteDecision | null {
  const accused = f.accusedUnitIds;
  if ((f.aboutOfficial || accused.length > 0) && usable(f.inspektorat, accused)) {
    return { unitId: f.inspektorat.id, tier: 'inspektorat', reason: 'conflict_of_interest' };
  }
  const tier = f.rule?.tier ?? 'lurah';
  const candidate =
    tier === 'lurah' ? f.kelurahanOffice
    : tier === 'camat' ? f.kecamatanOffice
    : tier === 'inspektorat' ? f.inspektorat
    : f.rule?.unit ?? null;
  if (usable(candidate, accused)) {
    return { unitId: candidate.id, tier, reason: f.rule && tier !== 'lurah' ? 'rule' : 'location' };
  }
  if (usable(f.kecamatanOffice, accused)) return { unitId: f.kecamatanOffice.id, tier: 'camat', reason: 'fallback_camat' };
  if (usable(f.inspektorat, accused)) return { unitId: f.inspektorat.id, tier: 'inspektorat', reason: 'fallback_inspektorat' };
  return null;
}
