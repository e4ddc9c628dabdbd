import { QueueName } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { performance } from 'node:perf_hooks';
import { JobOutcome, PipelineMetrics } from './pipeline-metrics';

/** Wraps each queue's processor function: every job run is counted and timed. */
@Injectable()
export class JobObserver {
  constructor(private readonly metrics: PipelineMetrics) {}

  observe<R>(queue: QueueName, run: (job: Job) => Promise<R>): (job: Job) => Promise<R> {
    return async (job) => {
      const started = performance.now();
      // From when the job became due (added, or its delay over) to now; retries wait for their backoff, not counted.
      const waitMs = job.attemptsMade === 0 ? (job.processedOn ?? Date.now()) - job.timestamp - (job.delay ?? 0) : 0;
      const done = (outcome: JobOutcome) =>
        this.metrics.jobDone({ name: job.name, attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 }, queue, outcome, waitMs, performance.now() - started);
      try {
        const result = await run(job);
        done('completed');
        return result;
      } catch (error) {
        done('failed');
        throw error;
      }
    };
  }
}
