import { Principal } from '@aduan/directory';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { notAccusedSql } from '../persistence/access-facts';
import { requireInspector } from './audit-trails.query';

const when = z.iso.datetime({ offset: true });
export const viewFilterSchema = z.strictObject({
  from: when.optional(),
  to: when.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  format: z.enum(['json', 'csv']).optional(),
});
export type ViewFilter = z.infer<typeof viewFilterSchema>;

export const ruleChangesFilterSchema = viewFilterSchema.extend({ kind: z.enum(['routing_rule', 'sla_policy', 'marker']).optional() });
export const pingPongFilterSchema = viewFilterSchema.extend({ min_handoffs: z.coerce.number().int().min(1).max(100).default(3) });

export interface RevealRow { at: Date; tracking_number: string; official_id: string | null; official_username: string | null; official_name: string | null; unit: string | null; reason: string; request_id: string | null; entry_id: string }
export interface RuleChangeRow { at: Date; kind: string; event: string; subject: string | null; before: unknown; after: unknown; official_username: string | null; official_name: string | null; request_id: string | null; entry_id: string }
export interface AccusedRow { tracking_number: string; submitted_at: Date; category: string; status: string; review: string | null; accused_units: string; handler: string | null; path: string }
export interface PingPongRow { tracking_number: string; submitted_at: Date; category: string; status: string; handoffs: number; path: string; handler: string | null }
export interface RejectionRow { unit: string; unit_name: string; unit_type: string; received: number; rejected_duplicate: number; rejected_invalid: number; rejected_out_of_scope: number; rate: number | null; peer_rate: number | null; ratio_to_peers: number | null }
export interface AccountRow { at: Date; event: string; official_id: string; official_username: string | null; official_name: string | null; unit: string | null; roles_before: string | null; roles: string | null; by_username: string | null; request_id: string | null; entry_id: string }

/** The columns of each view, in CSV order. */
export const VIEW_COLUMNS = {
  reveals: ['at', 'tracking_number', 'official_username', 'official_name', 'unit', 'reason', 'request_id', 'official_id', 'entry_id'],
  'rule-changes': ['at', 'kind', 'subject', 'before', 'after', 'official_username', 'official_name', 'request_id', 'event', 'entry_id'],
  accused: ['tracking_number', 'submitted_at', 'category', 'status', 'review', 'accused_units', 'handler', 'path'],
  'ping-pong': ['tracking_number', 'submitted_at', 'category', 'status', 'handoffs', 'path', 'handler'],
  rejections: ['unit', 'unit_name', 'unit_type', 'received', 'rejected_duplicate', 'rejected_invalid', 'rejected_out_of_scope', 'rate', 'peer_rate', 'ratio_to_peers'],
  accounts: ['at', 'event', 'official_username', 'official_name', 'unit', 'roles_before', 'roles', 'by_username', 'request_id', 'official_id', 'entry_id'],
} as const;
export type ViewName = keyof typeof VIEW_COLUMNS;

const range = (f: ViewFilter): [Date, Date] => [f.from ? new Date(f.from) : new Date(0), f.to ? new Date(f.to) : new Date('9999-12-31T00:00:00Z')];

/**
 * The Inspektorat's integrity views, for its own tenant. Each reads an index of its own or a small
 * read model (migrations AuditTrailIndexes, AssignmentUnitIndex), never a scan of the log:
 * reveals and rejections by event, rule and account changes by their streams, complaints about
 * officials by their review index, hand-offs by the assignment table. A complaint that may accuse
 * the inspector's own unit is left out, as everywhere.
 */
@Injectable()
export class IntegrityViewsQuery {
  constructor(private readonly dataSource: DataSource) {}

  /** Every reveal of a reporter: who, when, which complaint, and the reason given. */
  reveals(principal: Principal, f: ViewFilter): Promise<RevealRow[]> {
    const who = requireInspector(principal);
    return this.dataSource.query(
      `SELECT e.at, c.tracking_number, e.actor_id AS official_id, o.username AS official_username, o.name AS official_name, u.code AS unit,
              e.data->>'reason' AS reason, e.request_id, e.id AS entry_id
         FROM audit_entry e
         JOIN complaint c ON c.id = substr(e.stream, 11)::uuid
         LEFT JOIN official o ON o.id::text = e.actor_id
         LEFT JOIN unit u ON u.id::text = e.data->>'unit_id'
        WHERE e.event = 'complaint.reporter_revealed' AND e.at >= $3 AND e.at < $4
          AND c.tenant_code = $1 AND ${notAccusedSql('$2')}
        ORDER BY e.at DESC LIMIT $5`,
      [who.tenantCode, who.unitId, ...range(f), f.limit],
    );
  }

  /** Every change of a routing rule, an SLA policy or the marker list: what, before and after, by whom. */
  ruleChanges(principal: Principal, f: ViewFilter & { kind?: string }): Promise<RuleChangeRow[]> {
    const who = requireInspector(principal);
    const streams = { routing_rule: 'routing-rules', sla_policy: 'sla-policy', marker: 'markers' };
    const chosen = f.kind ? [streams[f.kind as keyof typeof streams]] : Object.values(streams);
    return this.dataSource.query(
      `SELECT e.at, split_part(e.event, '.', 1) AS kind, e.event,
              coalesce(e.data->>'category', e.data->>'phrase') AS subject,
              CASE WHEN e.event = 'sla_policy.changed' THEN NULL ELSE e.data->'before' END AS before,
              CASE WHEN e.event = 'sla_policy.changed' THEN e.data - 'category'
                   WHEN e.event LIKE 'marker.%' THEN NULL ELSE e.data->'after' END AS after,
              o.username AS official_username, o.name AS official_name, e.request_id, e.id AS entry_id
         FROM audit_entry e
         LEFT JOIN official o ON e.actor_type = 'official' AND o.id::text = e.actor_id
        WHERE e.stream = ANY(SELECT s || ':' || $1 FROM unnest($2::text[]) AS s) AND e.at >= $3 AND e.at < $4
        ORDER BY e.at DESC LIMIT $5`,
      [who.tenantCode, chosen, ...range(f), f.limit],
    );
  }

  /** Complaints about officials: who was accused, the review, and every unit each went to. */
  accused(principal: Principal, f: ViewFilter): Promise<AccusedRow[]> {
    const who = requireInspector(principal);
    return this.dataSource.query(
      `SELECT c.tracking_number, c.submitted_at, c.category_code AS category, c.status, c.accused_review AS review,
              (SELECT coalesce(string_agg(u.code, ' ' ORDER BY u.code), '') FROM unit u WHERE u.id = ANY(c.accused_unit_ids)) AS accused_units,
              h.code AS handler,
              (SELECT coalesce(string_agg(u.code, ' → ' ORDER BY a.assigned_at), '') FROM assignment a JOIN unit u ON u.id = a.unit_id WHERE a.complaint_id = c.id) AS path
         FROM complaint c LEFT JOIN unit h ON h.id = c.current_unit_id
        WHERE c.tenant_code = $1 AND c.accused_review IS NOT NULL AND c.submitted_at >= $3 AND c.submitted_at < $4 AND ${notAccusedSql('$2')}
        ORDER BY c.submitted_at DESC LIMIT $5`,
      [who.tenantCode, who.unitId, ...range(f), f.limit],
    );
  }

  /** Complaints handed on (forwarded or returned) at least `min_handoffs` times: ping-pong between units. */
  async pingPong(principal: Principal, f: ViewFilter & { min_handoffs: number }): Promise<PingPongRow[]> {
    const who = requireInspector(principal);
    const rows: (PingPongRow & { handoffs: string })[] = await this.dataSource.query(
      `WITH bounced AS (
         SELECT complaint_id, count(*) AS handoffs FROM assignment WHERE via IN ('forwarded', 'returned') GROUP BY complaint_id HAVING count(*) >= $6)
       SELECT c.tracking_number, c.submitted_at, c.category_code AS category, c.status, b.handoffs, h.code AS handler,
              (SELECT string_agg(u.code, ' → ' ORDER BY a.assigned_at) FROM assignment a JOIN unit u ON u.id = a.unit_id WHERE a.complaint_id = c.id) AS path
         FROM bounced b JOIN complaint c ON c.id = b.complaint_id LEFT JOIN unit h ON h.id = c.current_unit_id
        WHERE c.tenant_code = $1 AND c.submitted_at >= $3 AND c.submitted_at < $4 AND ${notAccusedSql('$2')}
        ORDER BY b.handoffs DESC, c.submitted_at DESC LIMIT $5`,
      [who.tenantCode, who.unitId, ...range(f), f.limit, f.min_handoffs],
    );
    return rows.map((r) => ({ ...r, handoffs: Number(r.handoffs) }));
  }

  /**
   * Rejections per unit (duplicate, invalid, out of scope) against what it received in the period,
   * and the rate of its peers: the tenant's other units of the same type.
   */
  async rejections(principal: Principal, f: ViewFilter): Promise<RejectionRow[]> {
    const who = requireInspector(principal);
    const rows: Record<string, string | number | null>[] = await this.dataSource.query(
      `WITH received AS (
         SELECT a.unit_id, count(*) AS n FROM assignment a JOIN unit u ON u.id = a.unit_id AND u.tenant_code = $1
          WHERE a.assigned_at >= $2 AND a.assigned_at < $3 GROUP BY a.unit_id),
       rejected AS (
         SELECT (e.data->>'unit_id')::uuid AS unit_id,
                count(*) FILTER (WHERE e.data->>'reason' = 'duplicate') AS duplicate,
                count(*) FILTER (WHERE e.data->>'reason' = 'invalid') AS invalid,
                count(*) FILTER (WHERE e.data->>'reason' = 'out_of_scope') AS out_of_scope
           FROM audit_entry e WHERE e.event = 'complaint.rejected' AND e.at >= $2 AND e.at < $3 GROUP BY 1),
       per_unit AS (
         SELECT u.code, u.name, u.type, coalesce(r.n, 0) AS received, coalesce(x.duplicate, 0) AS dup, coalesce(x.invalid, 0) AS inv, coalesce(x.out_of_scope, 0) AS oos
           FROM unit u LEFT JOIN received r ON r.unit_id = u.id LEFT JOIN rejected x ON x.unit_id = u.id
          WHERE u.tenant_code = $1 AND (r.n IS NOT NULL OR x.unit_id IS NOT NULL)),
       by_type AS (SELECT type, sum(received) AS received, sum(dup + inv + oos) AS rejected FROM per_unit GROUP BY type)
       SELECT p.code AS unit, p.name AS unit_name, p.type AS unit_type, p.received, p.dup AS rejected_duplicate, p.inv AS rejected_invalid, p.oos AS rejected_out_of_scope,
              t.received - p.received AS peer_received, t.rejected - (p.dup + p.inv + p.oos) AS peer_rejected
         FROM per_unit p JOIN by_type t ON t.type = p.type
        ORDER BY (p.dup + p.inv + p.oos)::float / greatest(p.received, 1) DESC, p.code LIMIT $4`,
      [who.tenantCode, ...range(f), f.limit],
    );
    const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
    return rows.map((r) => {
      const received = Number(r.received);
      const rejected = Number(r.rejected_duplicate) + Number(r.rejected_invalid) + Number(r.rejected_out_of_scope);
      const rate = ratio(rejected, received);
      const peerRate = ratio(Number(r.peer_rejected), Number(r.peer_received));
      return {
        unit: String(r.unit), unit_name: String(r.unit_name), unit_type: String(r.unit_type), received,
        rejected_duplicate: Number(r.rejected_duplicate), rejected_invalid: Number(r.rejected_invalid), rejected_out_of_scope: Number(r.rejected_out_of_scope),
        rate, peer_rate: peerRate, ratio_to_peers: rate !== null && peerRate ? ratio(rate, peerRate) : null,
      };
    });
  }

  /** Accounts created, or given roles: who, what roles, by whom. */
  accounts(principal: Principal, f: ViewFilter): Promise<AccountRow[]> {
    const who = requireInspector(principal);
    return this.dataSource.query(
      `SELECT e.at, e.event, e.data->>'official_id' AS official_id, t.username AS official_username, t.name AS official_name,
              coalesce(e.data->>'unit', e.data->'changes'->'unit'->>'to') AS unit,
              (SELECT string_agg(r, ' ') FROM jsonb_array_elements_text(e.data->'changes'->'roles'->'from') r) AS roles_before,
              (SELECT string_agg(r, ' ') FROM jsonb_array_elements_text(coalesce(e.data->'roles', e.data->'changes'->'roles'->'to')) r) AS roles,
              o.username AS by_username, e.request_id, e.id AS entry_id
         FROM audit_entry e
         LEFT JOIN official t ON t.id::text = e.data->>'official_id'
         LEFT JOIN official o ON e.actor_type = 'official' AND o.id::text = e.actor_id
        WHERE e.stream = 'officials:' || $1 AND e.at >= $2 AND e.at < $3
          AND (e.event = 'officials.created' OR (e.event = 'officials.updated' AND e.data->'changes' ? 'roles'))
        ORDER BY e.at DESC LIMIT $4`,
      [who.tenantCode, ...range(f), f.limit],
    );
  }
}
