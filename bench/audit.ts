import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { cpuBetween, cpuSnapshot } from './cpu';
import { pipelineBacklog } from './ledger';
import { runIntake } from './load';
import { progress, ratio, round, waitForZero } from './stats';
import { BenchSettings, cliOutput, RunningSystem } from './system';

/** Entries committed but not in the Merkle tree yet. */
export async function unsealed(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entry e WHERE NOT EXISTS (SELECT 1 FROM audit_leaf l WHERE l.entry_id = e.id)`);
  return rows[0].n;
}

/**
 * What sealing costs intake: the intake peak with the worker's sealer off (AUDIT_SEAL_INTERVAL_MS=0)
 * and on, in the order off, on, on, off so a drift of the machine weighs on both sides. Each phase
 * starts from an idle pipeline with everything sealed; the "on" phases also report how far the
 * sealer was behind when the load stopped and how long it took to catch up.
 */
export async function sealingCost(pool: Pool, settings: BenchSettings, started: RunningSystem, seconds: number, connections: number) {
  const phases: { sealing: 'off' | 'on'; accepted_per_s: number | null; http_p99_ms: number | null; unsealed_at_end: number | null; sealed_all_within_s: number | null; cpu_cores_used: Record<string, number> | null }[] = [];
  let mode: 'on' | 'off' = 'on';
  for (const sealing of ['off', 'on', 'on', 'off'] as const) {
    if (sealing !== mode) {
      await started.restartWorker({ ...settings.childEnv, AUDIT_SEAL_INTERVAL_MS: sealing === 'off' ? '0' : (settings.childEnv.AUDIT_SEAL_INTERVAL_MS ?? '1000') });
      mode = sealing;
    }
    await waitForZero(() => pipelineBacklog(pool), 180_000, 20_000, 250);
    if (sealing === 'on') await waitForZero(() => unsealed(pool), 180_000, 20_000, 250);
    progress(`audit: intake peak with sealing ${sealing}, ${seconds} s`);
    const children = { api: started.api.pid, worker: started.worker.pid };
    const before = cpuSnapshot(children);
    const peak = await runIntake(settings.baseUrl, seconds, connections);
    const cpu = cpuBetween(before, cpuSnapshot(children));
    let unsealedAtEnd: number | null = null;
    let caughtUpS: number | null = null;
    if (sealing === 'on') {
      unsealedAtEnd = await unsealed(pool);
      const t0 = performance.now();
      const done = await waitForZero(() => unsealed(pool), 120_000, 20_000, 100);
      caughtUpS = done.done ? round((performance.now() - t0) / 1000, 2) : null;
    }
    progress(`  ${peak.acceptedPerS.toFixed(0)} accepted/s${sealing === 'on' ? `; ${unsealedAtEnd} entries not yet sealed when the load stopped, all sealed ${caughtUpS} s later` : ''}`);
    phases.push({ sealing, accepted_per_s: round(peak.acceptedPerS), http_p99_ms: round(peak.httpP99Ms), unsealed_at_end: unsealedAtEnd, sealed_all_within_s: caughtUpS, cpu_cores_used: cpu });
  }
  if (mode !== 'on') await started.restartWorker(settings.childEnv);
  const mean = (s: 'on' | 'off') => {
    const values = phases.filter((p) => p.sealing === s).map((p) => p.accepted_per_s ?? 0);
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  return {
    phases,
    intake_with_sealing_on_vs_off: ratio(mean('on'), mean('off'), 3),
    note: 'ABBA order (off, on, on, off); the worker restarted with AUDIT_SEAL_INTERVAL_MS=0 for the off phases; each phase from an idle pipeline with every entry sealed',
  };
}

/** Verify over the whole log as the CLI runs it (`verify-audit --json`), timed: entries and leaves checked per second. */
export async function verifySpeed(pool: Pool, settings: BenchSettings) {
  await waitForZero(() => unsealed(pool), 300_000, 30_000, 500);
  progress('audit: verify-audit over the whole log');
  const before = cpuSnapshot({});
  const t0 = performance.now();
  const out = await cliOutput(['verify-audit', '--json'], settings.childEnv);
  const wallS = (performance.now() - t0) / 1000;
  const cpu = cpuBetween(before, cpuSnapshot({}));
  const result = JSON.parse(out) as { ok: boolean; entries_checked: number; leaves_checked: number; checkpoints_checked: number; findings_total: number; duration_ms: number };
  const seconds = result.duration_ms / 1000;
  progress(`  ${result.entries_checked} entries, ${result.leaves_checked} leaves, ${result.checkpoints_checked} checkpoints in ${seconds.toFixed(1)} s: ${(result.entries_checked / seconds).toFixed(0)} entries/s; ok ${result.ok}`);
  return {
    ok: result.ok,
    findings: result.findings_total,
    entries: result.entries_checked,
    leaves: result.leaves_checked,
    checkpoints: result.checkpoints_checked,
    verify_s: round(seconds, 2),
    cli_wall_s: round(wallS, 2),
    entries_per_s: round(result.entries_checked / seconds),
    note: 'each entry is read twice (once in tree order, once in chain order) and hashed twice (its chain hash and its leaf); checked as the app role, the database on the same cores',
    cpu_cores_used: cpu,
  };
}
