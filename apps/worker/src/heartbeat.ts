import { APP_CONFIG, AppConfig, beat, QueueName, REDIS, withdraw } from '@aduan/platform';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { WorkerHost } from './worker-host';

/**
 * Tells `/health/ready` which queues this worker is taking jobs from: every third of
 * WORKER_HEARTBEAT_TIMEOUT_SECONDS it stamps, in Redis, each queue whose BullMQ worker is running.
 * A worker that stops taking jobs (closed, paused, its event loop stuck, the process gone) stops
 * stamping, and its queues go stale.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Heartbeat');
  private readonly instance = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private stamped: QueueName[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, @Inject(REDIS) private readonly redis: Redis, private readonly host: WorkerHost) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.host.started;
    await this.beat();
    const every = Math.max(250, (this.config.WORKER_HEARTBEAT_TIMEOUT_SECONDS * 1000) / 3);
    this.timer = setInterval(() => void this.beat(), every);
  }

  private async beat(): Promise<void> {
    const running = this.host.runningQueues();
    try {
      const gone = this.stamped.filter((q) => !running.includes(q));
      if (gone.length > 0) await withdraw(this.redis, this.config.QUEUE_PREFIX, this.instance, gone);
      await beat(this.redis, this.config.QUEUE_PREFIX, this.instance, running);
      this.stamped = running;
    } catch (error) {
      this.logger.warn(`heartbeat not written: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Before the queues close: from here on this worker takes no new jobs. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await withdraw(this.redis, this.config.QUEUE_PREFIX, this.instance, this.stamped).catch(() => undefined);
    this.stamped = [];
  }
}
