import { Redis } from 'ioredis';
import { ALL_QUEUES, QueueName } from '../queue/queue-names';

/** Heartbeats older than this are dropped by readers (a worker that went away without a word). */
const FORGET_AFTER_MS = 86_400_000;

/** Stamps fields of a hash with the Redis server's clock (ms), so hosts' clocks never disagree. */
const STAMP = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, field in ipairs(ARGV) do redis.call('HSET', KEYS[1], field, now) end
return now`;

/** The hash of heartbeats: field `<queue>|<worker instance>`, value the Redis time of its last beat. */
export function heartbeatKey(queuePrefix: string): string {
  return `${queuePrefix}:worker-heartbeat`;
}

const field = (queue: QueueName, instance: string) => `${queue}|${instance}`;

/** A worker's beat: it is taking jobs from these queues now. */
export async function beat(redis: Redis, queuePrefix: string, instance: string, queues: readonly QueueName[]): Promise<void> {
  if (queues.length === 0) return;
  await redis.eval(STAMP, 1, heartbeatKey(queuePrefix), ...queues.map((q) => field(q, instance)));
}

/** A worker that stops cleanly takes its beats back at once rather than letting them age. */
export async function withdraw(redis: Redis, queuePrefix: string, instance: string, queues: readonly QueueName[]): Promise<void> {
  if (queues.length === 0) return;
  await redis.hdel(heartbeatKey(queuePrefix), ...queues.map((q) => field(q, instance)));
}

/** Per queue, the age (ms, by Redis's clock) of its freshest heartbeat; absent: none at all. */
export async function heartbeatAges(redis: Redis, queuePrefix: string): Promise<Map<QueueName, number>> {
  const key = heartbeatKey(queuePrefix);
  const results = await redis.multi().time().hgetall(key).exec();
  if (!results || results.some(([error]) => error)) throw new Error('Redis did not answer the heartbeat read');
  const [seconds, micros] = results[0][1] as [string, string];
  const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const ages = new Map<QueueName, number>();
  const stale: string[] = [];
  for (const [name, stamp] of Object.entries(results[1][1] as Record<string, string>)) {
    const age = now - Number(stamp);
    if (age > FORGET_AFTER_MS) stale.push(name);
    const queue = name.split('|')[0] as QueueName;
    if (!(ALL_QUEUES as string[]).includes(queue)) continue;
    ages.set(queue, Math.min(ages.get(queue) ?? Infinity, age));
  }
  if (stale.length > 0) await redis.hdel(key, ...stale);
  return ages;
}
