import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Builds one parameterised SQL statement out of fragments contributed by several libs, so a hot
 * write path (state + audit entry + outbox row) costs one round trip.
 */
export class SqlStatement {
  readonly params: unknown[] = [];

  /** Adds a value and returns its placeholder (`$n`). */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Placeholders for a row of values: `($1, $2, ...)`. */
  row(values: readonly unknown[]): string {
    return `(${values.map((v) => this.param(v)).join(', ')})`;
  }

  /**
   * Rows sent as one array per column: `unnest($1::uuid[], $2::text[], ...)`, for
   * `INSERT ... SELECT * FROM` or `FROM ... AS v(...)`. The text does not depend on how many rows
   * there are, so the statement can be prepared once (preparedQuery, statementName) and PostgreSQL
   * binds a few arrays instead of parsing and planning thousands of placeholders. `types` are the
   * columns' SQL types, in the order of each row's values.
   */
  unnest(types: readonly string[], rows: readonly (readonly unknown[])[]): string {
    const columns = types.map((type, i) => `${this.param(rows.map((r) => r[i] ?? null))}::${type}[]`);
    return `unnest(${columns.join(', ')})`;
  }
}

/**
 * A prepared statement's name for text whose shape varies (which parts a batch needs): `prefix`
 * and a digest of the text, so the same shape reuses one name and another shape never does.
 */
export function statementName(prefix: string, text: string): string {
  return `${prefix}-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}

/**
 * Runs a hot statement as a named prepared statement: each connection parses and plans it once
 * and afterwards only binds values (intake: PostgreSQL's CPU per complaint fell by two fifths).
 * `text` must be the same on every call with that `name` (node-postgres refuses a name reused for
 * other text), so it suits statements whose shape never changes — not multi-row INSERTs, whose
 * shape follows the batch. Given a transaction's manager it runs on that transaction's connection;
 * given the DataSource, on any pooled connection (autocommit).
 */
export async function preparedQuery<T = Record<string, unknown>>(db: DataSource | EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = db instanceof EntityManager ? db.queryRunner : undefined;
  const dataSource = db instanceof EntityManager ? db.connection : db;
  if (runner) {
    if (!runner.isTransactionActive) throw new Error(`preparedQuery ${name}: the manager has no transaction`);
    // connect() hands back the connection the transaction already holds.
    const client = (await runner.connect()) as PoolClient;
    return (await client.query<T & QueryResultRow>({ name, text, values })).rows;
  }
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  return (await pool.query<T & QueryResultRow>({ name, text, values })).rows;
}
