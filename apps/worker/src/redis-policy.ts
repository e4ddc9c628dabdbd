import { Redis } from 'ioredis';

/**
 * BullMQ keeps jobs as ordinary keys: a policy that may evict any key would silently drop jobs.
 * `allkeys-*` is refused; anything but `noeviction` is worth a warning.
 */
export async function checkEvictionPolicy(redis: Redis): Promise<{ policy: string; warning: string | null }> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = reply[1] ?? 'unknown';
  if (policy.startsWith('allkeys-')) {
    throw new Error(`Redis maxmemory-policy is ${policy}: it may evict queued jobs. Set maxmemory-policy noeviction.`);
  }
  return { policy, warning: policy === 'noeviction' ? null : `Redis maxmemory-policy is ${policy}; noeviction is recommended` };
}
