import { latestTreeSize, streamVerdict, TrailEntry, trailEntry, TrailEntryRow, trailEntrySql } from '@aduan/audit';
import { hasRole, Principal } from '@aduan/directory';
import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { notAccusedSql } from '../persistence/access-facts';

export const trailPageSchema = z.strictObject({
  /** the previous page's `next_before` (the id of its last entry), or a time: the entries strictly older */
  before: z.union([z.uuid(), z.iso.datetime({ offset: true })]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type TrailPage = z.infer<typeof trailPageSchema>;

/** Who may read trails: an inspector of a tenant, in an Inspektorat unit. */
export interface Inspector {
  tenantCode: string;
  unitId: string;
}

export function requireInspector(principal: Principal): Inspector {
  if (!hasRole(principal, 'inspector') || !principal.tenantCode || !principal.unitId) {
    throw new DomainError('forbidden', 'Only an inspector of the Inspektorat may read the audit trails.');
  }
  return { tenantCode: principal.tenantCode, unitId: principal.unitId };
}

/**
 * Which entries an inspector may read, for a query whose entries are aliased `e` and whose
 * `LEFT JOIN complaint c` (see COMPLAINT_OF_ENTRY) names the complaint of a complaint stream:
 * their tenant's, never one that may accuse their own unit (AccessPolicy's invariant).
 */
export const COMPLAINT_OF_ENTRY = `LEFT JOIN complaint c ON e.stream LIKE 'complaint:%' AND c.id = CASE WHEN e.stream LIKE 'complaint:%' THEN substr(e.stream, 11)::uuid END`;
export function visibleEntrySql(tenantParam: string, unitParam: string): string {
  return `((c.id IS NOT NULL AND c.tenant_code = ${tenantParam} AND ${notAccusedSql(unitParam)})
        OR (e.stream NOT LIKE 'complaint:%' AND split_part(e.stream, ':', 2) = ${tenantParam}))`;
}

type Row = TrailEntryRow & { tracking_number: string | null };
type Entry = TrailEntry & { tracking_number: string | null };

export interface ComplaintTrail {
  tracking_number: string;
  stream: string;
  chain: ReturnType<typeof streamVerdict>;
  checkpoint: { tree_size: number; signed_at: string | null };
  entries: Entry[];
}

export interface ReferenceTrail {
  subject: Record<string, unknown>;
  checkpoint: { tree_size: number; signed_at: string | null };
  entries: Entry[];
  /** pass as `before` for the next (older) page (the id of this page's last entry); null on the last */
  next_before: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Inspektorat's trails through the audit log: of a complaint (its whole chain, checked entry by
 * entry), of an official (what they did and what was done to their account), of a unit, of a rule.
 * Each reads through an index of its own (stream; actor; the official or unit an entry names), never
 * a scan of the log; each entry comes with its own chain and checkpoint status.
 */
@Injectable()
export class AuditTrailsQuery {
  constructor(private readonly dataSource: DataSource) {}

  async complaint(principal: Principal, trackingNumber: string): Promise<ComplaintTrail> {
    const who = requireInspector(principal);
    const [found]: { id: string }[] = await this.dataSource.query(
      `SELECT c.id FROM complaint c WHERE c.tracking_number = $1 AND c.tenant_code = $2 AND ${notAccusedSql('$3')}`,
      [trackingNumber, who.tenantCode, who.unitId],
    );
    if (!found) throw new DomainError('not_found', 'No complaint with that tracking number in your tenant.');
    const stream = `complaint:${found.id}`;
    const [rows, tree] = await Promise.all([
      this.dataSource.query(`${trailEntrySql()} WHERE e.stream = $1 ORDER BY e.seq`, [stream]) as Promise<TrailEntryRow[]>,
      latestTreeSize(this.dataSource.manager),
    ]);
    const entries = rows.map((r) => ({ ...trailEntry(r, tree.size), tracking_number: trackingNumber }));
    return { tracking_number: trackingNumber, stream, chain: streamVerdict(entries), checkpoint: { tree_size: tree.size, signed_at: tree.signed_at }, entries };
  }

  /** `official` is an id or a username; an erased official is found by id. */
  async official(principal: Principal, official: string, page: TrailPage): Promise<ReferenceTrail> {
    const who = requireInspector(principal);
    const [found]: { id: string; username: string; name: string; unit: string | null; roles: string[]; active: boolean }[] = await this.dataSource.query(
      `SELECT o.id, o.username, o.name, u.code AS unit, o.roles, o.active FROM official o LEFT JOIN unit u ON u.id = o.unit_id
        WHERE ${UUID.test(official) ? 'o.id = $1::uuid' : 'o.username = lower($1)'} AND o.tenant_code = $2`,
      [official, who.tenantCode],
    );
    if (!found) throw new DomainError('not_found', 'No official with that id or username in your tenant.');
    const hits = `SELECT id FROM audit_entry WHERE actor_type = 'official' AND actor_id = $1 AND at <= $4
                  UNION SELECT id FROM audit_entry WHERE data->>'official_id' = $1 AND at <= $4`;
    return this.page({ official: found }, hits, [found.id], who, page);
  }

  async unit(principal: Principal, code: string, page: TrailPage): Promise<ReferenceTrail> {
    const who = requireInspector(principal);
    const [found]: { id: string; code: string; name: string; type: string }[] = await this.dataSource.query(
      `SELECT id, code, name, type FROM unit WHERE code = $1 AND tenant_code = $2`,
      [code, who.tenantCode],
    );
    if (!found) throw new DomainError('not_found', 'No unit with that code in your tenant.');
    const hits = `SELECT id FROM audit_entry WHERE data->>'unit_id' = $1 AND at <= $4
                  UNION SELECT id FROM audit_entry WHERE data->>'to_unit_id' = $1 AND at <= $4
                  UNION SELECT id FROM audit_entry WHERE data->>'from_unit_id' = $1 AND at <= $4`;
    return this.page({ unit: found }, hits, [found.id], who, page);
  }

  /** The routing rule and the SLA policy of one category in the inspector's tenant. */
  async rule(principal: Principal, category: string, page: TrailPage): Promise<ReferenceTrail> {
    const who = requireInspector(principal);
    const [found]: { code: string }[] = await this.dataSource.query(`SELECT code FROM category WHERE code = $1`, [category]);
    if (!found) throw new DomainError('not_found', 'No such category.');
    const hits = `SELECT id FROM audit_entry WHERE stream = 'routing-rules:' || $2 AND data->>'category' = $1 AND at <= $4
                  UNION SELECT id FROM audit_entry WHERE stream = 'sla-policy:' || $2 AND data->>'category' = $1 AND at <= $4`;
    return this.page({ category: found.code, tenant: who.tenantCode }, hits, [found.code], who, page);
  }

  /**
   * Newest first in the total order (at, stream, seq), so entries sharing a timestamp (one
   * transaction's) are neither skipped nor repeated across pages: the cursor is the last entry
   * shown, its time read back as text (microseconds; a JS Date would cut them). A time as `before`
   * is the position (time, '', 0): every entry strictly older.
   */
  private async page(subject: Record<string, unknown>, hits: string, params: unknown[], who: Inspector, page: TrailPage): Promise<ReferenceTrail> {
    let cursor = { at: page.before ?? '9999-12-31T00:00:00Z', stream: '', seq: 0 };
    if (page.before && UUID.test(page.before)) {
      const [entry]: { at: string; stream: string; seq: number }[] = await this.dataSource.query(`SELECT at::text AS at, stream, seq FROM audit_entry WHERE id = $1`, [page.before]);
      if (!entry) throw new DomainError('invalid', 'The paging cursor names no entry of this log.', [{ field: 'before', message: 'unknown cursor' }]);
      cursor = entry;
    }
    const [rows, tree] = await Promise.all([
      this.dataSource.query(
        `WITH hits AS (${hits})
         ${trailEntrySql('hits h JOIN audit_entry e ON e.id = h.id', 'c.tracking_number')}
         ${COMPLAINT_OF_ENTRY}
         WHERE ${visibleEntrySql('$2', '$3')} AND (e.at, e.stream, e.seq) < ($4::timestamptz, $6::text, $7::int)
         ORDER BY e.at DESC, e.stream DESC, e.seq DESC
         LIMIT $5`,
        [params[0], who.tenantCode, who.unitId, cursor.at, page.limit + 1, cursor.stream, cursor.seq],
      ) as Promise<Row[]>,
      latestTreeSize(this.dataSource.manager),
    ]);
    const more = rows.length > page.limit;
    const shown = rows.slice(0, page.limit);
    return {
      subject,
      checkpoint: { tree_size: tree.size, signed_at: tree.signed_at },
      entries: shown.map((r) => ({ ...trailEntry(r, tree.size), tracking_number: r.tracking_number })),
      next_before: more ? shown[shown.length - 1].id : null,
    };
  }
}
