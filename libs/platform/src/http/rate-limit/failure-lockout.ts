import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface FailureLockoutOptions {
  /** Redis key prefix; replicas that share it share their counts */
  prefix: string;
  /** failures within a window after which the pair is refused until the window ends */
  maxFailures: number;
  /** the window opens at the pair's first failure */
  windowMs: number;
  /** a call Redis has not answered by then counts as Redis unavailable */
  timeoutMs?: number;
}

/** Where a (subject, client) pair stands: its failures in the current window, and how long it must wait (0: it may try). */
export interface LockoutState {
  failures: number;
  retryAfterSeconds: number;
}

// INCR and the expiry together, so that no count is left without one; the clock is Redis's.
const FAIL_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * Counts failures per (subject, client) in Redis — e.g. wrong access codes for one complaint from
 * one address — and refuses the pair once `maxFailures` are reached, until the window that opened
 * at its first failure ends. A success forgets the pair's failures. Per pair, never per subject
 * alone, so nobody can lock the owner of a subject out from elsewhere. Checked before an attempt
 * and counted after it, so parallel attempts can overshoot by what is in flight (the per-address
 * rate limit bounds that). Answers `null` when Redis is not there: the caller lets the attempt
 * through rather than fail it.
 */
export class FailureLockout {
  private readonly timeoutMs: number;

  constructor(private readonly redis: Redis, private readonly options: FailureLockoutOptions) {
    this.timeoutMs = options.timeoutMs ?? 250;
  }

  async check(subject: string, client: string): Promise<LockoutState | null> {
    const reply = await this.call(() => this.redis.multi().get(this.key(subject, client)).pttl(this.key(subject, client)).exec());
    if (!reply) return null;
    const failures = Number(reply[0]?.[1] ?? 0);
    const ttlMs = Number(reply[1]?.[1] ?? -2);
    const locked = failures >= this.options.maxFailures;
    return { failures, retryAfterSeconds: locked ? Math.max(1, Math.ceil(ttlMs / 1000)) : 0 };
  }

  async failed(subject: string, client: string): Promise<void> {
    await this.call(() => this.redis.eval(FAIL_SCRIPT, 1, this.key(subject, client), String(this.options.windowMs)));
  }

  async succeeded(subject: string, client: string): Promise<void> {
    await this.call(() => this.redis.del(this.key(subject, client)));
  }

  /** Subjects are hashed: a key never holds what the client typed, and stays short whatever it was. */
  private key(subject: string, client: string): string {
    return `${this.options.prefix}:${createHash('sha256').update(subject).digest('hex').slice(0, 32)}:${client}`;
  }

  private async call<T>(command: () => Promise<T>): Promise<T | null> {
    // The shared connection queues commands while it reconnects; an attempt must not wait for that.
    if (this.redis.status !== 'ready') return null;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        command(),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), this.timeoutMs);
        }),
      ]);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
