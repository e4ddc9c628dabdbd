import { appendAudit } from '@aduan/audit';
import { AccessPolicy, Principal } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ConflictReferences } from '../conflict/conflict-references';
import { DEFAULT_MARKERS, validMarker } from '../domain/markers';
import { normalizePhrase } from '../domain/phrase-match';

export const markerSchema = z.strictObject({ phrase: z.string().max(200) });
export type MarkerInput = z.infer<typeof markerSchema>;

export interface MarkerView {
  id: string;
  phrase: string;
  source: 'default' | 'inspektorat';
  added_at: string;
  removed_at: string | null;
}

interface MarkerRow {
  id: string;
  phrase: string;
  source: 'default' | 'inspektorat';
  added_at: Date;
  removed_at: Date | null;
}

const view = (r: MarkerRow): MarkerView => ({ id: r.id, phrase: r.phrase, source: r.source, added_at: r.added_at.toISOString(), removed_at: r.removed_at?.toISOString() ?? null });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The markers of a tenant belong to its Inspektorat: its inspectors list, add and remove them
 * (audited in `markers:<tenant>`); nobody else — not a tenant admin — may change them. A change
 * reaches this process's intake at once and every other process within a minute.
 */
@Injectable()
export class MarkersService {
  constructor(private readonly dataSource: DataSource, private readonly references: ConflictReferences) {}

  async list(actor: Principal, includeRemoved: boolean): Promise<MarkerView[]> {
    const tenant = this.authorise(actor);
    const rows: MarkerRow[] = await this.dataSource.query(
      `SELECT id, phrase, source, added_at, removed_at FROM conflict_marker
        WHERE tenant_code = $1 AND ($2 OR removed_at IS NULL) ORDER BY phrase`,
      [tenant, includeRemoved],
    );
    return rows.map(view);
  }

  /** Adds a phrase (or brings back one removed before); one already in force is a conflict. */
  async add(actor: Principal, input: MarkerInput, requestId: string | null): Promise<MarkerView> {
    const tenant = this.authorise(actor);
    const checked = validMarker(input.phrase);
    if (!checked.ok) throw new DomainError('invalid', 'That phrase cannot be a marker.', [{ field: 'phrase', message: checked.message }]);
    const marker = await this.dataSource.transaction(async (m) => {
      const rows: (MarkerRow & { inserted: boolean })[] = await m.query(
        `INSERT INTO conflict_marker (tenant_code, phrase, source, added_by, added_at) VALUES ($1, $2, 'inspektorat', $3, now())
         ON CONFLICT (tenant_code, phrase) DO UPDATE SET removed_at = NULL, removed_by = NULL, added_by = EXCLUDED.added_by, added_at = now()
           WHERE conflict_marker.removed_at IS NOT NULL
         RETURNING id, phrase, source, added_at, removed_at`,
        [tenant, checked.phrase, actor.officialId],
      );
      if (!rows[0]) throw new DomainError('conflict', 'That marker is already in force.', [{ field: 'phrase', message: 'already a marker' }]);
      await appendAudit(m, [{
        stream: `markers:${tenant}`,
        actor: { type: 'official', id: actor.officialId },
        event: 'marker.added',
        data: { id: rows[0].id, phrase: rows[0].phrase },
        channel: 'api',
        requestId,
      }]);
      return view(rows[0]);
    });
    this.references.invalidate();
    return marker;
  }

  /** Takes a phrase out of force; its row (and the audit entry) stay. */
  async remove(actor: Principal, id: string, requestId: string | null): Promise<MarkerView> {
    const tenant = this.authorise(actor);
    if (!UUID.test(id)) throw new DomainError('not_found', 'No such marker.');
    const marker = await this.dataSource.transaction(async (m) => {
      const rows: MarkerRow[] = await m.query(
        `WITH removed AS (
           UPDATE conflict_marker SET removed_at = now(), removed_by = $3 WHERE id = $1 AND tenant_code = $2 AND removed_at IS NULL
           RETURNING id, phrase, source, added_at, removed_at)
         SELECT * FROM removed`,
        [id, tenant, actor.officialId],
      );
      if (!rows[0]) throw new DomainError('not_found', 'No such marker in force.');
      await appendAudit(m, [{
        stream: `markers:${tenant}`,
        actor: { type: 'official', id: actor.officialId },
        event: 'marker.removed',
        data: { id: rows[0].id, phrase: rows[0].phrase, source: rows[0].source },
        channel: 'api',
        requestId,
      }]);
      return view(rows[0]);
    });
    this.references.invalidate();
    return marker;
  }

  private authorise(actor: Principal): string {
    if (!actor.tenantCode || !AccessPolicy.canEditMarkers(actor, actor.tenantCode)) {
      throw new DomainError('forbidden', 'The markers belong to the Inspektorat: only its inspectors may read or change them.');
    }
    return actor.tenantCode;
  }
}

/** Gives every tenant the default markers it does not have yet; a marker an inspector removed stays removed. */
export async function seedMarkers(dataSource: DataSource): Promise<number> {
  const phrases = DEFAULT_MARKERS.map(normalizePhrase);
  const rows: unknown[] = await dataSource.query(
    `INSERT INTO conflict_marker (tenant_code, phrase, source, added_at)
     SELECT t.code, p.phrase, 'default', now() FROM tenant t CROSS JOIN unnest($1::text[]) AS p(phrase)
     ON CONFLICT (tenant_code, phrase) DO NOTHING RETURNING 1`,
    [phrases],
  );
  return rows.length;
}
