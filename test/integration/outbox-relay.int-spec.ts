import {
  APP_CONFIG, AppConfig, ConfigModule, DatabaseModule, Envelope, envelopeJobId, insertOutboxSql, isEnvelope, JobName, outboxMessage, OutboxNotifier, OutboxReconciler, OutboxRelay, QueueModule,
  QueueName, QueueRegistry, RedisModule, RELAY_CLAIM_SQL, RELAY_SESSION_OPTIONS, SqlStatement, timerJobId,
} from '@aduan/platform';
import { Test, TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { carriedMessageIds } from '../support/jobs';
import { useTestEnvironment } from '../support/test-env';

interface PlanNode {
  'Node Type': string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

/** The kinds of scan in an EXPLAIN (FORMAT JSON) plan. */
function scans(node: PlanNode): string[] {
  return [...(node['Node Type'].endsWith('Scan') ? [node['Node Type']] : []), ...(node.Plans ?? []).flatMap(scans)];
}

/** Waits until no other session of this database holds a snapshot from before transaction `xid`; fails naming them after 20 s. */
async function horizonPassed(db: DataSource, xid: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const holders: { application_name: string; state: string; query: string }[] = await db.query(
      `SELECT application_name, state, left(query, 80) AS query FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND (backend_xmin::text::bigint <= $1::bigint OR backend_xid::text::bigint <= $1::bigint)`,
      [xid],
    );
    if (holders.length === 0) return;
    if (Date.now() > deadline) throw new Error(`sessions hold the xmin horizon: ${JSON.stringify(holders)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Whether a snapshot taken now sees transaction `xid` as finished, waiting up to `ms` for it. A
 * snapshot's xmin counts running transactions of every database on the server, so another test
 * run's long transaction holds it back even though it cannot see this database's rows.
 */
async function serverHorizonPassed(db: DataSource, xid: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const [{ passed }]: { passed: boolean }[] = await db.query(`SELECT txid_snapshot_xmin(txid_current_snapshot()) > $1::bigint AS passed`, [xid]);
    if (passed || Date.now() > deadline) return passed;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The relay and reconciler against real PostgreSQL and Redis. */
describe('outbox relay', () => {
  let moduleRef: TestingModule;
  let db: DataSource;
  let queues: QueueRegistry;

  async function start(env: Record<string, string>) {
    useTestEnvironment(env);
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule.forRoot('aduan-test'), RedisModule, QueueModule],
      providers: [OutboxRelay, OutboxReconciler],
    }).compile();
    await moduleRef.init();
    db = moduleRef.get(DataSource);
    queues = moduleRef.get(QueueRegistry);
    // Rows other files left behind are out of the relay's and the reconciler's reach (30 days).
    await db.query(`UPDATE outbox_message SET published_at = now() - interval '40 days'`);
  }

  async function enqueue(n: number): Promise<string[]> {
    const messages = Array.from({ length: n }, () => outboxMessage(JobName.RouteComplaint, { complaintId: randomUUID() }));
    const s = new SqlStatement();
    await db.query(insertOutboxSql(s, messages), s.params);
    return messages.map((m) => m.id);
  }

  /** An immediate row and two first-response timers, due in `nearSeconds` and `farSeconds`. */
  async function enqueueTimers(nearSeconds: number, farSeconds: number) {
    const at = (seconds: number) => new Date(Date.now() + seconds * 1000);
    const [nearAssignment, farAssignment] = [randomUUID(), randomUUID()];
    const near = { assignmentId: nearAssignment, jobId: timerJobId.firstResponseDue(nearAssignment, at(nearSeconds)) };
    const far = { assignmentId: farAssignment, jobId: timerJobId.firstResponseDue(farAssignment, at(farSeconds)) };
    const messages = [
      outboxMessage(JobName.RouteComplaint, { complaintId: randomUUID() }),
      outboxMessage(JobName.FirstResponseDue, { assignmentId: near.assignmentId }, { jobId: near.jobId, deliverAt: at(nearSeconds) }),
      outboxMessage(JobName.FirstResponseDue, { assignmentId: far.assignmentId }, { jobId: far.jobId, deliverAt: at(farSeconds) }),
    ];
    const s = new SqlStatement();
    await db.query(insertOutboxSql(s, messages), s.params);
    const [immediate, nearRow, farRow] = messages.map((m) => m.id);
    return { immediate, near: { ...near, row: nearRow }, far: { ...far, row: farRow } };
  }

  async function publishedIds(ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await db.query(`SELECT id FROM outbox_message WHERE id = ANY($1) AND published_at IS NOT NULL`, [ids]);
    return rows.map((r) => r.id).sort();
  }

  afterEach(async () => {
    await Promise.all(Object.values(QueueName).map((q) => queues.queue(q).obliterate({ force: true })));
    await moduleRef.close();
  });

  it('publishes each row once, in batches; the rows of a batch ride one envelope job, which each row records', async () => {
    await start({ OUTBOX_BATCH_SIZE: '7' });
    const ids = await enqueue(20);
    const relay = moduleRef.get(OutboxRelay);
    expect(await relay.drain()).toBe(20);
    expect(await relay.drain()).toBe(0);
    const jobs = await queues.queue(QueueName.Routing).getJobs(['waiting']);
    expect(carriedMessageIds(jobs)).toEqual([...ids].sort());
    expect(jobs.map((j) => (isEnvelope(j.data) ? j.data.envelope.length : 1)).sort()).toEqual([6, 7, 7]);
    expect(jobs.every((j) => j.name === JobName.RouteComplaint && j.id === envelopeJobId((j.data as Envelope).envelope.map((m) => m.messageId)))).toBe(true);
    const rows: { id: string; job_id: string; published: boolean }[] = await db.query(
      `SELECT id, job_id, published_at IS NOT NULL AS published FROM outbox_message WHERE id = ANY($1)`,
      [ids],
    );
    const carrierOf = new Map(jobs.flatMap((j) => (j.data as Envelope).envelope.map((m) => [m.messageId, j.id] as const)));
    expect(rows.every((r) => r.published && r.job_id === carrierOf.get(r.id))).toBe(true);
  });

  it('publishes a row alone under its own id, as a plain job', async () => {
    await start({});
    const [id] = await enqueue(1);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(1);
    const job = await queues.queue(QueueName.Routing).getJob(id);
    expect(isEnvelope(job?.data)).toBe(false);
    expect((await db.query(`SELECT job_id FROM outbox_message WHERE id = $1`, [id]))[0].job_id).toBeNull();
  });

  it('republishing after a crash between add and commit creates no second job', async () => {
    await start({});
    const [id] = await enqueue(1);
    // The crashed relay had already added the job; its commit never happened.
    await queues.queue(QueueName.Routing).add(JobName.RouteComplaint, { complaintId: 'x' }, { jobId: id });
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(1);
    expect(await queues.queue(QueueName.Routing).getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('a claim after thousands of publications reads a few index pages, not the table pages of the rows published', async () => {
    await start({});
    const ids = await enqueue(3000);
    // Published as the relay marks them: each leaves a dead entry in the index of unpublished rows.
    const [{ xid }]: { xid: string }[] = await db.query(
      `WITH published AS (UPDATE outbox_message SET published_at = clock_timestamp() WHERE id = ANY($1)) SELECT txid_current()::text AS xid`,
      [ids],
    );
    // Dead entries are marked only once no session of this database can still see the rows: wait
    // for any older snapshot (another file's leftover session, say) to end, or name it.
    await horizonPassed(db, xid);
    await serverHorizonPassed(db, xid, 30_000);
    const { DATABASE_URL, OUTBOX_BATCH_SIZE, OUTBOX_TIMER_HORIZON_SECONDS } = moduleRef.get<AppConfig>(APP_CONFIG);
    // The plan of one claim (nothing is left to claim) in a session of the given options, and the pages it touched.
    const claim = async (options: string) => {
      const client = new Client({ connectionString: DATABASE_URL, options });
      await client.connect();
      try {
        // One snapshot for both statements: the xmin read is the one the scan marks entries by.
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
        const [{ xmin }] = (await client.query(`SELECT txid_snapshot_xmin(txid_current_snapshot())::text AS xmin`)).rows as { xmin: string }[];
        const [{ 'QUERY PLAN': [{ Plan: plan }] }] = (
          await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${RELAY_CLAIM_SQL}`, [OUTBOX_BATCH_SIZE, OUTBOX_TIMER_HORIZON_SECONDS])
        ).rows as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
        await client.query('ROLLBACK');
        // reclaimable: the claim ran after every transaction up to the publishing one had ended
        return { scans: scans(plan), pages: plan['Shared Hit Blocks'] + plan['Shared Read Blocks'], reclaimable: BigInt(xmin) > BigInt(xid) };
      } finally {
        await client.end();
      }
    };
    // A bitmap scan (what PostgreSQL picked by itself on the bench's database) visits the table
    // page of every dead entry, on every claim: the 3,000 rows fill far more than 40 pages.
    const bitmap = '-c enable_indexscan=off';
    expect((await claim(bitmap)).scans).toContain('Bitmap Heap Scan');
    expect((await claim(bitmap)).pages).toBeGreaterThan(40);
    expect((await claim(bitmap)).pages).toBeGreaterThan(40);
    // The relay's session: its first claim marks the dead entries, and the next ones step over them.
    // Invariant: once the dead rows are reclaimable, the claim after the marking one reads under 40
    // pages; while an older transaction anywhere on the server runs, no scan can mark them yet.
    const marking = await claim(RELAY_SESSION_OPTIONS);
    const next = await claim(RELAY_SESSION_OPTIONS);
    if (marking.reclaimable) expect(next.pages).toBeLessThan(40);
    // And it never takes a bitmap scan, even where PostgreSQL would rather not use the index scan.
    expect((await claim(`${RELAY_SESSION_OPTIONS} ${bitmap}`)).scans).not.toContain('Bitmap Heap Scan');
  }, 90_000);

  it('two relays share the work without publishing a row twice', async () => {
    await start({ OUTBOX_BATCH_SIZE: '5' });
    const ids = await enqueue(60);
    const other = new OutboxRelay(queues, { ...(await import('@aduan/platform')).loadConfig(), OUTBOX_BATCH_SIZE: 5 });
    const [a, b] = await Promise.all([moduleRef.get(OutboxRelay).drain(), other.drain()]).finally(() => other.stop());
    expect(a + b).toBe(60);
    expect(carriedMessageIds(await queues.queue(QueueName.Routing).getJobs(['waiting']))).toEqual([...ids].sort());
  });

  it('is woken by the NOTIFY a writer sends after its commit, long before its polling interval', async () => {
    await start({ OUTBOX_POLL_MS: '60000' });
    const relay = moduleRef.get(OutboxRelay);
    await relay.start();
    try {
      const [id] = await enqueue(1);
      moduleRef.get(OutboxNotifier).poke();
      const deadline = Date.now() + 5000;
      let job = await queues.queue(QueueName.Routing).getJob(id);
      while (!job && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        job = await queues.queue(QueueName.Routing).getJob(id);
      }
      expect(job?.id).toBe(id);
    } finally {
      await relay.stop();
    }
  });

  it('an envelope that a crashed relay added is not taken for a different set of rows claimed again', async () => {
    await start({});
    const [first] = await enqueue(1);
    // The crashed relay had claimed [first, second] and added their envelope; its commit never happened.
    const [second] = await enqueue(1);
    await queues.queue(QueueName.Routing).add(JobName.RouteComplaint, { envelope: [first, second].map((id) => ({ messageId: id, payload: {} })) }, { jobId: envelopeJobId([first, second]) });
    // Meanwhile a third row came: the relay claims three and must not hide them behind the old job.
    const [third] = await enqueue(1);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(3);
    const carried = carriedMessageIds(await queues.queue(QueueName.Routing).getJobs(['waiting']));
    expect(carried.filter((id) => id === third)).toHaveLength(1);
    expect(new Set(carried)).toEqual(new Set([first, second, third]));
  });

  it('the reconciler hands back only published jobs that Redis lost and nobody processed', async () => {
    await start({ OUTBOX_STALE_SECONDS: '1' });
    // Published one at a time: three plain jobs.
    const published: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      published.push(...(await enqueue(1)));
      expect(await moduleRef.get(OutboxRelay).drain()).toBe(1);
    }
    const [lost, waiting, processed] = published;
    await db.query(`UPDATE outbox_message SET published_at = now() - interval '5 seconds' WHERE id = ANY($1)`, [[lost, waiting, processed]]);
    await queues.queue(QueueName.Routing).remove(lost);
    await queues.queue(QueueName.Routing).remove(processed);
    await db.query(`INSERT INTO processed_message (consumer, message_id) VALUES ($1, $2)`, [JobName.RouteComplaint, processed]);
    expect(await moduleRef.get(OutboxReconciler).reconcile()).toBe(1);
    const rows: { id: string; published: boolean }[] = await db.query(
      `SELECT id, published_at IS NOT NULL AS published FROM outbox_message WHERE id = ANY($1)`,
      [[lost, waiting, processed]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.published]))).toEqual({ [lost]: false, [waiting]: true, [processed]: true });
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(1);
    expect(await queues.queue(QueueName.Routing).getJob(lost)).toBeDefined();
  });

  it('the reconciler hands back the unprocessed rows of an envelope that Redis lost, and the relay sends them again', async () => {
    await start({ OUTBOX_STALE_SECONDS: '1' });
    const ids = await enqueue(4);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(4);
    // One envelope carries the four, its id digesting them in the order claimed (they share a created_at).
    const carriers: { job_id: string }[] = await db.query(`SELECT DISTINCT job_id FROM outbox_message WHERE id = ANY($1)`, [ids]);
    expect(carriers).toHaveLength(1);
    const carrier = carriers[0].job_id;
    expect((await queues.queue(QueueName.Routing).getJob(carrier))?.data).toEqual({ envelope: expect.any(Array) });
    await db.query(`UPDATE outbox_message SET published_at = now() - interval '5 seconds' WHERE id = ANY($1)`, [ids]);
    await queues.queue(QueueName.Routing).remove(carrier);
    await db.query(`INSERT INTO processed_message (consumer, message_id) VALUES ($1, $2)`, [JobName.RouteComplaint, ids[1]]);
    expect(await moduleRef.get(OutboxReconciler).reconcile()).toBe(3);
    const rows: { id: string; job_id: string | null; published: boolean }[] = await db.query(
      `SELECT id, job_id, published_at IS NOT NULL AS published FROM outbox_message WHERE id = ANY($1) ORDER BY id`,
      [ids],
    );
    expect(rows.filter((r) => !r.published).map((r) => r.id)).toEqual([ids[0], ids[2], ids[3]].sort());
    expect(rows.filter((r) => !r.published).every((r) => r.job_id === null)).toBe(true);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(3);
    expect(carriedMessageIds(await queues.queue(QueueName.Routing).getJobs(['waiting']))).toEqual([ids[0], ids[2], ids[3]].sort());
  });

  /** Publishes `n` plain rows through the relay and dates their publishing `secondsAgo` back. */
  async function publishedAgo(n: number, secondsAgo: number): Promise<string[]> {
    const ids = await enqueue(n);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(n);
    await db.query(`UPDATE outbox_message SET published_at = now() - make_interval(secs => $2) WHERE id = ANY($1)`, [ids, secondsAgo]);
    return ids;
  }

  const processedBy = (ids: string[]) =>
    db.query(`INSERT INTO processed_message (consumer, message_id) SELECT $1, unnest($2::text[])`, [JobName.RouteComplaint, ids]);

  it('the reconciler\'s watermark stops at the oldest unprocessed row, so a job Redis loses later is still found', async () => {
    await start({ OUTBOX_STALE_SECONDS: '1' });
    const reconciler = moduleRef.get(OutboxReconciler);
    const [waiting] = await publishedAgo(1, 10);
    await processedBy(await publishedAgo(3, 5));
    // The waiting row's job is in BullMQ (a backlog): nothing to hand back, and the watermark holds at it.
    expect(await reconciler.reconcile()).toBe(0);
    const [{ held }]: { held: boolean }[] = await db.query(`SELECT published_at = $2::timestamptz AS held FROM outbox_message WHERE id = $1`, [waiting, reconciler.checkedUpTo]);
    expect(held).toBe(true);
    // Redis loses it afterwards: the next (ordinary) pass starts at the watermark and finds it.
    await queues.queue(QueueName.Routing).remove(waiting);
    expect(await reconciler.reconcile()).toBe(1);
    expect(await publishedIds([waiting])).toEqual([]);
  });

  it('once everything is processed the watermark moves up to the staleness cutoff', async () => {
    await start({ OUTBOX_STALE_SECONDS: '1' });
    const reconciler = moduleRef.get(OutboxReconciler);
    const done = await publishedAgo(3, 5);
    await processedBy(done);
    expect(await reconciler.reconcile()).toBe(0);
    const [{ behind, recent }]: { behind: boolean; recent: boolean }[] = await db.query(
      `SELECT max(published_at) < $2::timestamptz AS behind, $2::timestamptz > now() - interval '1 minute' AS recent FROM outbox_message WHERE id = ANY($1)`,
      [done, reconciler.checkedUpTo],
    );
    expect({ behind, recent }).toEqual({ behind: true, recent: true });
  });

  it('a row older than the recent window (a job failed for good) is left to the periodic full pass', async () => {
    // Recent window: the timer horizon (60 s) plus ten stale periods (10 s); a full pass every 1.5 s.
    await start({ OUTBOX_STALE_SECONDS: '1', OUTBOX_TIMER_HORIZON_SECONDS: '60', OUTBOX_RECONCILE_FULL_MS: '1500' });
    const reconciler = moduleRef.get(OutboxReconciler);
    const [old] = await publishedAgo(1, 3 * 3600);
    // First pass (full): the job is there, so the row stays.
    expect(await reconciler.reconcile()).toBe(0);
    await queues.queue(QueueName.Routing).remove(old);
    // Ordinary passes read only the recent window: they do not see it.
    expect(await reconciler.reconcile()).toBe(0);
    expect(await reconciler.reconcile()).toBe(0);
    expect(await publishedIds([old])).toEqual([old]);
    // The next full pass does.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await reconciler.reconcile()).toBe(1);
    expect(await publishedIds([old])).toEqual([]);
  });

  it('leaves timers beyond the horizon in the outbox and publishes the rest, timers as delayed jobs', async () => {
    await start({ OUTBOX_TIMER_HORIZON_SECONDS: '3600' });
    const { immediate, near, far } = await enqueueTimers(600, 7200);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(2);
    expect(await publishedIds([immediate, near.row, far.row])).toEqual([immediate, near.row].sort());

    expect(await queues.queue(QueueName.Routing).getJob(immediate)).toBeDefined();
    const sla = queues.queue(QueueName.Sla);
    const timer = await sla.getJob(near.jobId);
    expect(timer?.name).toBe(JobName.FirstResponseDue);
    expect(timer?.data).toEqual({ assignmentId: near.assignmentId });
    expect(timer?.delay).toBeGreaterThan(0);
    expect(await timer?.getState()).toBe('delayed');
    expect(await sla.getJob(far.jobId)).toBeUndefined();
    expect(await sla.getJobCounts('delayed', 'waiting')).toEqual({ delayed: 1, waiting: 0 });
  });

  it('publishes a far timer on the first drain after it comes within the horizon', async () => {
    await start({ OUTBOX_TIMER_HORIZON_SECONDS: '3600' });
    const { immediate, near, far } = await enqueueTimers(600, 7200);
    const relay = moduleRef.get(OutboxRelay);
    expect(await relay.drain()).toBe(2);
    expect(await relay.drain()).toBe(0);
    expect(await publishedIds([far.row])).toEqual([]);

    await db.query(`UPDATE outbox_message SET deliver_at = now() + interval '30 minutes' WHERE id = $1`, [far.row]);
    expect(await relay.drain()).toBe(1);
    expect(await publishedIds([immediate, near.row, far.row])).toEqual([immediate, near.row, far.row].sort());
    const timer = await queues.queue(QueueName.Sla).getJob(far.jobId);
    expect(timer?.data).toEqual({ assignmentId: far.assignmentId });
    expect(timer?.delay).toBeGreaterThan(0);
    expect(await timer?.getState()).toBe('delayed');
  });
});
