import { ALL_QUEUES, JOB_QUEUE, JobName, MetricsRegistry, OUTBOX_LAG_SQL, QueueName, QueueRegistry } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';

const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const SLA_TIMERS = new Set<string>([JobName.FirstResponseDue, JobName.FirstResponseReminder, JobName.ResolutionDue, JobName.AutoClose]);
/** BullMQ job states reported per queue (`aduan_queue_jobs`). */
const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;

export type JobOutcome = 'completed' | 'failed';

/**
 * The worker's metrics: what this process did (jobs by outcome, their wait and processing time,
 * timers fired, notification failures, reconciler repairs), and gauges of the whole pipeline read
 * at each scrape from PostgreSQL and Redis (queue depth, outbox lag, timers held, audit sealing lag,
 * breaches). Every worker reports the same gauges: aggregate them with max(), not sum().
 */
@Injectable()
export class PipelineMetrics {
  private readonly jobs: Counter<'queue' | 'job' | 'outcome'>;
  private readonly processing: Histogram<'queue' | 'job' | 'outcome'>;
  private readonly waiting: Histogram<'queue' | 'job'>;
  private readonly timersFired: Counter<'timer'>;
  private readonly notificationFailures: Counter<'final'>;
  private readonly repairs: Counter;

  constructor(metrics: MetricsRegistry, queues: QueueRegistry, dataSource: DataSource) {
    const registers = [metrics.registry];
    this.jobs = new Counter({ name: 'aduan_jobs_total', help: 'Jobs this worker ran, by queue, job name and outcome (completed, failed)', labelNames: ['queue', 'job', 'outcome'], registers });
    this.processing = new Histogram({
      name: 'aduan_job_processing_seconds',
      help: 'Time a job ran in this worker, by queue, job name and outcome',
      labelNames: ['queue', 'job', 'outcome'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.waiting = new Histogram({
      name: 'aduan_job_wait_seconds',
      help: 'Time from a job becoming due (added, or its delay over) to a worker taking it, by queue and job name',
      labelNames: ['queue', 'job'],
      buckets: JOB_BUCKETS,
      registers,
    });
    this.timersFired = new Counter({ name: 'aduan_sla_timers_fired_total', help: 'SLA timers (deadlines, reminders, automatic closing) run to completion, by timer job', labelNames: ['timer'], registers });
    this.notificationFailures = new Counter({
      name: 'aduan_notification_failures_total',
      help: 'Notification jobs that failed; final="true" when it was the last attempt (the notice is failed)',
      labelNames: ['final'],
      registers,
    });
    this.repairs = new Counter({ name: 'aduan_outbox_reconciler_repairs_total', help: 'Published jobs Redis had lost that the reconciler published again', registers });

    new Gauge({
      name: 'aduan_queue_jobs',
      help: 'Jobs in each queue by BullMQ state, read from Redis at each scrape',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const counts = await Promise.all(ALL_QUEUES.map((q) => queues.queue(q).getJobCounts(...STATES)));
        this.reset();
        ALL_QUEUES.forEach((queue, i) => STATES.forEach((state) => this.set({ queue, state }, counts[i][state] ?? 0)));
      },
    });
    // One statement per scrape for the PostgreSQL gauges; each part reads a partial index or one row.
    let reading: Promise<Record<string, string | null>> | null = null;
    const read = () =>
      (reading ??= dataSource
        .query(
          `SELECT ${OUTBOX_LAG_SQL} AS outbox_lag,
                  (SELECT count(*) FROM outbox_message WHERE published_at IS NULL AND deliver_at IS NOT NULL AND job_name LIKE 'sla.%') AS timers_held,
                  (SELECT extract(epoch FROM now() - sealed_at) FROM audit_seal_state WHERE id) AS seal_lag,
                  (SELECT count(*) FILTER (WHERE kind = 'first_response') FROM sla_breach) AS breaches_first_response,
                  (SELECT count(*) FILTER (WHERE kind = 'resolution') FROM sla_breach) AS breaches_resolution`,
        )
        .then((rows: Record<string, string | null>[]) => rows[0])
        .finally(() => setTimeout(() => (reading = null), 0)));
    const num = (v: string | null | undefined) => (v === null || v === undefined ? 0 : Number(v));
    new Gauge({
      name: 'aduan_outbox_lag_seconds',
      help: 'Age of the oldest outbox row that is due and not yet published (0 when none)',
      registers,
      async collect() {
        this.set(Math.max(0, num((await read()).outbox_lag)));
      },
    });
    new Gauge({
      name: 'aduan_sla_timers_armed',
      help: 'SLA timers armed and not yet fired: held in PostgreSQL (beyond the relay horizon) or delayed in Redis',
      labelNames: ['store'],
      registers,
      async collect() {
        const [row, delayed] = await Promise.all([read(), queues.queue(QueueName.Sla).getDelayedCount()]);
        this.set({ store: 'postgresql' }, num(row.timers_held));
        this.set({ store: 'redis' }, delayed);
      },
    });
    new Gauge({
      name: 'aduan_audit_seal_lag_seconds',
      help: 'Time since the audit sealer last completed a round: every entry committed before then is in the Merkle tree',
      registers,
      async collect() {
        this.set(num((await read()).seal_lag));
      },
    });
    new Gauge({
      name: 'aduan_sla_breaches',
      help: 'SLA breaches recorded (all time), by kind; rate() of it is the breach rate',
      labelNames: ['kind'],
      registers,
      async collect() {
        const row = await read();
        this.set({ kind: 'first_response' }, num(row.breaches_first_response));
        this.set({ kind: 'resolution' }, num(row.breaches_resolution));
      },
    });
  }

  /** One job's run: `waitMs` from its becoming due to this worker taking it. */
  jobDone(job: { name: string; attemptsMade: number; attempts: number }, queue: QueueName, outcome: JobOutcome, waitMs: number, runMs: number): void {
    const labels = { queue, job: job.name, outcome };
    this.jobs.inc(labels);
    this.processing.observe(labels, runMs / 1000);
    this.waiting.observe({ queue, job: job.name }, Math.max(0, waitMs) / 1000);
    if (outcome === 'completed' && SLA_TIMERS.has(job.name)) this.timersFired.inc({ timer: job.name });
    if (outcome === 'failed' && queue === JOB_QUEUE[JobName.SendNotification]) {
      this.notificationFailures.inc({ final: String(job.attemptsMade + 1 >= job.attempts) });
    }
  }

  reconcilerRepaired(count: number): void {
    if (count > 0) this.repairs.inc(count);
  }
}
