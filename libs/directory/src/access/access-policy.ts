import type { Role } from '../officials/official.entity';
import { hasRole, Principal } from './principal';

/** What the policy needs to know about a complaint; nothing about its content. */
export interface ComplaintAccessFacts {
  tenantCode: string;
  currentUnitId: string | null;
  /**
   * The complaint's possibly-accused units and the units their officials head (the units
   * directly below each): the set no reader, counter, actor or receiver may come from.
   */
  accusedUnitIds: readonly string[];
  /** units the complaint has left (escalated or passed on) that keep read access */
  readOnlyUnitIds?: readonly string[];
}

/** An official's account as separation of duties sees it: what it may do, and where. */
export interface AccountFacts {
  tenantCode: string | null;
  roles: readonly Role[];
  /** the type of the account's unit (`inspektorat` for an INSP.* unit); null without a unit */
  unitType: string | null;
}

/**
 * The one answer to "may this official see / act on this complaint". Every read and action asks
 * it; a `false` must surface as 404, never 403, so nobody learns that the complaint exists.
 *
 * The invariant of a complaint about an official: no unit in its accused set (`accusedUnitIds`,
 * the possibly-accused units with the units their officials head) sees it, counts it, acts on it
 * or receives it — whatever its role. The inbox and its counts state the same rule in SQL
 * (`notAccusedSql` in the complaints lib).
 */
export const AccessPolicy = {
  canView(principal: Principal, facts: ComplaintAccessFacts): boolean {
    if (principal.unitId !== null && !AccessPolicy.mayReceive(facts, principal.unitId)) return false;
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
      AccessPolicy.mayReceive(facts, principal.unitId)
    );
  },

  /** Whether the complaint may go to a unit: by routing, disposisi, return or escalation. */
  mayReceive(facts: Pick<ComplaintAccessFacts, 'accusedUnitIds'>, unitId: string): boolean {
    return !facts.accusedUnitIds.includes(unitId);
  },

  /** Inspectors triage a complaint's accused set: confirm it, change it or clear it. */
  canTriage(principal: Principal, facts: ComplaintAccessFacts): boolean {
    return hasRole(principal, 'inspector') && AccessPolicy.canView(principal, facts);
  },

  /** The Inspektorat owns its tenant's markers: its inspectors change them; an admin does not. */
  canEditMarkers(principal: Principal, tenantCode: string): boolean {
    return hasRole(principal, 'inspector') && principal.tenantCode === tenantCode;
  },

  /** Admins manage the directory of their own tenant; the bootstrap admin manages all. */
  canAdminister(principal: Principal, tenantCode: string): boolean {
    return hasRole(principal, 'admin') && (principal.tenantCode === null || principal.tenantCode === tenantCode);
  },

  /** The bootstrap (platform) admin: an admin of no tenant, and so of every tenant. */
  isPlatformAdmin(principal: Principal): boolean {
    return hasRole(principal, 'admin') && principal.tenantCode === null;
  },

  /**
   * An account that reads complaints about officials (an inspector, anyone in the Inspektorat) or
   * administers others (an admin). Separation of duties: only the platform admin creates one,
   * turns an account into one, changes one or resets its password.
   */
  isPrivilegedAccount(account: Pick<AccountFacts, 'roles' | 'unitType'>): boolean {
    return account.roles.includes('inspector') || account.roles.includes('admin') || account.unitType === 'inspektorat';
  },

  /**
   * May `principal` bring an account from `before` (null: a new account) to `after`? Both states
   * must lie in tenants the principal administers, and a privileged state on either side needs the
   * platform admin. A tenant admin therefore manages the handlers of its tenant's other units only.
   */
  canManageAccount(principal: Principal, before: AccountFacts | null, after: AccountFacts): boolean {
    const states = before ? [before, after] : [after];
    for (const state of states) {
      if (state.tenantCode === null ? !AccessPolicy.isPlatformAdmin(principal) : !AccessPolicy.canAdminister(principal, state.tenantCode)) return false;
    }
    return AccessPolicy.isPlatformAdmin(principal) || !states.some((s) => AccessPolicy.isPrivilegedAccount(s));
  },
};
