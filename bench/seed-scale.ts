import { Pool } from 'pg';
import { chainedTrailCte, insertChainedTrail } from './seed-audit-chain';
import { sealAuditLog, seedResponseTimes } from './seed-response-times';
import { progress } from './stats';

/** The lurah whose inbox the console reads measure, and the kelurahan its complaints are about. */
export const HOT_UNIT = 'KEL.36.73.01.1001';

const OPEN = `('submitted', 'routed', 'in_progress', 'awaiting_info')`;
const BATCH = 50_000;

export interface ScaleSeed {
  complaints: number;
  hotOpen: number;
  /** the audit-seal run at the end: its seconds and last line */
  seal: { seconds: number; summary: string };
}

/**
 * Fills a migrated and seeded database to `total` complaints, `hotOpen` of them open in HOT_UNIT's
 * inbox: a year of complaints over every kelurahan of every tenant, most of them closed or resolved
 * with their first response and resolution times (what response-time reports read), 2% open
 * elsewhere. The hot inbox has every open status, 18 categories, deadlines from a day overdue to a
 * week ahead (5% none yet), 1% naming another unit as accused and a few naming HOT_UNIT itself
 * (which it must never see). Each row gets its assignment; hot rows a three-entry audit trail.
 * Written by SQL on the server in batches of 50,000; idempotent (fills only what is missing). Then
 * seed-response-times.ts gives the rest a history of answers, forwards, pauses and breaches, and
 * `audit-seal` seals what was written (the log is left with no backlog for a worker to seal).
 */
export async function seedScale(pool: Pool, databaseUrl: string, total: number, hotOpen: number): Promise<ScaleSeed> {
  const before = await counts(pool);
  const hotMissing = Math.max(0, hotOpen - before.hotOpen);
  const restMissing = Math.max(0, total - before.complaints - hotMissing);
  const started = Date.now();
  const { rows: [{ seq }] } = await pool.query<{ seq: number }>(`SELECT (count(*) / ${BATCH})::int AS seq FROM complaint`);
  let batchNo = seq;
  for (let done = 0; done < hotMissing + restMissing; done += BATCH) {
    const size = Math.min(BATCH, hotMissing + restMissing - done);
    const hot = Math.max(0, Math.min(size, hotMissing - done));
    await pool.query(SEED_SQL, [size, hot, `7${String(batchNo).padStart(5, '0')}`, HOT_UNIT]);
    batchNo += 1;
    progress(`  seed:scale ${done + size} of ${hotMissing + restMissing} complaints written (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  // What the response-time figures read: answers, forwards, pauses, reopens, verdicts, breaches.
  const histories = await seedResponseTimes(pool);
  // The visibility map too: the inbox pages and counts are index-only scans. complaint always: a
  // migration since the last run may have rewritten rows (1795377100000 backfills assigned_at),
  // and a vacuum that finds nothing to do costs seconds.
  const tables = hotMissing + restMissing + histories > 0 ? ['complaint', 'assignment', 'audit_entry', 'sla_breach'] : ['complaint'];
  for (const table of tables) await pool.query(`VACUUM ANALYZE ${table}`);
  // Bulk SQL bypasses the sealer; a worker would otherwise spend its first minutes sealing the backlog.
  const seal = await sealAuditLog(databaseUrl);
  return { ...(await counts(pool)), seal };
}

async function counts(pool: Pool): Promise<Omit<ScaleSeed, 'seal'>> {
  const { rows: [row] } = await pool.query<{ total: number; hot: number }>(
    `SELECT (SELECT count(*)::int FROM complaint) AS total,
            (SELECT count(*)::int FROM complaint c JOIN unit u ON u.id = c.current_unit_id WHERE u.code = $1 AND c.status IN ${OPEN}) AS hot`,
    [HOT_UNIT],
  );
  return { complaints: row.total, hotOpen: row.hot };
}

// $1 rows, the first $2 open in $4's inbox; $3 makes the batch's tracking numbers unique. A
// complaint's life spans up to 280 hours; one filed more recently has it shortened by \`f\` (its age
// over that span) so that nothing is dated after now.
const SEED_SQL = `
WITH RECURSIVE hot_unit AS (SELECT id, area_code FROM unit WHERE code = $4),
units AS (SELECT array_agg(id ORDER BY code) AS ids, array_agg(area_code ORDER BY code) AS areas, array_agg(tenant_code ORDER BY code) AS tenants
            FROM unit WHERE type = 'kelurahan' AND active),
other AS (SELECT array_agg(id ORDER BY code) AS ids FROM unit WHERE type = 'kelurahan' AND code <> $4 AND tenant_code = '36.73'),
cats AS (SELECT array_agg(code ORDER BY code) AS codes FROM category),
rows AS (
  SELECT gen_random_uuid() AS id, i, i <= $2 AS hot,
         1 + (i * 7919) % cardinality(units.ids) AS u,
         cats.codes[1 + (i * 31) % cardinality(cats.codes)] AS category,
         now() - make_interval(secs => ((i::bigint * 104729) % CASE WHEN i <= $2 THEN 1728000 ELSE 31536000 END)::float8) AS submitted_at,
         i % 100 AS pct,
         other.ids[1 + i % cardinality(other.ids)] AS other_unit
    FROM generate_series(1, $1) i, units, cats, other),
aged AS (SELECT r.*, least(1, extract(epoch FROM now() - r.submitted_at) / (280 * 3600)) AS f FROM rows r),
shaped AS (
  SELECT r.*,
         CASE WHEN r.hot THEN hot_unit.id ELSE units.ids[r.u] END AS unit_id,
         CASE WHEN r.hot THEN hot_unit.area_code ELSE units.areas[r.u] END AS kelurahan,
         CASE WHEN r.hot THEN '36.73' ELSE units.tenants[r.u] END AS tenant,
         CASE WHEN r.hot THEN (ARRAY['routed', 'in_progress', 'awaiting_info'])[1 + r.i % 3]
              WHEN r.pct < 2 THEN 'in_progress' WHEN r.pct < 30 THEN 'resolved' ELSE 'closed' END AS status,
         CASE WHEN r.hot AND r.pct < 5 THEN NULL
              WHEN r.hot THEN now() + make_interval(mins => ((r.i * 6271) % 11520) - 1440)
              ELSE r.submitted_at + interval '3 days' END AS due_at,
         CASE WHEN r.hot AND r.pct = 42 THEN ARRAY[r.other_unit]
              WHEN r.hot AND r.i % 5000 = 17 THEN ARRAY[hot_unit.id]
              ELSE '{}'::uuid[] END AS accused
    FROM aged r, hot_unit, units),
c AS (
  INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code, description,
                         anonymous, confidential, status, channel, current_unit_id, current_tier, assigned_at, submitted_at, due_at, resolved_at, closed_at,
                         accused_unit_ids, updated_at)
  SELECT id, 'ADN-' || $3 || '-' || lpad(upper(to_hex(i)), 6, '0'), 'x', tenant, category, kelurahan, left(kelurahan, 8),
         'Skala: data untuk pengukuran.', true, true, status, 'web',
         CASE WHEN status IN ${OPEN} THEN unit_id END, CASE WHEN status IN ${OPEN} THEN 'lurah' END,
         CASE WHEN status IN ${OPEN} THEN submitted_at + f * interval '2 seconds' END,
         submitted_at, CASE WHEN status IN ${OPEN} THEN due_at END,
         CASE WHEN status IN ('resolved', 'closed') THEN submitted_at + f * make_interval(hours => 6 + i % 200) END,
         CASE WHEN status = 'closed' THEN submitted_at + f * make_interval(hours => 80 + i % 200) END,
         accused, now()
    FROM shaped),
a AS (
  INSERT INTO assignment (id, complaint_id, unit_id, tier, routing_id, assigned_at, first_response_due_at, ended_at, responded_at, via)
  SELECT gen_random_uuid(), id, unit_id, 'lurah', gen_random_uuid(), submitted_at + f * interval '2 seconds', submitted_at + interval '3 days',
         CASE WHEN status IN ('resolved', 'closed') THEN submitted_at + f * make_interval(hours => 6 + i % 200) END,
         CASE WHEN status IN ('resolved', 'closed') OR (hot AND status = 'in_progress') THEN submitted_at + f * make_interval(mins => 20 + (i * 13) % 5000) END,
         'routed'
    FROM shaped),
hot_trail AS (
  SELECT s.id AS complaint_id, n AS seq, date_trunc('milliseconds', s.submitted_at) AS at,
         (ARRAY['complaint.submitted', 'complaint.routed', 'complaint.assigned'])[n] AS event, '{"unit_id":"' || s.unit_id || '"}' AS data
    FROM shaped s, generate_series(1, 3) n WHERE s.hot),
${chainedTrailCte('hot_chain', 'hot_trail')}
${insertChainedTrail('hot_chain')}`;
