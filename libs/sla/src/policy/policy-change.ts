import { EntityManager } from 'typeorm';

/** Where changes of `sla_policy` and the holiday tables are announced. */
export const SLA_POLICY_CHANNEL = 'sla_policy_changed';

/**
 * Announces a change of what deadlines are counted by, inside the writing transaction: PostgreSQL
 * delivers the notification only if, and once, the change commits. Changes are rare (an admin's
 * PUT), so the commit-time notify lock costs nothing that matters.
 */
export async function announcePolicyChange(m: EntityManager): Promise<void> {
  await m.query(`SELECT pg_notify($1, '')`, [SLA_POLICY_CHANNEL]);
}
