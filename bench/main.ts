/**
 * Aduan benchmark: drives the built api and worker as a black box (HTTP in, PostgreSQL rows out)
 * and compares them with bare node-postgres and bare BullMQ on the same PostgreSQL and Redis.
 * Progress goes to stderr; stdout carries exactly one JSON document.
 *
 * Order: database reset, migrate, seed → the audit trail indexes' write cost → BullMQ baseline (before the system starts) → system
 * start → intake warm-up → BENCH_TRIALS paired trials (node-postgres baseline, intake peak,
 * backlog drain, submit-to-inbox at half that peak) → integrity check → latency sweep, intake with
 * the worker paused, audit sealing on/off and verify speed, the JSON log on/off, later scenarios → system stop. The targets are judged on the median trial;
 * one run on these VMs varies ±15% with the machine, and every trial is printed.
 */
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import IORedis from 'ioredis';
import { Pool } from 'pg';
import { sealingCost, verifySpeed } from './audit';
import { auditIndexCost } from './audit-indexes';
import { loggingCost } from './logging';
import { bullmqNoop, pgTwoRowTransactions } from './baselines';
import { cpuBetween, cpuSnapshot } from './cpu';
import { checkIntegrity, complaintsNotInInbox, inboxedCount, pipelineBacklog, spread, Timeline, timelines } from './ledger';
import { runIntake, runPaced } from './load';
import { ActivitySampler } from './pg-activity';
import { BenchSettings, benchSettings, cliOutput, deletePrefixKeys, recreateDatabase, RunningSystem, runCli } from './system';
import { responseTimeReads } from './response-time-reads';
import { calendarRearm, consoleReads, escalationThroughput, residentChannels, routingThroughput } from './scenarios';
import { workerScaling } from './worker-scaling';
import { progress, ratio, round, waitForZero } from './stats';

const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;
/** After the peak the worker works off its backlog; bounded so a stuck pipeline ends the run. */
const BACKLOG_TIMEOUT_MS = 180_000;
const INBOX_TIMEOUT_MS = 60_000;
/** No complaint reached an inbox for this long: the pipeline is stuck, waiting longer tells nothing. */
const STALL_MS = 20_000;
const P99_TARGET_MS = 250;
const INTAKE_TARGET_SHARE_OF_PG = 0.4;
/** Complaints routed and placed per worker-process count in the scale-out scenario. */
const WORKER_SCALING_COMPLAINTS = 3000;

/** Undone in reverse order on success, failure and signals alike. */
const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | null = null;
let system: RunningSystem | null = null;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.splice(0).reverse()) {
      await step.run().catch((error: unknown) => progress(`cleanup ${step.name} failed: ${String(error)}`));
    }
  })();
  return cleaning;
}

function benchSeconds(): number {
  const raw = process.env.BENCH_SECONDS ?? '10';
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) throw new Error(`BENCH_SECONDS must be 1..600, got ${raw}`);
  return seconds;
}

/** A crashed child mid-run is a failure of the system, not a slow result. */
function assertRunning(current: RunningSystem): void {
  if (!current.healthy) {
    current.dumpOutput();
    throw new Error('the api or worker exited during the run');
  }
}

async function machine(pool: Pool, redisUrl: string) {
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: null, connectionName: 'aduan-bench-info' });
  try {
    const info = await redis.info('server');
    const trips = await roundTrips(pool, redis);
    return {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model.trim() ?? 'unknown',
      memory_gb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      postgres: rows[0].server_version,
      redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
      // Everything here is bound by round trips between processes: their price on the day says
      // how runs on different days compare (on this kind of machine it has varied by half).
      redis_ping_round_trip_us: trips.redisUs,
      pg_select_1_round_trip_us: trips.pgUs,
      note: 'load generator, api, worker, PostgreSQL and Redis share these cores',
    };
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

/** Mean wall time of 2,000 sequential Redis PINGs and PostgreSQL `SELECT 1`s, in µs, on an idle machine. */
async function roundTrips(pool: Pool, redis: IORedis): Promise<{ redisUs: number | null; pgUs: number | null }> {
  const time = async (n: number, once: () => Promise<unknown>) => {
    await once();
    const start = performance.now();
    for (let i = 0; i < n; i += 1) await once();
    return round(((performance.now() - start) * 1000) / n);
  };
  const client = await pool.connect();
  try {
    return { redisUs: await time(2000, () => redis.ping()), pgUs: await time(2000, () => client.query('SELECT 1')) };
  } finally {
    client.release();
  }
}

/** Shares of the measured peak at which the latency sweep runs (see latencySweep). */
const SWEEP_SHARES = [0.1, 0.2, 0.3, 0.4] as const;

/**
 * Submit-to-inbox latency at a few fixed shares of the peak, lowest first, each after the
 * pipeline has settled: where the latency curve bends, i.e. the rate this machine carries with
 * p99 under the target while api, worker, PostgreSQL, Redis and the load generator share it.
 */
async function latencySweep(pool: Pool, baseUrl: string, peakPerS: number, seconds: number, children: Record<string, number | undefined>) {
  const steps = [];
  for (const share of SWEEP_SHARES) {
    await waitForZero(() => pipelineBacklog(pool), 120_000, STALL_MS, 250);
    const rate = Math.max(1, peakPerS * share);
    progress(`latency sweep: ${rate.toFixed(0)}/s (${share * 100}% of the peak) for ${seconds} s`);
    const before = cpuSnapshot(children);
    const paced = await runPaced(baseUrl, rate, seconds);
    const cpu = cpuBetween(before, cpuSnapshot(children));
    const numbers = paced.accepted.map((a) => a.trackingNumber);
    await waitForZero(async () => numbers.length - (await inboxedCount(pool, numbers)), INBOX_TIMEOUT_MS, STALL_MS);
    const lines = await timelines(pool, numbers);
    const ms = spread(paced.accepted.map((a) => {
      const assigned = lines.get(a.trackingNumber)?.assignedAtMs;
      return assigned === undefined || assigned === null ? null : assigned - a.acceptedAtMs;
    }));
    progress(`  p50 ${ms.p50} ms, p99 ${ms.p99} ms`);
    steps.push({ share_of_peak: share, rate_per_s: round(rate), accepted: paced.accepted.length, p50_ms: round(ms.p50), p99_ms: round(ms.p99), cpu_cores_used: cpu });
  }
  const within = steps.filter((st) => st.p99_ms !== null && st.p99_ms < P99_TARGET_MS);
  return { steps, highest_rate_per_s_with_p99_under_250ms: within.length ? Math.max(...within.map((st) => st.rate_per_s ?? 0)) : null };
}

/** The routing and sla queues on their own, the resident channels and the console's hot reads. */
async function laterScenarios(pool: Pool, settings: BenchSettings, started: RunningSystem, seconds: number) {
  progress('routing decisions: 2000 submitted complaints');
  const routing = await routingThroughput(pool, 2000, 180_000);
  progress(`  ${String(routing.decisions_per_s)} decisions/s`);
  await waitForZero(() => complaintsNotInInbox(pool), 120_000, STALL_MS, 250);
  progress('escalation: 1000 first-response timers due now');
  const escalation = await escalationThroughput(pool, 1000, 180_000);
  progress(`  ${String(escalation.escalations_per_s)} escalations/s`);
  const channels = await residentChannels(settings.baseUrl, String(settings.childEnv.ADMIN_PASSWORD), seconds);
  const reads = await consoleReads(pool, settings.databaseUrl, settings.baseUrl, String(settings.childEnv.ADMIN_PASSWORD), seconds, { api: started.api.pid, worker: started.worker.pid });
  const responseTimes = await responseTimeReads(pool, settings.databaseUrl, settings.baseUrl, String(settings.childEnv.ADMIN_PASSWORD), seconds);
  const workers = await workerScaling(pool, settings, started, WORKER_SCALING_COMPLAINTS, 300_000);
  // Last: its 20,000 complaints stay in an inbox of their own, out of the reads' way.
  const rearm = await calendarRearm(pool, settings.baseUrl, String(settings.childEnv.ADMIN_PASSWORD), 20_000, 600_000);
  return { routing, escalation, channels, reads, responseTimes, workers, rearm };
}

function benchTrials(): number {
  const raw = process.env.BENCH_TRIALS ?? '3';
  const trials = Number(raw);
  if (!Number.isInteger(trials) || trials < 1 || trials > 9) throw new Error(`BENCH_TRIALS must be 1..9, got ${raw}`);
  return trials;
}

/** Median, lowest and highest of a figure over the trials (nulls left out). */
function overTrials(values: readonly (number | null)[], digits = 1) {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (present.length === 0) return { median: null, min: null, max: null };
  const mid = Math.floor(present.length / 2);
  const median = present.length % 2 ? present[mid] : (present[mid - 1] + present[mid]) / 2;
  return { median: round(median, digits), min: round(present[0], digits), max: round(present[present.length - 1], digits) };
}

/**
 * One paired trial: the bare node-postgres baseline, the intake peak right after it, and
 * submit-to-inbox at half of that peak. The ratio is taken between two measurements a few seconds
 * apart, so a slow minute of the machine's disk or CPU (these VMs vary ±15% from one run to the
 * next) weighs on both sides instead of on one.
 */
async function trial(index: number, pool: Pool, settings: BenchSettings, started: RunningSystem, seconds: number) {
  const children = { api: started.api.pid, worker: started.worker.pid };
  const label = `trial ${index + 1}`;
  // Every phase starts from an idle pipeline, the baseline too: nothing of the system competes with it.
  await waitForZero(() => pipelineBacklog(pool), BACKLOG_TIMEOUT_MS, STALL_MS, 250);
  progress(`${label}: baseline, node-postgres two-row transactions`);
  const pgCpuBefore = cpuSnapshot(children);
  const pg = await pgTwoRowTransactions(settings.databaseUrl, seconds);
  const pgCpu = cpuBetween(pgCpuBefore, cpuSnapshot(children));
  progress(`  ${pg.txPerS.toFixed(0)} tx/s`);

  progress(`${label}: intake peak ${seconds} s, ${CONNECTIONS} connections`);
  const peakCpuBefore = cpuSnapshot(children);
  const peakStartMs = Date.now();
  const peakActivity = new ActivitySampler(pool);
  peakActivity.start();
  const peak = await runIntake(settings.baseUrl, seconds, CONNECTIONS);
  const peakPgActivity = peakActivity.stop();
  const peakEndMs = Date.now();
  const peakCpuAfter = cpuSnapshot(children);
  const peakCpu = cpuBetween(peakCpuBefore, peakCpuAfter);
  progress(`  ${peak.acceptedPerS.toFixed(0)} accepted/s (${(peak.acceptedPerS / pg.txPerS).toFixed(2)} of the baseline), p50 ${peak.httpP50Ms} ms, p99 ${peak.httpP99Ms} ms, non-2xx ${peak.non2xx}`);
  assertRunning(started);
  if (peak.accepted === 0) {
    started.dumpOutput();
    throw new Error(`intake accepted no complaint at peak (status codes ${JSON.stringify(peak.statusCodes)}, socket errors ${peak.errors})`);
  }

  const backlogStart = Date.now();
  const backlog = await waitForZero(() => complaintsNotInInbox(pool), BACKLOG_TIMEOUT_MS, STALL_MS, 250);
  const backlogDrained = backlog.done;
  const backlogDrainS = (Date.now() - backlogStart) / 1000;
  const drainCpu = cpuBetween(peakCpuAfter, cpuSnapshot(children));
  progress(
    backlogDrained
      ? `  backlog drained after the peak in ${backlogDrainS.toFixed(1)} s`
      : `  backlog NOT drained after ${backlogDrainS.toFixed(1)} s: ${backlog.remaining} complaints in no inbox${backlog.stalled ? ' (no progress: pipeline stalled)' : ''}`,
  );
  // The worker's own pace: inbox arrivals after the peak, when the api is idle and the backlog full.
  const { rows: drainRows } = await pool.query<{ n: number; span_ms: number | null }>(
    `SELECT count(*)::int AS n, (extract(epoch FROM max(assigned_at) - to_timestamp($1::float8 / 1000)) * 1000)::float8 AS span_ms
       FROM assignment WHERE assigned_at > to_timestamp($1::float8 / 1000)`,
    [peakEndMs],
  );
  const workerDrainPerS = drainRows[0].span_ms ? drainRows[0].n / (drainRows[0].span_ms / 1000) : Number.NaN;
  const { rows: duringRows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM assignment WHERE assigned_at BETWEEN to_timestamp($1::float8 / 1000) AND to_timestamp($2::float8 / 1000)`,
    [peakStartMs, peakEndMs],
  );
  assertRunning(started);

  // A steady rate is measured from an idle pipeline: the notices of the peak are worked off first.
  const settle = await waitForZero(() => pipelineBacklog(pool), BACKLOG_TIMEOUT_MS, STALL_MS, 250);
  const settleS = (Date.now() - backlogStart) / 1000;
  progress(`  whole pipeline idle ${settleS.toFixed(1)} s after the peak${settle.done ? '' : ` (NOT: ${settle.remaining} left)`}`);
  const pacedRate = Math.max(1, peak.acceptedPerS * 0.5);
  progress(`${label}: submit-to-inbox at ${pacedRate.toFixed(0)}/s for ${seconds} s`);
  const pacedCpuBefore = cpuSnapshot(children);
  const pacedActivity = new ActivitySampler(pool);
  pacedActivity.start();
  const paced = await runPaced(settings.baseUrl, pacedRate, seconds);
  const pacedPgActivity = pacedActivity.stop();
  const pacedCpu = cpuBetween(pacedCpuBefore, cpuSnapshot(children));
  const pacedNumbers = paced.accepted.map((a) => a.trackingNumber);
  await waitForZero(async () => pacedNumbers.length - (await inboxedCount(pool, pacedNumbers)), INBOX_TIMEOUT_MS, STALL_MS);
  assertRunning(started);
  const lines = await timelines(pool, pacedNumbers);
  const inboxMs = paced.accepted.map((a) => {
    const assigned = lines.get(a.trackingNumber)?.assignedAtMs;
    return assigned === undefined || assigned === null ? null : assigned - a.acceptedAtMs;
  });
  const inbox = spread(inboxMs);
  // Latency early vs late in the phase: flat means the pipeline keeps up, rising means a backlog grows.
  const byAcceptance = paced.accepted
    .map((a, i) => ({ at: a.acceptedAtMs, ms: inboxMs[i] }))
    .sort((x, y) => x.at - y.at)
    .map((x) => x.ms);
  const fifth = Math.max(1, Math.floor(byAcceptance.length / 5));
  const neverReachedInbox = inboxMs.filter((v) => v === null).length;
  const stage = (from: (t: Timeline) => number | null, to: (t: Timeline) => number | null) => {
    const st = spread([...lines.values()].map((t) => {
      const a = from(t);
      const b = to(t);
      return a === null || b === null ? null : b - a;
    }));
    return { p50_ms: round(st.p50), p99_ms: round(st.p99) };
  };
  progress(`  p50 ${inbox.p50} ms, p99 ${inbox.p99} ms, never reached inbox ${neverReachedInbox}`);
  const intakeVsPg = ratio(peak.acceptedPerS, pg.txPerS);

  return {
    peakPerS: peak.acceptedPerS,
    pgTxPerS: pg.txPerS,
    intakeVsPg,
    inboxP99Ms: inbox.p99,
    neverReachedInbox,
    trackingNumbers: [...peak.trackingNumbers, ...pacedNumbers],
    accepted: peak.accepted + paced.accepted.length,
    report: {
      pg_two_row_tx_per_s: round(pg.txPerS),
      pg_errors: pg.errors,
      pg_cpu_cores_used: pgCpu,
      intake_vs_pg_two_row_tx: intakeVsPg,
      intake: {
        accepted_per_s: round(peak.acceptedPerS),
        http_p50_ms: round(peak.httpP50Ms),
        http_p99_ms: round(peak.httpP99Ms),
        non_2xx: peak.non2xx,
        status_codes: peak.statusCodes,
        socket_errors: peak.errors,
        accepted: peak.accepted,
        duration_s: round(peak.durationS, 2),
        connections: CONNECTIONS,
        // The pipeline behind intake: how many reached an inbox during the peak, and the worker's pace after it.
        reached_inbox_during_peak: duringRows[0].n,
        backlog_drained_s_after_peak: backlogDrained ? round(backlogDrainS) : null,
        whole_pipeline_idle_s_after_peak: settle.done ? round(settleS) : null,
        backlog_left_undrained: backlog.remaining,
        pipeline_stalled: backlog.stalled,
        worker_inbox_per_s_after_peak: round(workerDrainPerS),
        cpu_cores_used: peakCpu,
        cpu_cores_used_during_backlog_drain: drainCpu,
        pg_connections_by_state: peakPgActivity,
      },
      submit_to_inbox: {
        rate_per_s: round(pacedRate),
        achieved_rate_per_s: round(paced.achievedRatePerS),
        accepted: paced.accepted.length,
        failed: paced.failed + paced.unanswered,
        p50_ms: round(inbox.p50),
        p99_ms: round(inbox.p99),
        max_ms: round(Math.max(...inboxMs.filter((v): v is number => v !== null))),
        p50_ms_first_fifth_of_phase: round(spread(byAcceptance.slice(0, fifth)).p50),
        p50_ms_last_fifth_of_phase: round(spread(byAcceptance.slice(-fifth)).p50),
        never_reached_inbox: neverReachedInbox,
        http_p50_ms: round(spread(paced.accepted.map((a) => a.httpMs)).p50),
        http_p99_ms: round(spread(paced.accepted.map((a) => a.httpMs)).p99),
        max_send_lag_ms: round(paced.maxSendLagMs),
        cpu_cores_used: pacedCpu,
        pg_connections_by_state: pacedPgActivity,
        // Where the time goes, from PostgreSQL timestamps (see ledger.ts for whose clock each is).
        stages: {
          submitted_to_routed: stage((t) => t.submittedAtMs, (t) => t.routedAtMs),
          routed_to_assigned: stage((t) => t.routedAtMs, (t) => t.assignedAtMs),
        },
      },
      targets_met: {
        intake_at_least_40pct_of_pg_tx: intakeVsPg !== null && intakeVsPg >= INTAKE_TARGET_SHARE_OF_PG,
        submit_to_inbox_p99_under_250ms: Number.isFinite(inbox.p99) && inbox.p99 < P99_TARGET_MS,
      },
    },
  };
}

async function run(settings: BenchSettings, seconds: number, trialCount: number): Promise<{ report: Record<string, unknown>; ok: boolean }> {
  progress(`database ${new URL(settings.databaseUrl).pathname.slice(1)}, queue prefix ${settings.queuePrefix}, port ${settings.port}, ${seconds} s per phase, ${trialCount} trials`);
  cleanups.push({ name: 'redis keys', run: () => deletePrefixKeys(settings.redisUrl, settings.queuePrefix) });
  cleanups.push({ name: 'baseline redis keys', run: () => deletePrefixKeys(settings.redisUrl, settings.baselinePrefix) });

  // BENCH_REUSE_DATABASE=1 keeps what an earlier run left (setup-db, migrate, seed and seed:scale fill only what is missing).
  if (process.env.BENCH_REUSE_DATABASE === '1') {
    // The earlier run's admin keeps the earlier password: this run bootstraps an admin of its own.
    process.env.ADMIN_USERNAME = settings.childEnv.ADMIN_USERNAME = `bench-admin-${settings.queuePrefix.slice(-6)}`;
    progress('reusing the database (BENCH_REUSE_DATABASE=1)');
  } else await recreateDatabase(settings.databaseUrl);
  progress('setup-db: the app\'s and the owner\'s roles');
  await runCli(['setup-db'], settings.childEnv);
  settings.childEnv.AUDIT_SIGNING_KEY = /^AUDIT_SIGNING_KEY=(.+)$/m.exec(await cliOutput(['audit-keygen', 'bench.aduan.invalid/audit'], settings.childEnv))![1];
  progress('migrate');
  await runCli(['migrate'], settings.childEnv);
  progress('seed');
  await runCli(['seed'], settings.childEnv);

  const pool = new Pool({ connectionString: settings.databaseUrl, max: 4, application_name: 'aduan-bench-observer' });
  cleanups.push({ name: 'observer pool', run: () => pool.end() });
  const machineInfo = await machine(pool, settings.redisUrl);

  // BENCH_SCOPE=audit-indexes: what the trail indexes cost each audit write, on the database alone.
  const auditIndexes = process.env.BENCH_SCOPE === 'scale' ? null : await auditIndexCost(pool, Math.min(seconds, 6));
  if (process.env.BENCH_SCOPE === 'audit-indexes') return { report: { machine: machineInfo, seconds, scope: 'audit-indexes', audit_trail_indexes: auditIndexes }, ok: true };

  progress('baseline: BullMQ no-op jobs');
  const bullCpuBefore = cpuSnapshot({});
  const bull = await bullmqNoop(settings.redisUrl, settings.baselinePrefix, seconds);
  const bullCpu = cpuBetween(bullCpuBefore, cpuSnapshot({}));
  progress(`  ${bull.jobsPerS.toFixed(0)} jobs/s, add→processed p50 ${bull.addToProcessedP50Ms} ms p99 ${bull.addToProcessedP99Ms} ms`);

  progress('starting api and worker');
  const started = await RunningSystem.start(settings);
  system = started;
  const children = { api: started.api.pid, worker: started.worker.pid };
  cleanups.push({ name: 'system', run: () => started.stop() });

  // BENCH_SCOPE=response-times: issue 22's figures on the scale seed alone.
  if (process.env.BENCH_SCOPE === 'response-times') {
    const responseTimes = await responseTimeReads(pool, settings.databaseUrl, settings.baseUrl, String(settings.childEnv.ADMIN_PASSWORD), seconds);
    assertRunning(started);
    progress('stopping the system');
    await started.stop();
    return { report: { machine: machineInfo, seconds, scope: 'response-times', response_times: responseTimes }, ok: true };
  }

  // BENCH_SCOPE=scale: the console reads on the scale seed and the worker scale-out alone, on a system that took no intake.
  if (process.env.BENCH_SCOPE === 'scale') {
    const reads = await consoleReads(pool, settings.databaseUrl, settings.baseUrl, String(settings.childEnv.ADMIN_PASSWORD), seconds, { api: started.api.pid, worker: started.worker.pid });
    assertRunning(started);
    const workers = await workerScaling(pool, settings, started, WORKER_SCALING_COMPLAINTS, 300_000);
    assertRunning(started);
    progress('stopping the system');
    await started.stop();
    return { report: { machine: machineInfo, seconds, scope: 'scale', console_reads: reads, worker_scaling: workers }, ok: workers.no_double_processing === true };
  }

  progress(`intake warm-up ${WARMUP_SECONDS} s`);
  const warm = await runIntake(settings.baseUrl, WARMUP_SECONDS, CONNECTIONS);

  // BENCH_SCOPE=logging: what one JSON line per request and per job costs, alone.
  if (process.env.BENCH_SCOPE === 'logging') {
    const logging = await loggingCost(pool, settings, started, seconds, CONNECTIONS);
    assertRunning(started);
    progress('stopping the system');
    await started.stop();
    return { report: { machine: machineInfo, seconds, scope: 'logging', logging, ratios: { intake_with_logging_on_vs_off: logging.intake_with_logging_on_vs_off, worker_drain_with_logging_on_vs_off: logging.worker_drain_with_logging_on_vs_off, request_line_vs_api_cpu_per_request: logging.line_cost.request_line_vs_api_cpu_per_request } }, ok: logging.ok };
  }
  const trials: Awaited<ReturnType<typeof trial>>[] = [];
  for (let i = 0; i < trialCount; i += 1) trials.push(await trial(i, pool, settings, started, seconds));

  // Whatever is still moving (a straggler of the paced phase) settles before the ledger is read.
  await waitForZero(() => complaintsNotInInbox(pool), 30_000, STALL_MS / 2, 250);
  const integrity = await checkIntegrity(pool, [...warm.trackingNumbers, ...trials.flatMap((t) => t.trackingNumbers)]);
  const accepted201 = warm.accepted + trials.reduce((sum, t) => sum + t.accepted, 0);
  progress(`integrity: ${JSON.stringify(integrity)}`);

  const intakeRatio = overTrials(trials.map((t) => t.intakeVsPg), 2);
  const inboxP99 = overTrials(trials.map((t) => t.inboxP99Ms));
  const peakPerS = overTrials(trials.map((t) => t.peakPerS));
  const pgTxPerS = overTrials(trials.map((t) => t.pgTxPerS));

  // BENCH_SCOPE=intake leaves out the later scenarios (for quick iterations on the pipeline).
  const intakeOnly = process.env.BENCH_SCOPE === 'intake';
  const sweep = await latencySweep(pool, settings.baseUrl, peakPerS.median ?? 1, Math.max(3, Math.round(seconds / 2)), children);

  // The api's own ceiling: the same peak with the worker paused (SIGSTOP), i.e. the intake rate
  // when the api does not share the two cores with the worker (as in a deployment that runs them
  // on separate hosts). Reported beside the figure above, never instead of it.
  progress(`intake peak with the worker paused, ${seconds} s`);
  await waitForZero(() => pipelineBacklog(pool), BACKLOG_TIMEOUT_MS, STALL_MS, 250);
  cleanups.push({ name: 'resume worker', run: async () => started.worker.kill('SIGCONT') });
  started.worker.kill('SIGSTOP');
  const apiOnlyBefore = cpuSnapshot(children);
  const apiOnly = await runIntake(settings.baseUrl, seconds, CONNECTIONS).finally(() => started.worker.kill('SIGCONT'));
  const apiOnlyCpu = cpuBetween(apiOnlyBefore, cpuSnapshot(children));
  progress(`  ${apiOnly.acceptedPerS.toFixed(0)} accepted/s, p50 ${apiOnly.httpP50Ms} ms, p99 ${apiOnly.httpP99Ms} ms; the worker works off the backlog`);
  const apiOnlyDrain = await waitForZero(() => pipelineBacklog(pool), BACKLOG_TIMEOUT_MS, STALL_MS, 250);
  const apiOnlyInInbox = await inboxedCount(pool, apiOnly.trackingNumbers);
  assertRunning(started);
  // The audit log: what sealing costs intake, and how fast verify reads the log written so far
  // (before the later scenarios bulk-load rows whose hashes are placeholders).
  const sealing = await sealingCost(pool, settings, started, seconds, CONNECTIONS);
  const verify = await verifySpeed(pool, settings);
  assertRunning(started);
  const logging = await loggingCost(pool, settings, started, seconds, CONNECTIONS);
  assertRunning(started);
  // Issue 4 and 5 figures: the routing and sla queues on their own, and the console's hot reads.
  const later = intakeOnly ? null : await laterScenarios(pool, settings, started, seconds);
  assertRunning(started);

  progress('stopping the system');
  await started.stop();

  const neverReachedInbox = trials.reduce((sum, t) => sum + t.neverReachedInbox, 0);
  const ok =
    integrity.lost === 0 &&
    integrity.duplicated_assignments === 0 &&
    integrity.audit_mismatches === 0 &&
    integrity.never_assigned === 0 &&
    neverReachedInbox === 0 &&
    integrity.complaints === accepted201 &&
    (later === null || later.workers.no_double_processing === true) &&
    apiOnlyInInbox === apiOnly.accepted &&
    logging.ok &&
    verify.ok;
  const met = (key: 'intake_at_least_40pct_of_pg_tx' | 'submit_to_inbox_p99_under_250ms') => trials.filter((t) => t.report.targets_met[key]).length;
  const report = {
    machine: machineInfo,
    seconds,
    order:
      'BullMQ baseline on the freshly migrated and seeded database; then the api and worker start, and each trial runs the node-postgres baseline, ' +
      'the intake peak and submit-to-inbox at half that peak, each phase from an idle pipeline; then the later scenarios',
    summary: {
      trials: trialCount,
      judged_on: 'the median over the trials; every trial is listed under trials',
      intake_vs_pg_two_row_tx: intakeRatio,
      intake_accepted_per_s: peakPerS,
      pg_two_row_tx_per_s: pgTxPerS,
      submit_to_inbox_p99_ms: inboxP99,
      submit_to_inbox_p50_ms: overTrials(trials.map((t) => t.report.submit_to_inbox.p50_ms)),
      trials_meeting_intake_target: met('intake_at_least_40pct_of_pg_tx'),
      trials_meeting_p99_target: met('submit_to_inbox_p99_under_250ms'),
      trials_meeting_both: trials.filter((t) => t.report.targets_met.intake_at_least_40pct_of_pg_tx && t.report.targets_met.submit_to_inbox_p99_under_250ms).length,
    },
    trials: trials.map((t) => t.report),
    submit_to_inbox_by_rate: sweep,
    intake_with_worker_paused: {
      accepted_per_s: round(apiOnly.acceptedPerS),
      http_p50_ms: round(apiOnly.httpP50Ms),
      http_p99_ms: round(apiOnly.httpP99Ms),
      non_2xx: apiOnly.non2xx,
      vs_pg_two_row_tx: pgTxPerS.median === null ? null : ratio(apiOnly.acceptedPerS, pgTxPerS.median),
      cpu_cores_used: apiOnlyCpu,
      backlog_worked_off_afterwards: apiOnlyDrain.done,
      reached_inbox: apiOnlyInInbox,
      accepted: apiOnly.accepted,
      note: 'the worker was stopped (SIGSTOP) for this phase only; its complaints are routed once it resumes',
    },
    audit: { sealing_cost: sealing, verify, trail_indexes: auditIndexes },
    logging,
    integrity: { ...integrity, accepted: accepted201 },
    ...(later
      ? {
          routing: { ...later.routing, vs_bullmq_noop_jobs_per_s: ratio(Number(later.routing.decisions_per_s), bull.jobsPerS) },
          escalation: { ...later.escalation, vs_bullmq_noop_jobs_per_s: ratio(Number(later.escalation.escalations_per_s), bull.jobsPerS) },
          resident_channels: later.channels,
          console_reads: later.reads,
          response_times: later.responseTimes,
          worker_scaling: later.workers,
          calendar_rearm: later.rearm,
        }
      : { skipped: 'BENCH_SCOPE=intake: routing, escalation, resident channels, console reads and the calendar re-arm were not measured' }),
    baselines: {
      pg_two_row_tx_per_s: pgTxPerS.median,
      bullmq_noop_jobs_per_s: round(bull.jobsPerS),
      bullmq_add_to_processed_p50_ms: round(bull.addToProcessedP50Ms),
      bullmq_add_to_processed_p99_ms: round(bull.addToProcessedP99Ms),
      bullmq_latency_rate_per_s: bull.latencyRatePerS,
      bullmq_cpu_cores_used: bullCpu,
    },
    ratios: {
      intake_vs_pg_two_row_tx: intakeRatio.median,
      intake_with_audit_sealing_on_vs_off: sealing.intake_with_sealing_on_vs_off,
      intake_with_logging_on_vs_off: logging.intake_with_logging_on_vs_off,
      worker_drain_with_logging_on_vs_off: logging.worker_drain_with_logging_on_vs_off,
      request_line_vs_api_cpu_per_request: logging.line_cost.request_line_vs_api_cpu_per_request,
      submit_to_inbox_p99_vs_bullmq_p99: inboxP99.median === null ? null : ratio(inboxP99.median, bull.addToProcessedP99Ms, 1),
    },
    targets: {
      intake_at_least_40pct_of_pg_tx: intakeRatio.median !== null && intakeRatio.median >= INTAKE_TARGET_SHARE_OF_PG,
      submit_to_inbox_p99_under_250ms: inboxP99.median !== null && inboxP99.median < P99_TARGET_MS,
    },
    ok,
  };
  return { report, ok };
}

async function main(): Promise<number> {
  const seconds = benchSeconds();
  const trials = benchTrials();
  const settings = await benchSettings();
  try {
    const { report, ok } = await run(settings, seconds, trials);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!ok) progress('INTEGRITY FAILURE: complaints were lost, duplicated or never reached an inbox');
    return ok ? 0 : 2;
  } finally {
    await cleanup();
  }
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    progress(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(code));
  });
}
// Last resort if the bench dies without running its cleanup: never leave the system running.
process.once('exit', () => {
  system?.api.kill('SIGKILL');
  system?.worker.kill('SIGKILL');
});

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    progress(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error), ok: false })}\n`);
    process.exitCode = 1;
    void cleanup().finally(() => process.exit(1));
  },
);
