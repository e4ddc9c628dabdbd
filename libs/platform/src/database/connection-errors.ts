/**
 * Errors that mean "the connection to PostgreSQL went away or could not be made", not "this
 * statement was wrong": a terminated backend (pg_terminate_backend, an idle-connection reaper),
 * a server shutting down or starting up, a refused or reset socket, a checkout that timed out.
 * The work in hand was rolled back (or, for a COMMIT cut off in flight, its outcome is unknown);
 * the same request a moment later may well succeed.
 */
const LOST_CONNECTION_MESSAGES = [
  'Connection terminated',
  'connection error',
  'not queryable',
  'timeout exceeded when trying to connect',
  'terminating connection',
  'the database system is',
  'server closed the connection',
  'Client was closed',
  'Cannot use a pool after calling end',
];
const LOST_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN', 'ECONNABORTED']);

export function isConnectionLost(error: unknown): boolean {
  for (let e = error as { driverError?: unknown; code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, class 08 connection_exception, 53300 too_many_connections
    if (/^(57P0[123]|08...|53300)$/.test(code) || LOST_CONNECTION_CODES.has(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (LOST_CONNECTION_MESSAGES.some((m) => message.includes(m))) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * Delays between reconnection attempts: doubling from `firstMs` up to `maxMs`, each drawn from
 * its upper half so that many processes cut off together do not come back in step.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly firstMs = 100,
    private readonly maxMs = 5_000,
  ) {}

  /** failures since the last success */
  get failures(): number {
    return this.attempt;
  }

  next(): number {
    const ceiling = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.attempt, 20));
    this.attempt += 1;
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}
