import { claimMessagesSql, preparedQuery, SqlStatement } from '@aduan/platform';
import { EntityManager } from 'typeorm';
import { Complaint, ComplaintProps } from '../domain/complaint';
import { SELECT_COMPLAINT_PROPS } from './complaint-table';

// Loads complaints as aggregates (Complaint.restore), most of them locking their rows.

/**
 * Loads a complaint and locks its row until the transaction ends: the lock serialises every
 * change to one complaint, including the append to its audit chain.
 */
export async function lockComplaint(manager: EntityManager, id: string): Promise<Complaint | null> {
  return (await lockComplaints(manager, [id])).get(id) ?? null;
}

/** Reads several complaints without locking them (to pick, among many, the few a caller will lock). */
export async function readComplaints(manager: EntityManager, ids: readonly string[]): Promise<Complaint[]> {
  const rows: ComplaintProps[] = await manager.query(`${SELECT_COMPLAINT_PROPS} WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]);
  return rows.map((row) => Complaint.restore(row));
}

/**
 * Loads and locks several complaints (a consumer's batch), in id order so that two batches
 * sharing complaints cannot deadlock; missing ids are simply absent from the map.
 */
export async function lockComplaints(manager: EntityManager, ids: readonly string[]): Promise<Map<string, Complaint>> {
  const rows = await preparedQuery<ComplaintProps>(manager, 'lock-complaints', `${SELECT_COMPLAINT_PROPS} WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  return new Map(rows.map((row) => [row.id, Complaint.restore(row)]));
}

/**
 * A consumer's batch opens with this one statement instead of two: it claims the batch's
 * messages (`processed_message`, see claimMessagesSql) and then loads and locks the
 * complaints they name, in id order. Answers the message ids that were new, and the complaints;
 * a complaint named only by a message handled before is locked too (a replayed job: rare) and
 * must be left alone by the caller. Missing complaints are absent from the map.
 */
export async function claimAndLockComplaints(
  manager: EntityManager,
  consumer: string,
  requests: readonly { messageId: string; complaintId: string }[],
): Promise<{ claimed: Set<string>; complaints: Map<string, Complaint> }> {
  const s = new SqlStatement();
  const claim = claimMessagesSql(s, consumer, requests.map((r) => r.messageId));
  const ids = s.param([...new Set(requests.map((r) => r.complaintId))]);
  // The claimed ids ride on one row only: repeated on each of a batch's 50 rows they cost the
  // driver 50 × 50 array entries to parse (a tenth of the worker's time, in a CPU profile).
  const rows = await preparedQuery<ComplaintProps & { claimed: string[] | null; ord: string | null }>(
    manager,
    'claim-and-lock-complaints',
    `WITH claimed AS (${claim}), new_ids AS (SELECT array_agg(message_id) AS claimed FROM claimed)
     SELECT CASE WHEN c.ord IS NULL OR c.ord = 1 THEN new_ids.claimed END AS claimed, c.* FROM new_ids
       LEFT JOIN LATERAL (SELECT x.*, row_number() OVER () AS ord
                            FROM (${SELECT_COMPLAINT_PROPS} WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE) x) c ON true`,
    s.params,
  );
  return {
    claimed: new Set(rows.find((row) => row.claimed !== null)?.claimed ?? []),
    complaints: new Map(rows.filter((row) => row.id !== null).map(({ claimed: _claimed, ord: _ord, ...props }) => [props.id, Complaint.restore(props)])),
  };
}

/** The same, found by tracking number. */
export async function lockComplaintByTrackingNumber(manager: EntityManager, trackingNumber: string): Promise<Complaint | null> {
  const rows: ComplaintProps[] = await manager.query(`${SELECT_COMPLAINT_PROPS} WHERE tracking_number = $1 FOR UPDATE`, [trackingNumber]);
  return rows[0] ? Complaint.restore(rows[0]) : null;
}
