import { auditLeafHash, hashEntry, MerkleFrontier, Sql } from '@aduan/audit';
import { Client } from 'pg';

/** A pg client as the verifier's `Sql`. */
export function sqlOf(client: Client): Sql {
  return { query: async (text, params) => (await client.query(text, params as unknown[])).rows };
}

/**
 * Runs `tamper` as the PostgreSQL superuser with the append-only triggers off
 * (session_replication_role = replica, as a DBA would), then `inspect` on the same connection, and
 * rolls everything back: other test files share this database and its log.
 */
export async function asTamperingSuperuser<T>(url: string, tamper: (client: Client) => Promise<void>, inspect: (sql: Sql) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'aduan-test-tamper' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    await tamper(client);
    return await inspect(sqlOf(client));
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}

/**
 * The same tampering, committed: for checks that read through other connections (the api's verify,
 * the /oversight page). The caller must undo it the same way (in a `finally`): the log is shared.
 */
export async function commitAsTamperingSuperuser(url: string, tamper: (client: Client) => Promise<void>): Promise<void> {
  const client = new Client({ connectionString: url, application_name: 'aduan-test-tamper' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    await tamper(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

interface EntryRow {
  id: string;
  stream: string;
  seq: number;
  at: Date;
  actor_type: 'resident' | 'official' | 'system';
  actor_id: string | null;
  event: string;
  data: Record<string, unknown>;
  channel: 'web' | 'open311' | 'api' | 'console' | 'worker' | 'cli';
  request_id: string | null;
  outcome: string;
  prev_hash: string | null;
  hash: string;
}

/** Hashes a chain again from its first entry, as someone who knows the (public) hashing rule would. */
export async function rehashChain(client: Client, stream: string): Promise<void> {
  const rows = (await client.query<EntryRow>(`SELECT * FROM audit_entry WHERE stream = $1 ORDER BY seq`, [stream])).rows;
  let prev: string | null = null;
  for (const row of rows) {
    const hash = hashEntry({
      stream: row.stream, seq: row.seq, at: row.at, actorType: row.actor_type, actorId: row.actor_id, event: row.event, data: row.data,
      channel: row.channel, requestId: row.request_id, outcome: row.outcome, prevHash: prev,
    });
    await client.query(`UPDATE audit_entry SET prev_hash = $2, hash = $3 WHERE id = $1`, [row.id, prev, hash]);
    prev = hash;
  }
}

/** Builds the whole Merkle tree again from the entries as they are now, in the leaves' order (a full recomputation). */
export async function rebuildTree(client: Client): Promise<void> {
  const leaves = (
    await client.query<{ idx: string; id: string; stream: string; seq: number; hash: string }>(
      `SELECT l.idx, e.id, e.stream, e.seq, e.hash FROM audit_leaf l JOIN audit_entry e ON e.id = l.entry_id ORDER BY l.idx`,
    )
  ).rows;
  const tree = MerkleFrontier.empty();
  const leafRows: unknown[][] = [];
  const nodes: { level: number; index: number; hash: Buffer }[] = [];
  for (const leaf of leaves) {
    const hash = auditLeafHash(leaf);
    leafRows.push([tree.treeSize, leaf.id, leaf.stream, leaf.seq, hash]);
    nodes.push(...tree.append(hash));
  }
  await client.query(`DELETE FROM audit_node`);
  await client.query(`DELETE FROM audit_leaf`);
  await client.query(`INSERT INTO audit_leaf (idx, entry_id, stream, seq, hash) SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::bytea[])`, [
    leafRows.map((r) => r[0]), leafRows.map((r) => r[1]), leafRows.map((r) => r[2]), leafRows.map((r) => r[3]), leafRows.map((r) => r[4]),
  ]);
  await client.query(`INSERT INTO audit_node (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`, [
    nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash),
  ]);
}
