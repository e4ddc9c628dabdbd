import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import { QueueName } from './queue-names';

/**
 * Retries with backoff; completed jobs are kept a day so a re-published outbox row with the same
 * `jobId` is recognised by BullMQ. Beyond that the consumers' processed-message record catches it.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** Producer side of BullMQ: one `Queue` per name, created on first use. */
@Injectable()
export class QueueRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueRegistry.name);
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get prefix(): string {
    return this.config.QUEUE_PREFIX;
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.prefix, defaultJobOptions: this.jobOptions(name) });
      // Redis going away is reported here; adds wait for it to come back (see OutboxPublisher).
      queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Notices talk to outside servers (SMTP, a webhook) that may be down for a while, so their
   * retries are configured apart (NOTIFY_ATTEMPTS, NOTIFY_BACKOFF_MS); after the last attempt the
   * notification's row says `failed`. Every job added to the queue, by the relay or the
   * reconciler, gets these.
   */
  private jobOptions(name: QueueName): JobsOptions {
    if (name !== QueueName.Notification) return DEFAULT_JOB_OPTIONS;
    return { ...DEFAULT_JOB_OPTIONS, attempts: this.config.NOTIFY_ATTEMPTS, backoff: { type: 'exponential', delay: this.config.NOTIFY_BACKOFF_MS } };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

@Global()
@Module({ providers: [QueueRegistry], exports: [QueueRegistry] })
export class QueueModule {}
