import { z } from 'zod';

const secret = (name: string) =>
  z.string({ error: `${name} is required` }).min(32, `${name} must be at least 32 characters`);

/** Every setting Aduan reads from the environment; see `.env.example`. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),

  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),

  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL'),
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('aduan'),
  WORKER_QUEUES: z.string().default('all'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),

  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** how often the reconciler looks for published jobs that Redis lost */
  OUTBOX_RECONCILE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** a published job unprocessed for this long, and absent from Redis, is published again */
  OUTBOX_STALE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),

  ADMIN_USERNAME: z.string().min(3).default('admin'),
  ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').optional(),
  AUTH_TOKEN_SECRET: secret('AUTH_TOKEN_SECRET'),
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),

  ACCESS_CODE_SECRET: secret('ACCESS_CODE_SECRET'),
  PRIVACY_KEY: z
    .string({ error: 'PRIVACY_KEY is required' })
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'PRIVACY_KEY must be 32 bytes, base64'),
  PRIVACY_KEY_ID: z.string().regex(/^[a-z0-9-]{1,32}$/i).default('k1'),
});

export type AppConfig = z.infer<typeof configSchema>;
