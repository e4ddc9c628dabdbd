import { Pool } from 'pg';
import { API_MAIN, BenchSettings, freePort, ManagedChild, RunningSystem, WORKER_MAIN } from './system';
import { progress, round, sleep, waitFor, waitForZero } from './stats';

/** Complaints of this scenario are about a kelurahan of their own, out of the console reads' inbox. */
const KELURAHAN = '36.73.04.1001';

/** Per complaint of a tag: exactly one assignment, one routing decision and one assignment entry in the audit log. */
async function exactlyOnce(pool: Pool, pattern: string) {
  const { rows: [row] } = await pool.query<{ complaints: number; exactly_once: number; unplaced: number; doubled: number }>(
    `SELECT count(*)::int AS complaints,
            count(*) FILTER (WHERE a = 1 AND r = 1 AND s = 1)::int AS exactly_once,
            count(*) FILTER (WHERE a = 0)::int AS unplaced,
            count(*) FILTER (WHERE a > 1 OR r > 1 OR s > 1)::int AS doubled
       FROM (SELECT (SELECT count(*) FROM assignment x WHERE x.complaint_id = c.id) AS a,
                    (SELECT count(*) FROM audit_entry e WHERE e.stream = 'complaint:' || c.id AND e.event = 'complaint.routed') AS r,
                    (SELECT count(*) FROM audit_entry e WHERE e.stream = 'complaint:' || c.id AND e.event = 'complaint.assigned') AS s
               FROM complaint c WHERE c.tracking_number LIKE $1) per`,
    [pattern],
  );
  return row;
}

async function unplaced(pool: Pool, pattern: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM complaint c WHERE c.tracking_number LIKE $1 AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.complaint_id = c.id)`,
    [pattern],
  );
  return rows[0].n;
}

function startWorkers(count: number, env: NodeJS.ProcessEnv): ManagedChild[] {
  return Array.from({ length: count }, (_, i) => new ManagedChild(`worker ${i + 1}/${count}`, WORKER_MAIN, [], env));
}

/** Open outbox listeners on the bench database: each worker's relay opens one once it has booted. */
async function listeners(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'aduan-outbox-listener'`,
  );
  return rows[0].n;
}

/** Starts `count` workers and waits until every one listens for outbox rows (a loaded machine boots them slowly). */
async function bootWorkers(pool: Pool, count: number, env: NodeJS.ProcessEnv): Promise<ManagedChild[]> {
  const before = await listeners(pool);
  const workers = startWorkers(count, env);
  const up = await waitFor(async () => {
    assertAlive(workers);
    return (await listeners(pool)) >= before + count;
  }, 120_000, 200);
  if (!up) progress(`  not every worker listened for outbox rows within 120 s (${await listeners(pool) - before} of ${count})`);
  await sleep(1000);
  return workers;
}

function assertAlive(children: readonly ManagedChild[]): void {
  const dead = children.filter((c) => !c.running);
  if (dead.length === 0) return;
  for (const c of dead) c.dumpOutput();
  throw new Error(`${dead.map((c) => c.name).join(', ')} exited`);
}

/**
 * Workers that scale out: for 1, 2 and 4 worker processes on one PostgreSQL and Redis, `n`
 * complaints are written as submitted with their routing job in the outbox (what intake writes),
 * and the clock runs until every one sits in an inbox. Then, with two api replicas and two
 * workers, complaints are filed over HTTP to both apis. Each step is checked in PostgreSQL: one
 * assignment, one routing decision and one assignment audit entry per complaint, no more, no less.
 * The system's own worker is stopped for the scenario and started again after it.
 */
export async function workerScaling(pool: Pool, settings: BenchSettings, system: RunningSystem, n: number, timeoutMs: number): Promise<Record<string, unknown>> {
  await system.worker.stop();
  const steps = [];
  try {
    for (const count of [1, 2, 4]) {
      const workers = await bootWorkers(pool, count, settings.childEnv);
      try {
        const tag = String(Date.now() + count).slice(-6);
        progress(`workers: ${count} process(es), ${n} complaints to route and place`);
        const started = Date.now();
        await pool.query(
          `WITH ids AS (SELECT gen_random_uuid() AS id, i FROM generate_series(1, $1) i),
           c AS (INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code,
                   description, anonymous, confidential, status, channel, submitted_at, updated_at)
                 SELECT id, 'ADN-' || $2 || '-' || lpad(upper(to_hex(i)), 6, '0'), 'x', '36.73', 'SAMPAH', $3, left($3, 8),
                   'Bench: pekerja bertambah.', true, true, 'submitted', 'web', now(), now() FROM ids)
           INSERT INTO outbox_message (id, job_name, payload) SELECT gen_random_uuid(), 'routing.route-complaint', json_build_object('complaintId', id) FROM ids`,
          [n, tag, KELURAHAN],
        );
        await pool.query(`SELECT pg_notify('outbox_message', '')`);
        const pattern = `ADN-${tag}-%`;
        const placed = await waitForZero(() => unplaced(pool, pattern), timeoutMs, 30_000, 100);
        const seconds = (Date.now() - started) / 1000;
        assertAlive(workers);
        // Whatever a slower process may still do with a job it also holds shows up here.
        await sleep(2000);
        const check = await exactlyOnce(pool, pattern);
        progress(`  ${placed.done ? round(n / seconds) : 'NOT ALL'} placed/s; exactly once ${check.exactly_once}/${check.complaints}, doubled ${check.doubled}`);
        steps.push({ worker_processes: count, seconds: round(seconds, 2), placed_per_s: placed.done ? round(n / seconds) : null, ...check });
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    }
    const replicas = await twoApiReplicas(pool, settings, Math.min(n, 400), timeoutMs);
    const ok = steps.every((st) => st.exactly_once === st.complaints && st.doubled === 0) && replicas.exactly_once === replicas.complaints && replicas.doubled === 0;
    return {
      by_worker_processes: steps,
      two_api_replicas_two_workers: replicas,
      no_double_processing: ok,
      note: 'on two shared cores more processes add no throughput; the figure is for comparison and the check is for correctness',
    };
  } finally {
    await system.restartWorker(settings.childEnv);
  }
}

/** A second api on its own port beside the system's; `count` complaints filed alternately to both, two workers. */
async function twoApiReplicas(pool: Pool, settings: BenchSettings, count: number, timeoutMs: number) {
  const port = await freePort();
  const second = new ManagedChild('api 2', API_MAIN, [], { ...settings.childEnv, PORT: String(port) });
  const workers = await bootWorkers(pool, 2, settings.childEnv);
  try {
    const bases = [settings.baseUrl, `http://127.0.0.1:${port}`];
    // A loaded machine boots the second api slowly: wait for its /health, not a fixed time.
    const up = await waitFor(async () => {
      assertAlive([second, ...workers]);
      return (await fetch(`${bases[1]}/health`).then((r) => r.status, () => 0)) === 200;
    }, 120_000, 250);
    if (!up) throw new Error('the second api did not answer /health within 120 s');
    assertAlive([second, ...workers]);
    progress(`two api replicas and two workers: ${count} complaints over HTTP, alternately to each api`);
    const numbers: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < count) {
          const i = next++;
          const res = await fetch(`${bases[i % 2]}/api/v1/complaints`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ category: 'SAMPAH', kelurahan: KELURAHAN, description: `Bench replika ${i}: sampah menumpuk di pinggir jalan.` }),
          });
          if (res.status !== 201) throw new Error(`POST to ${bases[i % 2]}: ${res.status}`);
          numbers.push(String(((await res.json()) as { tracking_number: string }).tracking_number));
        }
      }),
    );
    await waitForZero(
      async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaint c WHERE c.tracking_number = ANY($1) AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.complaint_id = c.id)`, [numbers])).rows[0].n,
      timeoutMs,
      30_000,
      100,
    );
    await sleep(2000);
    const { rows: [check] } = await pool.query<{ complaints: number; exactly_once: number; doubled: number }>(
      `SELECT count(*)::int AS complaints,
              count(*) FILTER (WHERE a = 1 AND r = 1 AND s = 1)::int AS exactly_once,
              count(*) FILTER (WHERE a > 1 OR r > 1 OR s > 1)::int AS doubled
         FROM (SELECT (SELECT count(*) FROM assignment x WHERE x.complaint_id = c.id) AS a,
                      (SELECT count(*) FROM audit_entry e WHERE e.stream = 'complaint:' || c.id AND e.event = 'complaint.routed') AS r,
                      (SELECT count(*) FROM audit_entry e WHERE e.stream = 'complaint:' || c.id AND e.event = 'complaint.assigned') AS s
                 FROM complaint c WHERE c.tracking_number = ANY($1)) per`,
      [numbers],
    );
    progress(`  exactly once ${check.exactly_once}/${check.complaints}, doubled ${check.doubled}`);
    return { api_replicas: 2, worker_processes: 2, filed: numbers.length, ...check };
  } finally {
    await Promise.all([second.stop(), ...workers.map((w) => w.stop())]);
  }
}
