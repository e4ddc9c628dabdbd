import type { Tier } from '@aduan/directory';

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
  /** the Sekretariat Daerah (the Sekda's office, tier `opd`) */
  setda: CandidateUnit | null;
  /** the category is about an official's conduct (pungli, abuse of authority), unless an inspector cleared it */
  aboutOfficial: boolean;
  /** the possibly-accused units and the units their officials head: none may receive the complaint */
  accusedUnitIds: readonly string[];
}

export type RouteReason =
  | 'rule'
  | 'location'
  /** about an official: the Inspektorat triages */
  | 'conflict_of_interest'
  /** about an official, and the Inspektorat itself is suspect (or gone): the Sekda's office */
  | 'conflict_of_interest_setda'
  /** about an official, and the Inspektorat and the Sekda both suspect: the nearest office outside the set */
  | 'conflict_of_interest_nearest'
  | 'fallback_camat'
  | 'fallback_inspektorat';

export interface RouteDecision {
  unitId: string;
  tier: Tier;
  reason: RouteReason;
}

const usable = (u: CandidateUnit | null, accused: readonly string[]): u is CandidateUnit =>
  u !== null && u.active && !accused.includes(u.id);

/**
 * Where a complaint goes. A complaint about an official (a possibly-accused unit, or a category
 * about conduct) goes to the Inspektorat, which triages it (UU 30/2014 Pasal 42–43); when the
 * Inspektorat is itself suspect, to the Sekretariat Daerah; when both are, to the nearest office
 * outside the set along the ordinary route. Otherwise location first (the kelurahan's lurah)
 * unless the category's rule names another tier; what the rules cannot place goes to the camat
 * for manual dispatch, and as a last resort to the Inspektorat — never nowhere, and never to a
 * suspect unit. Null only if no usable unit is left.
 */
export function decideRoute(f: RouteFacts): RouteDecision | null {
  const accused = f.accusedUnitIds;
  const conflict = f.aboutOfficial || accused.length > 0;
  if (conflict) {
    if (usable(f.inspektorat, accused)) return { unitId: f.inspektorat.id, tier: 'inspektorat', reason: 'conflict_of_interest' };
    if (usable(f.setda, accused)) return { unitId: f.setda.id, tier: 'opd', reason: 'conflict_of_interest_setda' };
  }
  const tier = f.rule?.tier ?? 'lurah';
  const candidate =
    tier === 'lurah' ? f.kelurahanOffice
    : tier === 'camat' ? f.kecamatanOffice
    : tier === 'inspektorat' ? f.inspektorat
    : f.rule?.unit ?? null;
  const nearest = (reason: RouteReason): RouteReason => (conflict ? 'conflict_of_interest_nearest' : reason);
  if (usable(candidate, accused)) {
    return { unitId: candidate.id, tier, reason: nearest(f.rule && tier !== 'lurah' ? 'rule' : 'location') };
  }
  if (usable(f.kecamatanOffice, accused)) return { unitId: f.kecamatanOffice.id, tier: 'camat', reason: nearest('fallback_camat') };
  if (usable(f.inspektorat, accused)) return { unitId: f.inspektorat.id, tier: 'inspektorat', reason: 'fallback_inspektorat' };
  if (conflict && usable(f.kelurahanOffice, accused)) return { unitId: f.kelurahanOffice.id, tier: 'lurah', reason: 'conflict_of_interest_nearest' };
  return null;
}
