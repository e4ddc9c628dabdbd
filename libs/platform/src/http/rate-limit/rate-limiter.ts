import type { Redis } from 'ioredis';
import { BatchOutcome, MicroBatcher } from '../../queue/micro-batcher';

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
 * is Redis's, so replicas with skewed clocks agree on when a window ends. One call counts the hits
 * of several requests (KEYS[i] with its window ARGV[i]); a key named twice is counted twice.
 */
const HIT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out`;

interface Hit {
  key: string;
  limit: number;
  windowMs: number;
}

/**
 * Counts hits per (bucket, client) in Redis, so every process that shares the prefix enforces one
 * limit together. Answers `null` when Redis is not there: the caller decides how to fail.
 *
 * Hits that arrive while a call to Redis is under way wait and go together in the next one
 * (MicroBatcher): at a busy hour the api sends Redis one script per group of requests, not one per
 * request; a lone hit is sent at once.
 */
export class RateLimiter {
  private readonly timeoutMs: number;
  private readonly hits = new MicroBatcher<Hit, RateDecision | null>({ run: (hits) => this.count(hits), maxSize: 200, maxInFlight: 2 });

  constructor(private readonly redis: Redis, private readonly options: RateLimiterOptions) {
    this.timeoutMs = options.timeoutMs ?? 250;
  }

  /** Records one hit of `client` on `bucket` and says whether it is within `limit` per `windowMs`. */
  async hit(bucket: string, client: string, limit: number, windowMs: number): Promise<RateDecision | null> {
    // The shared connection queues commands while it reconnects (maxRetriesPerRequest: null);
    // a request must not wait for that.
    if (this.redis.status !== 'ready') return null;
    return this.hits.submit({ key: `${this.options.prefix}:${bucket}:${client}`, limit, windowMs });
  }

  /** One script for a group of hits; every hit of the group answers `null` if Redis fails or is slow. */
  private async count(hits: readonly Hit[]): Promise<BatchOutcome<RateDecision | null>[]> {
    let timer: NodeJS.Timeout | undefined;
    let reply: number[] | null;
    try {
      reply = await Promise.race([
        this.redis.eval(HIT_SCRIPT, hits.length, ...hits.map((h) => h.key), ...hits.map((h) => String(h.windowMs))) as Promise<number[]>,
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), this.timeoutMs);
        }),
      ]);
    } catch {
      reply = null;
    } finally {
      clearTimeout(timer);
    }
    return hits.map((h, i) => {
      if (reply === null) return { ok: true, value: null };
      const count = reply[2 * i];
      const ttlMs = reply[2 * i + 1];
      return { ok: true, value: { allowed: count <= h.limit, count, limit: h.limit, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) } };
    });
  }
}
