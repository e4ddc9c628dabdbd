import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { progress, ratio, round } from './stats';

/** The indexes migration AuditTrailIndexes added to audit_entry for the Inspektorat's trails and views. */
export const TRAIL_INDEXES = [
  'audit_entry_actor_idx', 'audit_entry_official_ref_idx', 'audit_entry_unit_ref_idx', 'audit_entry_to_unit_ref_idx',
  'audit_entry_from_unit_ref_idx', 'audit_entry_reveal_idx', 'audit_entry_rejected_idx',
];
const WRITERS = 8;
/** complaint lives (six entries each) written statement by statement under EXPLAIN (ANALYZE, WAL) */
const STATEMENT_LIVES = 100;
const TABLES = { without: 'bench_audit_without_trail_indexes', with: 'bench_audit_with_trail_indexes' } as const;

/** One complaint's life as the log records it: who acts, and which references each entry's data names. */
function lifeOf(unit: string, nextUnit: string, official: string): { actorType: string; actorId: string | null; event: string; data: Record<string, unknown> }[] {
  return [
    { actorType: 'resident', actorId: null, event: 'complaint.submitted', data: { category: 'SAMPAH', description_sha256: randomBytes(32).toString('hex') } },
    { actorType: 'system', actorId: 'routing.route-complaint', event: 'complaint.routed', data: { unit_id: unit, tier: 'lurah', reason: 'location' } },
    { actorType: 'system', actorId: 'lurah.dispatch-complaint', event: 'complaint.assigned', data: { unit_id: unit, tier: 'lurah', due_at: new Date().toISOString() } },
    { actorType: 'official', actorId: official, event: 'complaint.acknowledged', data: { unit_id: unit } },
    { actorType: 'official', actorId: official, event: 'complaint.forwarded', data: { unit_id: unit, to_unit_id: nextUnit, reason: 'Wewenang kecamatan.' } },
    { actorType: 'official', actorId: official, event: 'complaint.resolved', data: { unit_id: nextUnit, resolution_sha256: randomBytes(32).toString('hex') } },
  ];
}

/**
 * What the trail indexes cost each audit write: the same single-entry INSERTs (a realistic mix of
 * a complaint's events, WRITERS connections, autocommit like the app's small transactions) into two
 * copies of audit_entry's shape, one with only the indexes audit_entry had before the trails, one
 * with those and the trail indexes too. A warm-up, then ABBA twice, each phase from an empty table
 * after a checkpoint: entries/s and index bytes per entry. Then per statement, on one connection,
 * the WAL and the time inside PostgreSQL (EXPLAIN ANALYZE). Ratios are with / without.
 */
export async function auditIndexCost(pool: Pool, seconds: number) {
  const indexes: { indexname: string; indexdef: string }[] = (await pool.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'audit_entry' ORDER BY indexname`)).rows;
  const missing = TRAIL_INDEXES.filter((name) => !indexes.some((i) => i.indexname === name));
  if (missing.length) throw new Error(`audit_entry lacks ${missing.join(', ')}: migrate first`);
  const copy = (table: string, trail: boolean) =>
    indexes
      .filter((i) => trail || !TRAIL_INDEXES.includes(i.indexname))
      .map((i) => i.indexdef.replace(/INDEX "?([A-Za-z0-9_]+)"? ON public\.audit_entry /, (_, name: string) => `INDEX "${table}_${name}" ON public.${table} `));
  for (const [variant, table] of Object.entries(TABLES)) {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.query(`CREATE TABLE ${table} (LIKE audit_entry INCLUDING DEFAULTS)`);
    for (const sql of copy(table, variant === 'with')) await pool.query(sql);
  }
  const units = Array.from({ length: 40 }, () => randomUUID());
  const officials = Array.from({ length: 40 }, () => randomUUID());
  const phases: { trail_indexes: 'without' | 'with'; rows_per_s: number | null; index_bytes_per_row: number | null; indexes: number }[] = [];
  const statements: { trail_indexes: 'without' | 'with'; wal_bytes_per_entry: number | null; wal_records_per_entry: number | null; execution_us_per_entry: number | null }[] = [];
  try {
    // A discarded warm-up, then ABBA twice.
    for (const [k, variant] of (['with', 'without', 'with', 'with', 'without', 'without', 'with', 'with', 'without'] as const).entries()) {
      const table = TABLES[variant];
      await pool.query(`TRUNCATE ${table}`);
      // Each phase starts after a checkpoint, so both pay the same full-page images in the WAL.
      await pool.query('CHECKPOINT');
      progress(`audit indexes: single-entry writes ${variant} the trail indexes, ${k === 0 ? 2 : seconds} s${k === 0 ? ' (warm-up)' : ''}`);
      const until = performance.now() + (k === 0 ? 2 : seconds) * 1000;
      const t0 = performance.now();
      const counts = await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
        const client = await pool.connect();
        let n = 0;
        try {
          while (performance.now() < until) {
            const unit = units[(w * 7 + n) % units.length];
            const stream = `complaint:${randomUUID()}`;
            for (const [i, e] of lifeOf(unit, units[(w * 7 + n + 1) % units.length], officials[(w * 3 + n) % officials.length]).entries()) {
              await client.query(
                `INSERT INTO ${table} (id, stream, seq, at, actor_type, actor_id, event, data, channel, request_id, outcome, prev_hash, hash)
                 VALUES ($1, $2, $3, now(), $4, $5, $6, $7, 'api', $8, 'success', $9, $10)`,
                [randomUUID(), stream, i + 1, e.actorType, e.actorId, e.event, JSON.stringify(e.data), randomUUID(), randomBytes(32).toString('hex'), randomBytes(32).toString('hex')],
              );
              n += 1;
            }
          }
        } finally {
          client.release();
        }
        return n;
      }));
      const wallS = (performance.now() - t0) / 1000;
      const rows = counts.reduce((a, b) => a + b, 0);
      const { index_bytes, index_count } = (await pool.query(
        `SELECT pg_indexes_size($1::regclass)::float8 AS index_bytes, (SELECT count(*)::int FROM pg_indexes WHERE tablename = $2) AS index_count`,
        [table, table],
      )).rows[0] as { index_bytes: number; index_count: number };
      progress(`  ${(rows / wallS).toFixed(0)} entries/s, ${(index_bytes / rows).toFixed(0)} index bytes per entry (${index_count} indexes)`);
      if (k > 0) phases.push({ trail_indexes: variant, rows_per_s: round(rows / wallS), index_bytes_per_row: round(index_bytes / rows), indexes: index_count });
    }

    // Per statement, on one connection: the WAL each INSERT wrote and its time inside PostgreSQL,
    // from EXPLAIN (ANALYZE, WAL): the server's own count, untouched by other databases' traffic.
    for (const variant of ['without', 'with', 'with', 'without'] as const) {
      const table = TABLES[variant];
      await pool.query(`TRUNCATE ${table}`);
      await pool.query('CHECKPOINT');
      const client = await pool.connect();
      let walBytes = 0;
      let walRecords = 0;
      let executionMs = 0;
      try {
        for (let c = 0; c < STATEMENT_LIVES; c++) {
          const stream = `complaint:${randomUUID()}`;
          for (const [i, e] of lifeOf(units[c % units.length], units[(c + 1) % units.length], officials[c % officials.length]).entries()) {
            const { rows } = await client.query(
              `EXPLAIN (ANALYZE, WAL, FORMAT JSON) INSERT INTO ${table} (id, stream, seq, at, actor_type, actor_id, event, data, channel, request_id, outcome, prev_hash, hash)
               VALUES ($1, $2, $3, now(), $4, $5, $6, $7, 'api', $8, 'success', $9, $10)`,
              [randomUUID(), stream, i + 1, e.actorType, e.actorId, e.event, JSON.stringify(e.data), randomUUID(), randomBytes(32).toString('hex'), randomBytes(32).toString('hex')],
            );
            const [explained] = rows[0]['QUERY PLAN'] as { Plan: { 'WAL Bytes': number; 'WAL Records': number }; 'Execution Time': number }[];
            walBytes += explained.Plan['WAL Bytes'];
            walRecords += explained.Plan['WAL Records'];
            executionMs += explained['Execution Time'];
          }
        }
      } finally {
        client.release();
      }
      const n = STATEMENT_LIVES * 6;
      progress(`  per statement ${variant} the trail indexes: ${(walBytes / n).toFixed(0)} WAL bytes, ${(walRecords / n).toFixed(1)} WAL records, ${((executionMs * 1000) / n).toFixed(0)} µs in PostgreSQL`);
      statements.push({ trail_indexes: variant, wal_bytes_per_entry: round(walBytes / n), wal_records_per_entry: round(walRecords / n, 2), execution_us_per_entry: round((executionMs * 1000) / n) });
    }
  } finally {
    for (const table of Object.values(TABLES)) await pool.query(`DROP TABLE IF EXISTS ${table}`);
  }
  const mean = <T extends { trail_indexes: 'without' | 'with' }>(list: T[], variant: 'without' | 'with', key: keyof T) => {
    const values = list.filter((p) => p.trail_indexes === variant).map((p) => Number(p[key] ?? 0));
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const versus = <T extends { trail_indexes: 'without' | 'with' }>(list: T[], key: keyof T) => ratio(mean(list, 'with', key), mean(list, 'without', key), 3);
  return {
    phases,
    statements,
    writes_with_vs_without: versus(phases, 'rows_per_s'),
    index_bytes_per_entry_with_vs_without: versus(phases, 'index_bytes_per_row'),
    wal_bytes_per_entry_with_vs_without: versus(statements, 'wal_bytes_per_entry'),
    execution_time_per_entry_with_vs_without: versus(statements, 'execution_us_per_entry'),
    note: `two copies of audit_entry's columns: audit_entry's other indexes on both, the ${TRAIL_INDEXES.length} trail indexes on one; ${WRITERS} connections of single-row autocommit INSERTs, a complaint's six events in turn (three of them by an official, five naming a unit, one a target unit); a warm-up, then ABBA twice, each phase from an empty table after a CHECKPOINT; then ${STATEMENT_LIVES * 6} entries per variant one by one under EXPLAIN (ANALYZE, WAL) (ABBA): WAL and time inside PostgreSQL per INSERT; no triggers on either copy`,
  };
}
