import type { Redis } from 'ioredis';

/** A counter's state after one hit. */
export interface RateDecision {
  allowed: boolean;
  /** hits in the current window, this one included */
  count: number;
  limit: number;
  /** whole seconds until the window ends (at least 1): the `Retry-After` of a refusal */
  retryAfterSeconds: number;
}

export interface RateLimiterOptions {
  /** Redis key prefix; replicas that share it share their counters */
  prefix: string;
  /** a hit Redis has not answered by then counts as Redis unavailable */
  timeoutMs?: number;
}

/*
 * A fixed window that opens at a key's first hit. INCR and the expiry run in one script so that no
 * counter can be left without an expiry (which would shut an address out for good), and the clock
 * is Redis's, so replicas with skewed clocks agree on when a window ends.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/**
 * Counts hits per (bucket, client) in Redis, so every process that shares the prefix enforces one
 * limit together. Answers `null` when Redis is not there: the caller decides how to fail.
 */
export class RateLimiter {
  private readonly timeoutMs: number;

  constructor(private readonly redis: Redis, private readonly options: RateLimiterOptions) {
    this.timeoutMs = options.timeoutMs ?? 250;
  }

  /** Records one hit of `client` on `bucket` and says whether it is within `limit` per `windowMs`. */
  async hit(bucket: string, client: string, limit: number, windowMs: number): Promise<RateDecision | null> {
    // The shared connection queues commands while it reconnects (maxRetriesPerRequest: null);
    // a request must not wait for that.
    if (this.redis.status !== 'ready') return null;
    const key = `${this.options.prefix}:${bucket}:${client}`;
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await Promise.race([
        this.redis.eval(HIT_SCRIPT, 1, key, String(windowMs)) as Promise<[number, number]>,
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), this.timeoutMs);
        }),
      ]);
      if (reply === null) return null;
      const [count, ttlMs] = reply;
      return { allowed: count <= limit, count, limit, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
