import { AccessPolicy, ComplaintAccessFacts, hasRole, Principal } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { EntityManager } from 'typeorm';

const NOT_FOUND = 'No complaint with that tracking number is visible to you.';

/**
 * Why `official` may not reveal or erase the reporter of a complaint with these facts; null when they may.
 * One they cannot see is unknown to them (never a 403 that tells it exists).
 */
export function reporterAccessRefusal(official: Principal, facts: ComplaintAccessFacts, forbidden: string): DomainError | null {
  if (!AccessPolicy.canView(official, facts)) return new DomainError('not_found', NOT_FOUND);
  if (!hasRole(official, 'inspector')) return new DomainError('forbidden', forbidden);
  return null;
}

/** The refusal of a reveal or a second erasure: the identity is gone, and since when. */
export function reporterErasedError(erasedAt: Date): DomainError {
  const at = erasedAt.toISOString();
  return new DomainError('gone', `Identitas pelapor pengaduan ini telah dihapus pada ${at} atas permintaan pelapor (UU 27/2022). / The reporter's identity was erased on ${at} at the reporter's request (UU 27/2022).`);
}

/** The erasure state of a complaint's reporter, read under the complaint's row lock. */
export async function reporterOnFile(m: EntityManager, complaintId: string): Promise<{ ciphertext: string | null; keyId: string | null; erasedAt: Date | null }> {
  const [row]: { reporter_ciphertext: string | null; reporter_key_id: string | null; reporter_erased_at: Date | null }[] = await m.query(
    `SELECT reporter_ciphertext, reporter_key_id, reporter_erased_at FROM complaint WHERE id = $1`,
    [complaintId],
  );
  return { ciphertext: row.reporter_ciphertext, keyId: row.reporter_key_id, erasedAt: row.reporter_erased_at };
}
