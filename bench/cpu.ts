import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * CPU time per process group between two snapshots, read from /proc (Linux only; elsewhere the
 * snapshot is null). With two cores shared by everyone, this says which process a number was
 * waiting on.
 */

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_S = 100;

export interface CpuSnapshot {
  atMs: number;
  /** pid → group and ms of CPU time so far */
  processes: Map<number, { group: string; ms: number }>;
  /** ms of busy time summed over all cores */
  machineBusyMs: number;
}

function procCpuMs(pid: number): { comm: string; ms: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces; fields after it are space-separated.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime are fields 14 and 15 of the full line, i.e. 12 and 13 after "state".
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { comm, ms: (ticks * 1000) / CLOCK_TICKS_PER_S };
  } catch {
    return null;
  }
}

/** `named` maps a group name to a pid (api, worker); everything else is grouped by command name. */
export function cpuSnapshot(named: Record<string, number | undefined>): CpuSnapshot | null {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return null;
  }
  const byPid = new Map<number, string>();
  for (const [name, pid] of Object.entries(named)) if (pid !== undefined) byPid.set(pid, name);
  byPid.set(process.pid, 'bench (load generator)');
  const processes = new Map<number, { group: string; ms: number }>();
  for (const pid of pids) {
    const usage = procCpuMs(pid);
    if (!usage) continue;
    const group = byPid.get(pid) ?? (usage.comm === 'postgres' ? 'postgresql' : usage.comm.startsWith('redis-server') ? 'redis' : null);
    if (group) processes.set(pid, { group, ms: usage.ms });
  }
  const machineBusyMs = cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
  return { atMs: Date.now(), processes, machineBusyMs };
}

/**
 * Share of one core each group used between the snapshots (1.0 = one full core), and how busy
 * the whole machine was (cores × 1.0 = saturated).
 */
export function cpuBetween(before: CpuSnapshot | null, after: CpuSnapshot | null): Record<string, number> | null {
  if (!before || !after) return null;
  const wallMs = Math.max(1, after.atMs - before.atMs);
  // Per pid: a process born in between counts whole; one that exited in between is missed (its
  // share is small: the connections that matter live for the whole phase).
  const used: Record<string, number> = {};
  for (const [pid, { group, ms }] of after.processes) {
    const earlier = before.processes.get(pid);
    used[group] = (used[group] ?? 0) + ms - (earlier?.group === group ? earlier.ms : 0);
  }
  const out: Record<string, number> = {};
  for (const [group, ms] of Object.entries(used)) out[group] = Math.round((ms / wallMs) * 100) / 100;
  const machineMs = after.machineBusyMs - before.machineBusyMs;
  // Whatever else ran on the machine meanwhile (the load here is not alone if this is large).
  const othersMs = machineMs - Object.values(used).reduce((sum, ms) => sum + ms, 0);
  out['other processes'] = Math.max(0, Math.round((othersMs / wallMs) * 100) / 100);
  out['machine (all cores)'] = Math.round((machineMs / wallMs) * 100) / 100;
  return out;
}
