import { JsonLogger } from '@aduan/platform';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { cpuBetween, cpuSnapshot } from './cpu';
import { complaintsNotInInbox, pipelineBacklog } from './ledger';
import { runIntake } from './load';
import { progress, ratio, round, waitForZero } from './stats';
import { BenchSettings, RunningSystem } from './system';

/** Request and job lines are written at `log`; `warn` keeps only warnings and errors. */
const LEVEL = { on: 'log', off: 'warn' } as const;

/**
 * What the JSON access and job log costs: the intake peak (one line per request in the api, one
 * per job in the worker running beside it) and the worker working off the backlog that peak left,
 * with both processes restarted at LOG_LEVEL=log (on) or warn (off), in the order on, off, off, on
 * so a drift of the machine weighs on both sides. The lines go to a pipe the bench reads, as they
 * would to a log collector; their count shows the setting took.
 */
export async function loggingCost(pool: Pool, settings: BenchSettings, started: RunningSystem, seconds: number, connections: number) {
  const phases: {
    logging: 'on' | 'off';
    accepted_per_s: number | null;
    http_p99_ms: number | null;
    backlog_at_end: number;
    backlog_worked_off: boolean;
    worker_drain_per_s: number | null;
    lines_written: number;
    lines_per_accepted: number | null;
    api_cpu_us_per_accepted: number | null;
    cpu_cores_used: Record<string, number> | null;
  }[] = [];
  let mode: 'on' | 'off' | null = null;
  for (const logging of ['on', 'off', 'off', 'on'] as const) {
    if (logging !== mode) {
      await started.restart(settings, { ...settings.childEnv, LOG_LEVEL: LEVEL[logging] });
      mode = logging;
    }
    await waitForZero(() => pipelineBacklog(pool), 180_000, 20_000, 250);
    progress(`logging: intake peak with request and job lines ${logging}, ${seconds} s`);
    const linesBefore = started.api.linesSeen + started.worker.linesSeen;
    const children = { api: started.api.pid, worker: started.worker.pid };
    const before = cpuSnapshot(children);
    const windowStart = performance.now();
    const peak = await runIntake(settings.baseUrl, seconds, connections);
    const backlog = await complaintsNotInInbox(pool);
    const t0 = performance.now();
    const drained = await waitForZero(() => complaintsNotInInbox(pool), 180_000, 20_000, 100);
    const drainS = (performance.now() - t0) / 1000;
    const cpu = cpuBetween(before, cpuSnapshot(children));
    const windowS = (performance.now() - windowStart) / 1000;
    const lines = started.api.linesSeen + started.worker.linesSeen - linesBefore;
    const drainPerS = drained.done && drainS > 0 ? backlog / drainS : Number.NaN;
    progress(`  ${peak.acceptedPerS.toFixed(0)} accepted/s, p99 ${peak.httpP99Ms} ms; backlog ${backlog} worked off at ${drainPerS.toFixed(0)}/s; ${lines} log lines`);
    phases.push({
      logging,
      accepted_per_s: round(peak.acceptedPerS),
      http_p99_ms: round(peak.httpP99Ms),
      backlog_at_end: backlog,
      backlog_worked_off: drained.done,
      worker_drain_per_s: round(drainPerS),
      lines_written: lines,
      lines_per_accepted: ratio(lines, peak.accepted),
      // The api's CPU over the phase (peak and drain; it idles in the drain) per complaint it took.
      api_cpu_us_per_accepted: cpu?.api === undefined || peak.accepted === 0 ? null : round((cpu.api * windowS * 1e6) / peak.accepted),
      cpu_cores_used: cpu,
    });
  }
  await started.restart(settings, settings.childEnv);
  const mean = (s: 'on' | 'off', key: 'accepted_per_s' | 'worker_drain_per_s' | 'api_cpu_us_per_accepted') => {
    const values = phases.filter((p) => p.logging === s).map((p) => p[key] ?? Number.NaN);
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const line = lineCost();
  const apiUsOn = phases.filter((p) => p.logging === 'on').map((p) => p.api_cpu_us_per_accepted ?? Number.NaN);
  const apiUsPerRequest = apiUsOn.reduce((a, b) => a + b, 0) / apiUsOn.length;
  progress(`  one request line ${line.request_line_us} µs of CPU, one job line ${line.job_line_us} µs, a line below LOG_LEVEL ${line.filtered_line_us} µs`);
  return {
    ok: phases.every((p) => p.backlog_worked_off),
    line_cost: { ...line, request_line_vs_api_cpu_per_request: ratio(line.request_line_us ?? Number.NaN, apiUsPerRequest, 4) },
    phases,
    intake_with_logging_on_vs_off: ratio(mean('on', 'accepted_per_s'), mean('off', 'accepted_per_s'), 3),
    worker_drain_with_logging_on_vs_off: ratio(mean('on', 'worker_drain_per_s'), mean('off', 'worker_drain_per_s'), 3),
    api_cpu_per_accepted_on_vs_off: ratio(mean('on', 'api_cpu_us_per_accepted'), mean('off', 'api_cpu_us_per_accepted'), 3),
    note: 'ABBA order (on, off, off, on); api and worker restarted with LOG_LEVEL=log (on) or warn (off); each phase from an idle pipeline; lines counted as the bench read them from both processes',
  };
}

/** CPU µs (user and system) per call of `write`, over `n` calls after a warm-up: wall time would count the other processes sharing the cores. */
function perCall(n: number, write: (i: number) => void): number | null {
  for (let i = 0; i < 10_000; i += 1) write(i);
  const before = process.cpuUsage();
  for (let i = 0; i < n; i += 1) write(i);
  const used = process.cpuUsage(before);
  return round((used.user + used.system) / n, 2);
}

/**
 * The logger alone, in this process: one request line and one job line as the api and worker
 * write them (redacted, serialised, written to /dev/null with a system call each), and the same
 * call below LOG_LEVEL. Steadier than the system figures on a shared machine; compared with the
 * api's CPU per complaint measured above.
 */
function lineCost(n = 100_000) {
  const fd = openSync('/dev/null', 'w');
  try {
    const sink = (text: string) => void writeSync(fd, text);
    const on = new JsonLogger('log', sink);
    // The apps log through Nest's Logger, which hands the line to the JsonLogger.
    Logger.overrideLogger(on);
    const http = new Logger('http');
    const off = new JsonLogger('warn', sink);
    const ids = Array.from({ length: 64 }, () => randomUUID());
    const request = (i: number) => ({ msg: 'request', method: 'POST', route: '/api/v1/complaints', status: 201, duration_ms: 12.3, request_id: ids[i % 64] });
    const job = (i: number) => ({ msg: 'job', queue: 'routing', job: 'routing.route-complaint', job_id: ids[i % 64], outcome: 'completed', duration_ms: 27.7, attempt: 1, attempts: 10 });
    return {
      lines: n,
      request_line_us: perCall(n, (i) => on.log(request(i), 'http')),
      request_line_through_nest_logger_us: perCall(n, (i) => http.log(request(i))),
      job_line_us: perCall(n, (i) => on.log(job(i), 'job')),
      filtered_line_us: perCall(n, (i) => off.log(request(i), 'http')),
    };
  } finally {
    Logger.overrideLogger(false);
    closeSync(fd);
  }
}
