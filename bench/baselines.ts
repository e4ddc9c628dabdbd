import { JobsOptions, Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { deletePrefixKeys } from './system';
import { percentile, progress, sleep, waitFor } from './stats';

/**
 * What the bare infrastructure does on this machine, with no application in between: the
 * ceiling the product's numbers are compared against.
 */

export interface PgBaseline {
  txPerS: number;
  transactions: number;
  errors: number;
}

/** Roughly the size of a complaint row and its audit entry. */
const PAYLOAD = 'Sampah menumpuk di depan pasar sejak seminggu lalu, mohon diangkut.';

/**
 * `workers` concurrent loops share a pool of `poolSize` connections, each iteration one
 * transaction of two INSERTs (four round trips), for `seconds` after a short warm-up.
 */
export async function pgTwoRowTransactions(databaseUrl: string, seconds: number, workers = 50, poolSize = 10, warmupS = 2): Promise<PgBaseline> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize, application_name: 'aduan-bench-pg-baseline' });
  try {
    await pool.query(`DROP TABLE IF EXISTS bench_b; DROP TABLE IF EXISTS bench_a;
      CREATE TABLE bench_a (id uuid PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE bench_b (id uuid PRIMARY KEY, a_id uuid NOT NULL, data jsonb NOT NULL)`);
    const oneTransaction = async (): Promise<boolean> => {
      const client = await pool.connect();
      try {
        const a = randomUUID();
        await client.query('BEGIN');
        await client.query('INSERT INTO bench_a (id, payload) VALUES ($1, $2)', [a, PAYLOAD]);
        await client.query('INSERT INTO bench_b (id, a_id, data) VALUES ($1, $2, $3)', [
          randomUUID(),
          a,
          JSON.stringify({ event: 'bench', category: 'SAMPAH', kelurahan: '36.73.01.1001' }),
        ]);
        await client.query('COMMIT');
        return true;
      } catch {
        await client.query('ROLLBACK').catch(() => undefined);
        return false;
      } finally {
        client.release();
      }
    };
    const runFor = async (ms: number) => {
      const deadline = performance.now() + ms;
      let transactions = 0;
      let errors = 0;
      const loop = async () => {
        while (performance.now() < deadline) {
          if (await oneTransaction()) transactions += 1;
          else errors += 1;
        }
      };
      const startedAt = performance.now();
      await Promise.all(Array.from({ length: workers }, loop));
      return { transactions, errors, elapsedS: (performance.now() - startedAt) / 1000 };
    };
    await runFor(warmupS * 1000);
    const { transactions, errors, elapsedS } = await runFor(seconds * 1000);
    await pool.query('DROP TABLE bench_b; DROP TABLE bench_a');
    return { txPerS: transactions / elapsedS, transactions, errors };
  } finally {
    await pool.end();
  }
}

export interface BullmqBaseline {
  jobsPerS: number;
  added: number;
  processed: number;
  latencyRatePerS: number;
  addToProcessedP50Ms: number;
  addToProcessedP99Ms: number;
}

/** The options the product's queues use (retries, keep completed jobs a day), so the comparison is like for like. */
const PRODUCT_LIKE_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/**
 * A Queue and a no-op Worker (concurrency 50) on their own prefix. Throughput: 50 producers each
 * add one job at a time for `seconds`, then the worker catches up; jobs/s is processed jobs over
 * the time to the last one. Latency: a fixed `latencyRate` of adds for a few seconds, measured from
 * `job.timestamp` (set by `add`) to the processor being called.
 */
export async function bullmqNoop(redisUrl: string, prefix: string, seconds: number, producers = 50, latencyRate = 500): Promise<BullmqBaseline> {
  const producerConnection = new IORedis(redisUrl, { maxRetriesPerRequest: null, connectionName: 'aduan-bench-baseline-producer' });
  const workerConnection = new IORedis(redisUrl, { maxRetriesPerRequest: null, connectionName: 'aduan-bench-baseline-worker' });
  const queue = new Queue('bench-noop', { connection: producerConnection, prefix, defaultJobOptions: PRODUCT_LIKE_JOB_OPTIONS });
  let processed = 0;
  let lastProcessedAt = 0;
  let latencies: number[] | null = null;
  const worker = new Worker(
    'bench-noop',
    async (job) => {
      processed += 1;
      lastProcessedAt = performance.now();
      latencies?.push(Date.now() - job.timestamp);
    },
    { connection: workerConnection, prefix, concurrency: 50 },
  );
  worker.on('error', (error) => progress(`baseline worker error: ${error.message}`));
  try {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);

    // Throughput.
    const startedAt = performance.now();
    const deadline = startedAt + seconds * 1000;
    let added = 0;
    const producer = async () => {
      while (performance.now() < deadline) {
        await queue.add('noop', { n: added });
        added += 1;
      }
    };
    await Promise.all(Array.from({ length: producers }, producer));
    const caughtUp = await waitFor(async () => processed >= added, 60_000, 20);
    if (!caughtUp) progress(`bullmq baseline: worker processed ${processed} of ${added} within 60 s`);
    const throughputProcessed = processed;
    const jobsPerS = throughputProcessed / Math.max(0.001, (lastProcessedAt - startedAt) / 1000);

    // Latency at a fixed, moderate rate.
    await sleep(500);
    processed = 0;
    const samples: number[] = [];
    latencies = samples;
    const latencySeconds = Math.min(5, seconds);
    const total = latencyRate * latencySeconds;
    const pending = new Set<Promise<unknown>>();
    const pacedStart = performance.now();
    let sent = 0;
    while (sent < total && performance.now() < pacedStart + latencySeconds * 1000 + 10_000) {
      const due = Math.min(total, Math.floor(((performance.now() - pacedStart) / 1000) * latencyRate) + 1);
      for (; sent < due; sent += 1) {
        const p: Promise<unknown> = queue.add('noop', { n: sent }).finally(() => pending.delete(p));
        pending.add(p);
      }
      await sleep(Math.max(1, pacedStart + (sent / latencyRate) * 1000 - performance.now()));
    }
    await Promise.race([Promise.all([...pending]), sleep(10_000)]);
    await waitFor(async () => processed >= sent, 30_000, 20);
    latencies = null;

    return {
      jobsPerS,
      added,
      processed: throughputProcessed,
      latencyRatePerS: latencyRate,
      addToProcessedP50Ms: percentile(samples, 50),
      addToProcessedP99Ms: percentile(samples, 99),
    };
  } finally {
    await worker.close().catch(() => undefined);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
    await Promise.all([producerConnection, workerConnection].map((c) => c.quit().catch(() => c.disconnect())));
    await deletePrefixKeys(redisUrl, prefix).catch(() => 0);
  }
}
