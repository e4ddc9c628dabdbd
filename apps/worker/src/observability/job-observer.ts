import { QueueName } from '@aduan/platform';
import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { performance } from 'node:perf_hooks';
import { JobOutcome, PipelineMetrics } from './pipeline-metrics';

/** Wraps each queue's processor function: every job run is counted, timed and logged (one line each). */
@Injectable()
export class JobObserver {
  private readonly logger = new Logger('job');

  constructor(private readonly metrics: PipelineMetrics) {}

  observe<R>(queue: QueueName, run: (job: Job) => Promise<R>): (job: Job) => Promise<R> {
    return async (job) => {
      const started = performance.now();
      // From when the job became due (added, or its delay over) to now; retries wait for their backoff, not counted.
      const waitMs = job.attemptsMade === 0 ? (job.processedOn ?? Date.now()) - job.timestamp - (job.delay ?? 0) : 0;
      const done = (outcome: JobOutcome, error?: unknown) => {
        const runMs = performance.now() - started;
        const attempts = job.opts.attempts ?? 1;
        this.metrics.jobDone({ name: job.name, attemptsMade: job.attemptsMade, attempts }, queue, outcome, waitMs, runMs);
        const line = { msg: 'job', queue, job: job.name, job_id: job.id, outcome, duration_ms: Math.round(runMs * 10) / 10, attempt: job.attemptsMade + 1, attempts };
        if (error === undefined) this.logger.log(line);
        else this.logger.warn({ ...line, error: error instanceof Error ? error.message : String(error) });
      };
      try {
        const result = await run(job);
        done('completed');
        return result;
      } catch (error) {
        done('failed', error);
        throw error;
      }
    };
  }
}
