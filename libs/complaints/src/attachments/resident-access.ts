import { DataSource, EntityManager } from 'typeorm';
import { normalizeAccessCode, TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { AccessCodeHasher } from '../privacy/reporter-cipher';

/**
 * The complaint's id when the access code is its own; null for "unknown" and "wrong code" alike,
 * so a caller cannot tell them apart.
 */
export async function residentComplaintId(
  db: DataSource | EntityManager,
  hasher: AccessCodeHasher,
  trackingNumber: string,
  accessCode: string,
): Promise<string | null> {
  if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) return null;
  const rows: { id: string; access_code_hash: string }[] = await db.query(
    `SELECT id, access_code_hash FROM complaint WHERE tracking_number = $1`,
    [trackingNumber],
  );
  const row = rows[0];
  return row && hasher.matches(normalizeAccessCode(accessCode.slice(0, 64)), row.access_code_hash) ? row.id : null;
}
