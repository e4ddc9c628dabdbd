import type { EntityManager } from 'typeorm';
import type { Deadline } from '../domain/deadline';

/**
 * Port: when deadlines fall. `sla` implements it (working days in the tenant's calendar, per
 * category policy); complaints only asks. Callers inside a transaction pass its manager: the
 * policy must never borrow a second pool connection while the caller holds one (ten jobs doing
 * that at once exhaust a pool of ten and wait for each other forever).
 */
export abstract class DeadlinePolicy {
  /** when a unit that receives the complaint at `from` must have answered */
  abstract firstResponseDueAt(tenantCode: string, categoryCode: string, from: Date, db: EntityManager): Promise<Deadline>;
  /** when a complaint acknowledged at `from` must be resolved */
  abstract resolutionDueAt(tenantCode: string, categoryCode: string, from: Date, db: EntityManager): Promise<Deadline>;
  /** when a complaint resolved at `from` closes by itself if the resident stays silent */
  abstract autoCloseAt(tenantCode: string, from: Date, db: EntityManager): Promise<Deadline>;
}
