import { hasRole, Principal } from './principal';

/** What the policy needs to know about a complaint; nothing about its content. */
export interface ComplaintAccessFacts {
  tenantCode: string;
  currentUnitId: string | null;
  /** the unit the complaint accuses, and the units its accused official heads */
  accusedUnitIds: readonly string[];
  /** units the complaint has left (escalated or passed on) that keep read access */
  readOnlyUnitIds?: readonly string[];
}

/**
 * The one answer to "may this official see / act on this complaint". Every read and action asks
 * it; a `false` must surface as 404, never 403, so nobody learns that the complaint exists.
 */
export const AccessPolicy = {
  canView(principal: Principal, facts: ComplaintAccessFacts): boolean {
    if (principal.unitId !== null && facts.accusedUnitIds.includes(principal.unitId)) return false;
    if (hasRole(principal, 'inspector') && principal.tenantCode === facts.tenantCode) return true;
    if (hasRole(principal, 'handler') && principal.unitId !== null) {
      return principal.unitId === facts.currentUnitId || (facts.readOnlyUnitIds ?? []).includes(principal.unitId);
    }
    return false;
  },

  canAct(principal: Principal, facts: ComplaintAccessFacts): boolean {
    return (
      hasRole(principal, 'handler') &&
      principal.unitId !== null &&
      principal.unitId === facts.currentUnitId &&
      !facts.accusedUnitIds.includes(principal.unitId)
    );
  },

  /** Admins manage the directory of their own tenant; the bootstrap admin manages all. */
  canAdminister(principal: Principal, tenantCode: string): boolean {
    return hasRole(principal, 'admin') && (principal.tenantCode === null || principal.tenantCode === tenantCode);
  },
};
