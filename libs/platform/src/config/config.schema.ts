import { z } from 'zod';
import { checkChannelSettings } from './channel-settings';
import { trustProxySetting } from './trust-proxy';

/** Go's golang.org/x/mod/sumdb/note key formats (the audit lib checks the hash and the key itself). */
const SIGNER_KEY = /^PRIVATE\+KEY\+[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/;
const VERIFIER_KEY = /^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/;

const secret = (name: string) =>
  z.string({ error: `${name} is required` }).min(32, `${name} must be at least 32 characters`);

/** Every setting Aduan reads from the environment; see `.env.example`. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** which proxies may set X-Forwarded-For (see trust-proxy.ts); by default none: the TCP peer is the client */
  HTTP_TRUST_PROXY: trustProxySetting.default(false),
  /** the bearer token Prometheus sends to the api's /metrics (and the worker's, when set); without it the api's /metrics is 404 */
  METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN must be at least 32 characters').optional(),
  /** the worker's metrics listener: loopback by default, so only the host (or a sidecar) can scrape it */
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  /** its port; 0 picks a free one (tests) */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),

  /** the api's and worker's connection: a role that owns nothing (see database-roles.ts) */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL'),
  /** the schema owner's connection, for migrations only; without it `migrate` uses DATABASE_URL */
  DATABASE_OWNER_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_OWNER_URL must be a postgres:// URL').optional(),
  /** a superuser's connection, for `aduan-cli setup-db` only (creates the roles and the database) */
  DATABASE_ADMIN_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_ADMIN_URL must be a postgres:// URL').optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),

  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL'),
  QUEUE_PREFIX: z.string().regex(/^[a-z0-9_-]+$/i).default('aduan'),
  WORKER_QUEUES: z.string().default('all'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  /** the routing, tier and notification queues handle up to this many jobs in one transaction */
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(50),
  /** …with at most this many such transactions at once per queue */
  WORKER_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(50).default(2),
  /**
   * BullMQ's lock on a running job (renewed every half of it): a worker killed or frozen for longer
   * loses its jobs to another worker, found by the stalled-job check every WORKER_STALLED_CHECK_MS.
   * A job taken over while its first run still goes on is run twice, which every consumer allows.
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  WORKER_STALLED_CHECK_MS: z.coerce.number().int().min(500).max(600_000).default(5_000),
  /** concurrent submissions (without an Idempotency-Key) written by one statement, one commit */
  INTAKE_BATCH_SIZE: z.coerce.number().int().min(1).max(100).default(16),
  /** …with at most this many such statements at once per api process */
  INTAKE_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(50).default(4),

  /**
   * worker: the process that runs the relay (the worker) adds the jobs of the outbox rows it wrote
   * right after its commit; other processes (the api) wake the relay. direct: every process with
   * Redis does so. relay: every row waits for the relay (NOTIFY, then a claim). See OutboxPublisher.
   */
  OUTBOX_PUBLISH: z.enum(['worker', 'direct', 'relay']).default('worker'),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** timers further away than this stay in PostgreSQL; the relay publishes them as they come closer */
  OUTBOX_TIMER_HORIZON_SECONDS: z.coerce.number().int().min(0).max(30 * 86_400).default(3600),
  /** /health/ready fails when a queue has had no worker taking its jobs for this long (workers beat every third of it) */
  WORKER_HEARTBEAT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** /health/ready fails when the oldest due outbox row has waited this long to be published */
  OUTBOX_LAG_READY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** how often the reconciler looks for published jobs that Redis lost (rows published since its last look) */
  OUTBOX_RECONCILE_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** how often a reconciler pass reads the whole last 30 days instead (and the first pass of a worker) */
  OUTBOX_RECONCILE_FULL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  /** a published job unprocessed for this long, and absent from Redis, is published again */
  OUTBOX_STALE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),

  /** a resolved complaint closes by itself after this many hari kerja of silence; unset: the SLA default (LAPOR!: 10) */
  SLA_AUTO_CLOSE_WORKING_DAYS: z.coerce.number().int().min(1).max(365).optional(),
  /** a wall-clock ISO 8601 duration that replaces the above, for drills and tests (e.g. PT5S) */
  SLA_AUTO_CLOSE_DURATION: z.string().regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/, 'must be an ISO 8601 duration like PT10S').optional(),
  /**
   * after a holiday table changes, running deadlines are counted again this much later: by then
   * every process reads the new table (they check for a change every 2 s)
   */
  SLA_REARM_DELAY_SECONDS: z.coerce.number().int().min(3).max(3600).default(5),
  /** complaints looked at per transaction when deadlines are counted again */
  SLA_REARM_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),

  ADMIN_USERNAME: z.string().min(3).default('admin'),
  ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').optional(),
  AUTH_TOKEN_SECRET: secret('AUTH_TOKEN_SECRET'),
  /** access tokens are short-lived; the session behind them is what logout and password changes end */
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  AUTH_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  /** failed sign-ins allowed per account and address, and per account from unknown addresses, per window */
  AUTH_LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(1000).default(5),
  AUTH_LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(30),
  AUTH_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** a rotated refresh token used again this soon gets the same successor (two tabs refreshing together); later, the session ends */
  AUTH_REFRESH_REUSE_LEEWAY_SECONDS: z.coerce.number().int().min(0).max(60).default(10),

  ACCESS_CODE_SECRET: secret('ACCESS_CODE_SECRET'),
  /** wrong access codes for one complaint from one address before that pair is locked out… */
  ACCESS_CODE_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(10),
  /** …for the rest of a window this long from the first failure */
  ACCESS_CODE_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  PRIVACY_KEY: z
    .string({ error: 'PRIVACY_KEY is required' })
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'PRIVACY_KEY must be 32 bytes, base64'),
  PRIVACY_KEY_ID: z.string().regex(/^[a-z0-9-]{1,32}$/i).default('k1'),

  /** per client address, shared by every api replica through Redis; false only for benchmarks */
  RATE_LIMIT_ENABLED: z.stringbool().default(true),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** new complaints per window and address (POST /api/v1/complaints; Open311 POST requests without a valid api_key) */
  RATE_LIMIT_SUBMIT: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Open311 POST requests per window and valid API key, from any number of addresses (an aggregator files for many residents) */
  RATE_LIMIT_OPEN311_KEY: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** other writes without an official's token per window (replies, feedback, photos) */
  RATE_LIMIT_WRITE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** reads without an official's token per window (tracking, directory, pages, Open311 GET) */
  RATE_LIMIT_READ: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** sign-in attempts per window */
  RATE_LIMIT_LOGIN: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Redis key prefix of the counters; defaults to `<QUEUE_PREFIX>:rate-limit` */
  RATE_LIMIT_PREFIX: z.string().regex(/^[a-z0-9_:-]+$/i).optional(),

  // Notification channels: each is off until configured (see channel-settings.ts for the rules between them).
  /** the SMTP server; without it the email channel is off */
  SMTP_HOST: z.string().min(1).optional(),
  /** default 465 when SMTP_SECURE, else 587 */
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it */
  SMTP_SECURE: z.stringbool().default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** the sender, e.g. `Aduan Kota Serang <aduan@serangkota.go.id>`; required with SMTP_HOST */
  SMTP_FROM: z.string().regex(/^[^<>]*<?[^\s@<>]+@[^\s@<>]+>?$/, 'SMTP_FROM must be an address or `Name <address>`').optional(),
  /** where every notice is POSTed, signed (an SMS or WhatsApp gateway); without it the webhook is off */
  WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** the HMAC-SHA256 key of X-Aduan-Signature; at least 32 characters, required with WEBHOOK_URL */
  WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** delivery attempts of one notice (BullMQ job attempts on the notification queue) before it is `failed` */
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** first retry delay; each further retry waits twice as long */
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),

  // The audit log's Merkle tree and signed checkpoints (libs/audit; docs/audit.md).
  /** the checkpoint signing key, `PRIVATE+KEY+<name>+<hash>+<key>` (C2SP signed-note); the worker needs it, the database never holds it */
  AUDIT_SIGNING_KEY: z.string().regex(SIGNER_KEY, 'AUDIT_SIGNING_KEY must be a signed-note key: PRIVATE+KEY+<name>+<8 hex>+<base64>').optional(),
  /** …or a file that holds it (e.g. a mounted secret) */
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** the public key, `<name>+<hash>+<key>`, for processes without the signing key (the api derives it from the signing key otherwise) */
  AUDIT_VERIFIER_KEY: z.string().regex(VERIFIER_KEY, 'AUDIT_VERIFIER_KEY must be a signed-note verifier key: <name>+<8 hex>+<base64>').optional(),
  /** how often the sealer adds what has committed to the Merkle tree; 0 turns sealing off (for measurements only) */
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  /** a checkpoint is signed this often, when anything was sealed since the last one */
  AUDIT_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** witnesses (C2SP tlog-witness) that receive every checkpoint: their add-checkpoint URLs' prefixes, comma-separated */
  AUDIT_WITNESS_URLS: z
    .string()
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ })))
    .default([]),
  /** the witnesses' cosignature verifier keys, comma-separated; their cosignatures are kept with the checkpoints */
  AUDIT_WITNESS_KEYS: z
    .string()
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(VERIFIER_KEY, 'each AUDIT_WITNESS_KEYS entry must be a verifier key')))
    .default([]),
  AUDIT_WITNESS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
}).superRefine(checkChannelSettings);

export type AppConfig = z.infer<typeof configSchema>;
