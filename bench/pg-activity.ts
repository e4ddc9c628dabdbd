import { Pool } from 'pg';

/**
 * Samples `pg_stat_activity` of the bench database while a phase runs: what the system's
 * connections were doing (running, waiting on a lock or on WAL, idle in a transaction, idle).
 * A black-box view of where the database time of a request goes.
 */
export class ActivitySampler {
  private readonly counts = new Map<string, Map<string, number>>();
  private samples = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly pool: Pool, private readonly everyMs = 50) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.everyMs);
    // Never the reason the bench stays alive after a failure.
    this.timer.unref();
  }

  /** Per application: average connections in each state (by wait event), largest first. */
  stop(): Record<string, Record<string, number>> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const out: Record<string, Record<string, number>> = {};
    for (const [app, states] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      const entries = [...states].sort((a, b) => b[1] - a[1]).slice(0, 8);
      out[app] = Object.fromEntries(entries.map(([state, n]) => [state, Math.round((n / Math.max(1, this.samples)) * 100) / 100]));
    }
    return out;
  }

  private async sample(): Promise<void> {
    // A slow sample is skipped rather than queued behind the load.
    if (this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.pool.query<{ app: string; state: string }>(
        `SELECT coalesce(nullif(application_name, ''), backend_type) AS app,
                coalesce(state, 'background') || coalesce(' ' || wait_event_type || ':' || wait_event, '') AS state
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name NOT LIKE 'aduan-bench%'`,
      );
      this.samples += 1;
      for (const { app, state } of rows) {
        const states = this.counts.get(app) ?? new Map<string, number>();
        states.set(state, (states.get(state) ?? 0) + 1);
        this.counts.set(app, states);
      }
    } catch {
      // Sampling is diagnostic only; a failed sample is not a failed bench.
    } finally {
      this.busy = false;
    }
  }
}
