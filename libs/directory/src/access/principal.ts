import type { Role } from '../officials/official.entity';

/** The signed-in official, as every access decision sees them. */
export interface Principal {
  officialId: string;
  username: string;
  name: string;
  roles: readonly Role[];
  /** null only for the bootstrap admin, who administers every tenant */
  tenantCode: string | null;
  unitId: string | null;
  unitCode: string | null;
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes(role);
}
