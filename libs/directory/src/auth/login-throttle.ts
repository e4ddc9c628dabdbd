import { APP_CONFIG, AppConfig, REDIS } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

/** Addresses that signed in to an account stay trusted for it this long. */
const KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600;

const key = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

/**
 * Sign-in throttling, shared through Redis by every api replica. Failures count per account and
 * address (strict), and per account from addresses that never signed in to it (looser). An
 * address the account's owner has signed in from is exempt from the per-account count, so an
 * attacker hammering an account from elsewhere cannot lock its owner out of their own desk; and
 * every lock ends with its window. Usernames that do not exist are throttled the same way, so
 * throttling reveals nothing. If Redis is away, throttling lapses rather than blocking sign-in.
 */
@Injectable()
export class LoginThrottle {
  constructor(@Inject(REDIS) private readonly redis: Redis, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private keys(username: string, address: string) {
    const prefix = `${this.config.QUEUE_PREFIX}:login`;
    const user = username.toLowerCase();
    return { pair: `${prefix}:pair:${key(user, address)}`, account: `${prefix}:account:${key(user)}`, known: `${prefix}:known:${key(user, address)}` };
  }

  /** Seconds to wait before trying again, or 0 when a try is allowed. */
  async retryAfter(username: string, address: string): Promise<number> {
    const k = this.keys(username, address);
    try {
      const [pair, account, known, pairTtl, accountTtl] = await this.redis
        .multi()
        .get(k.pair)
        .get(k.account)
        .exists(k.known)
        .pttl(k.pair)
        .pttl(k.account)
        .exec()
        .then((r) => (r ?? []).map(([, v]) => v as string | number | null));
      if (Number(pair ?? 0) >= this.config.AUTH_LOGIN_FAILURES_PER_ADDRESS) return Math.max(1, Math.ceil(Number(pairTtl) / 1000));
      if (!Number(known) && Number(account ?? 0) >= this.config.AUTH_LOGIN_FAILURES_PER_ACCOUNT) return Math.max(1, Math.ceil(Number(accountTtl) / 1000));
      return 0;
    } catch {
      return 0;
    }
  }

  async failed(username: string, address: string): Promise<void> {
    const k = this.keys(username, address);
    const windowMs = this.config.AUTH_LOGIN_WINDOW_SECONDS * 1000;
    try {
      const known = await this.redis.exists(k.known);
      const tx = this.redis.multi().incr(k.pair).pexpire(k.pair, windowMs, 'NX');
      if (!known) tx.incr(k.account).pexpire(k.account, windowMs, 'NX');
      await tx.exec();
    } catch {
      // Throttling lapses with Redis; the health endpoint reports Redis down.
    }
  }

  async succeeded(username: string, address: string): Promise<void> {
    const k = this.keys(username, address);
    try {
      await this.redis.multi().del(k.pair).set(k.known, '1', 'EX', KNOWN_ADDRESS_SECONDS).exec();
    } catch {
      // as above
    }
  }
}
