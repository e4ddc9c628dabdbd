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
}
