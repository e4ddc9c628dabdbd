/**
 * The scale seed writes its audit trails in SQL, hashed and chained exactly as the application
 * does (libs/audit/src/audit-chain.ts): SHA-256 of the canonical JSON of every field, keys sorted,
 * `at` in milliseconds, `prev_hash` the entry before's hash. PostgreSQL's sha256() reproduces it
 * because the seed writes only system entries whose `data` it spells in canonical form itself.
 */

/**
 * A recursive CTE `<name>(complaint_id, seq, at, event, data, prev_hash, hash)` chaining the rows
 * of CTE `source(complaint_id uuid, seq int, at timestamptz, event text, data text)`: seq from 1
 * without gaps per complaint, `at` already cut to milliseconds, `data` canonical JSON text.
 * The statement must begin `WITH RECURSIVE`.
 */
export function chainedTrailCte(name: string, source: string): string {
  const hash = (prev: string) => `encode(sha256(convert_to(
      '{"actor_id":null,"actor_type":"system","at":"' || to_char(x.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      || '","channel":"worker","data":' || x.data || ',"event":"' || x.event || '","outcome":"success","prev_hash":' || ${prev}
      || ',"request_id":null,"seq":' || x.seq || ',"stream":"complaint:' || x.complaint_id || '"}', 'UTF8')), 'hex')`;
  return `${name}(complaint_id, seq, at, event, data, prev_hash, hash) AS (
  SELECT x.complaint_id, x.seq, x.at, x.event, x.data, NULL::text, ${hash(`'null'`)}
    FROM ${source} x WHERE x.seq = 1
  UNION ALL
  SELECT x.complaint_id, x.seq, x.at, x.event, x.data, c.hash, ${hash(`'"' || c.hash || '"'`)}
    FROM ${name} c JOIN ${source} x ON x.complaint_id = c.complaint_id AND x.seq = c.seq + 1)`;
}

/** The INSERT of a chained trail's entries (system entries of the worker channel). */
export function insertChainedTrail(name: string): string {
  return `INSERT INTO audit_entry (id, stream, seq, at, actor_type, event, data, channel, outcome, prev_hash, hash)
  SELECT gen_random_uuid(), 'complaint:' || complaint_id, seq, at, 'system', event, data::jsonb, 'worker', 'success', prev_hash, hash
    FROM ${name}`;
}
