/**
 * Port: when a unit's first response to a complaint is due. `sla` implements it (working days
 * in the tenant's calendar); complaints only asks.
 */
export abstract class DeadlinePolicy {
  abstract firstResponseDueAt(tenantCode: string, categoryCode: string, from: Date): Promise<Date>;
}
