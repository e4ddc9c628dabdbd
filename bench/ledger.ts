import { Pool } from 'pg';
import { percentile } from './stats';

/**
 * Read-only checks of what the system wrote to PostgreSQL: the bench treats the database as the
 * record of what reached an inbox, since that is where an official reads it.
 */

/** Complaints that have no assignment yet (not in any inbox), over the whole database. */
export async function complaintsNotInInbox(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM complaint c WHERE NOT EXISTS (SELECT 1 FROM assignment a WHERE a.complaint_id = c.id)`,
  );
  return rows[0].n;
}

/**
 * Work the pipeline still has from earlier phases: complaints in no inbox, notices not yet
 * handled, outbox rows due but unpublished. A phase that measures a steady rate starts at zero,
 * or it would measure the previous phase's backlog too.
 */
export async function pipelineBacklog(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM complaint c WHERE NOT EXISTS (SELECT 1 FROM assignment a WHERE a.complaint_id = c.id))
           + (SELECT count(*) FROM notification WHERE status = 'pending')
           + (SELECT count(*) FROM outbox_message WHERE published_at IS NULL AND (deliver_at IS NULL OR deliver_at <= now())))::int AS n`,
  );
  return rows[0].n;
}

/** How many of these tracking numbers have reached an inbox. */
export async function inboxedCount(pool: Pool, trackingNumbers: readonly string[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM complaint c
      WHERE c.tracking_number = ANY($1) AND EXISTS (SELECT 1 FROM assignment a WHERE a.complaint_id = c.id)`,
    [trackingNumbers],
  );
  return rows[0].n;
}

/** Per complaint: when it was submitted, routed and assigned. */
export interface Timeline {
  trackingNumber: string;
  submittedAtMs: number;
  routedAtMs: number | null;
  assignedAtMs: number | null;
}

/**
 * Timelines of these complaints. `submitted_at` is the api's JS clock; the routed audit entry's
 * `at` and `assigned_at` are the worker's, taken inside the transaction that records them. All on
 * this machine, so comparable with the bench's `Date.now()`.
 */
export async function timelines(pool: Pool, trackingNumbers: readonly string[]): Promise<Map<string, Timeline>> {
  const { rows } = await pool.query<{ tracking_number: string; submitted_at: Date; routed_at: Date | null; assigned_at: Date | null }>(
    `SELECT c.tracking_number, c.submitted_at,
            (SELECT min(e.at) FROM audit_entry e WHERE e.stream = 'complaint:' || c.id AND e.event = 'complaint.routed') AS routed_at,
            (SELECT min(a.assigned_at) FROM assignment a WHERE a.complaint_id = c.id) AS assigned_at
       FROM complaint c
      WHERE c.tracking_number = ANY($1)`,
    [trackingNumbers],
  );
  const ms = (d: Date | null) => (d ? d.getTime() : null);
  return new Map(
    rows.map((r) => [
      r.tracking_number,
      { trackingNumber: r.tracking_number, submittedAtMs: r.submitted_at.getTime(), routedAtMs: ms(r.routed_at), assignedAtMs: ms(r.assigned_at) },
    ]),
  );
}

export interface Integrity {
  complaints: number;
  accepted: number;
  /** a 201 whose complaint row does not exist */
  lost: number;
  /** complaint rows with no 201 the bench saw (requests cut off or timed out client-side) */
  unacknowledged: number;
  never_assigned: number;
  duplicated_assignments: number;
  /** 3 when every complaint has exactly submitted, routed and assigned; null otherwise */
  audit_entries_per_complaint: number | null;
  audit_mismatches: number;
  outbox_unpublished: number;
  outbox_timers_waiting_in_postgres: number;
}

/** Compares the database with every 201 the bench received over the whole run. */
export async function checkIntegrity(pool: Pool, acceptedTrackingNumbers: readonly string[]): Promise<Integrity> {
  const { rows } = await pool.query<{ tracking_number: string; assignments: number; audits: number }>(
    `SELECT c.tracking_number,
            (SELECT count(*) FROM assignment a WHERE a.complaint_id = c.id)::int AS assignments,
            (SELECT count(*) FROM audit_entry e WHERE e.stream = 'complaint:' || c.id)::int AS audits
       FROM complaint c`,
  );
  // Unpublished and due: timers beyond the relay's horizon (days away) wait in PostgreSQL by design.
  const { rows: outbox } = await pool.query<{ n: number; timers_waiting: number }>(
    `SELECT count(*) FILTER (WHERE deliver_at IS NULL OR deliver_at <= now())::int AS n,
            count(*) FILTER (WHERE deliver_at > now())::int AS timers_waiting
       FROM outbox_message WHERE published_at IS NULL`,
  );
  const inDb = new Set(rows.map((r) => r.tracking_number));
  const accepted = new Set(acceptedTrackingNumbers);
  const auditCounts = new Set(rows.map((r) => r.audits));
  return {
    complaints: rows.length,
    accepted: acceptedTrackingNumbers.length,
    lost: [...accepted].filter((t) => !inDb.has(t)).length,
    unacknowledged: [...inDb].filter((t) => !accepted.has(t)).length,
    never_assigned: rows.filter((r) => r.assignments === 0).length,
    duplicated_assignments: rows.filter((r) => r.assignments > 1).length,
    audit_entries_per_complaint: auditCounts.size === 1 ? [...auditCounts][0] : null,
    audit_mismatches: rows.filter((r) => r.audits !== 3).length,
    outbox_unpublished: outbox[0].n,
    outbox_timers_waiting_in_postgres: outbox[0].timers_waiting,
  };
}

/** p50/p99 of a list of optional durations, ignoring the missing ones. */
export function spread(values: readonly (number | null)[]): { p50: number; p99: number; n: number } {
  const present = values.filter((v): v is number => v !== null);
  return { p50: percentile(present, 50), p99: percentile(present, 99), n: present.length };
}
