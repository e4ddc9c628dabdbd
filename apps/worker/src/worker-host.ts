import { APP_CONFIG, AppConfig, createRedis, isEnvelope, isJobName, JOB_QUEUE, OutboxPublisher, OutboxReconciler, OutboxRelay, parseQueueList, QueueName, REDIS } from '@aduan/platform';
import { CalendarWatch, SlaPolicyListener } from '@aduan/sla';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { AuditProcessor } from './processors/audit.processor';
import { DispatchProcessor } from './processors/dispatch.processor';
import { handlerTable } from './processors/handler-table';
import { Processor, runEnvelope } from './processors/job-handler';
import { JobObserver } from './observability/job-observer';
import { PipelineMetrics } from './observability/pipeline-metrics';
import { NotificationProcessor } from './processors/notification.processor';
import { RoutingProcessor } from './processors/routing.processor';
import { SlaProcessor } from './processors/sla.processor';
import { checkEvictionPolicy } from './redis-policy';

/** Starts one BullMQ worker per queue in `WORKER_QUEUES`, and the outbox relay. */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private reconcileTimer: NodeJS.Timeout | null = null;
  private markStarted!: () => void;
  /** Resolves once every queue's worker is running (Nest may start the heartbeat alongside). */
  readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly relay: OutboxRelay,
    private readonly reconciler: OutboxReconciler,
    private readonly publisher: OutboxPublisher,
    private readonly routing: RoutingProcessor,
    private readonly dispatch: DispatchProcessor,
    private readonly sla: SlaProcessor,
    private readonly notification: NotificationProcessor,
    private readonly audit: AuditProcessor,
    private readonly calendar: CalendarWatch,
    private readonly slaPolicies: SlaPolicyListener,
    private readonly observer: JobObserver,
    private readonly metrics: PipelineMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { warning } = await checkEvictionPolicy(this.redis);
    if (warning) this.logger.warn(warning);
    const queues = parseQueueList(this.config.WORKER_QUEUES);
    const processors: Processor[] = [this.routing, this.dispatch, this.sla, this.notification, this.audit];
    const table = handlerTable(processors, queues);
    const batchedQueues = new Set(processors.flatMap((p) => p.batched ?? []).map((job) => JOB_QUEUE[job]));
    for (const queue of queues) {
      // Each worker blocks on its own connection; shared ones are not closed by BullMQ, so we keep them.
      const connection = createRedis(this.config.REDIS_URL, `aduan-worker-${queue}`);
      this.connections.push(connection);
      const worker = new Worker(
        queue,
        this.observer.observe(queue, async (job) => {
          if (!isJobName(job.name)) throw new Error(`unknown job ${job.name}`);
          const handler = table.get(job.name);
          if (!handler || !job.id) throw new Error(`no handler for ${job.name}`);
          const attempt = { made: job.attemptsMade, max: job.opts.attempts ?? 1 };
          if (isEnvelope(job.data)) return runEnvelope(handler, job.data, attempt);
          return handler(job.data as never, job.id, attempt);
        }),
        {
          connection,
          prefix: this.config.QUEUE_PREFIX,
          concurrency: batchedQueues.has(queue) ? this.config.WORKER_BATCH_SIZE * this.config.WORKER_BATCHES_IN_FLIGHT : this.config.WORKER_CONCURRENCY,
          autorun: true,
          // Recovery after a worker's crash or freeze: about lock + check (15 s) rather than BullMQ's 30 + 30 s.
          lockDuration: this.config.WORKER_LOCK_MS,
          stalledInterval: this.config.WORKER_STALLED_CHECK_MS,
          // A job may stall more than once in an outage (a frozen worker, then its successor killed); it is still retried.
          maxStalledCount: 3,
        },
      );
      worker.on('failed', (job, error) => this.logger.warn(`${queue}: job ${job?.name ?? '?'} ${job?.id ?? ''} failed (attempt ${job?.attemptsMade ?? 0}): ${error.message}`));
      worker.on('error', (error) => this.logger.error(`${queue}: ${error.message}`));
      this.workers.push(worker);
    }
    await this.relay.start();
    // An admin's change of service levels or holidays reaches this worker's deadline cache at once.
    await this.slaPolicies.start();
    this.reconcileTimer = setInterval(() => {
      void this.reconciler
        .reconcile()
        .then((n) => {
          this.metrics.reconcilerRepaired(n);
          if (n > 0) this.relay.wake();
        })
        .catch((error: unknown) => this.logger.error(`reconciler failed: ${String(error)}`));
    }, this.config.OUTBOX_RECONCILE_MS);
    // Once a day in the log: a year whose official holiday table is missing (see CalendarWatch).
    this.calendar.start();
    this.logger.log(`consuming ${queues.join(', ')}; outbox relay running`);
    this.markStarted();
  }

  /** The queues whose BullMQ worker is taking jobs now (the heartbeat reports them). */
  runningQueues(): QueueName[] {
    return this.workers.filter((w) => w.isRunning() && !w.isPaused()).map((w) => w.name as QueueName);
  }

  /**
   * Before the queues, Redis and the pool close (onApplicationShutdown): the jobs in flight finish,
   * then the jobs they committed are added, so a clean stop leaves nothing for the reconciler.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    this.calendar.stop();
    await this.slaPolicies.stop();
    await this.relay.stop();
    // close() waits for jobs in flight; a job cut off by a crash is retried (consumers are idempotent).
    await Promise.all(this.workers.map((w) => w.close()));
    await this.publisher.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
