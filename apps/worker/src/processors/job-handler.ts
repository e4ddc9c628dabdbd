import { AppConfig, BatchOutcome, JobName, JobPayloads, MicroBatcher } from '@aduan/platform';

/** Which run of a job this is: `made` earlier runs failed, and BullMQ gives up after `max`. */
export interface JobAttempt {
  made: number;
  max: number;
}

/** What a processor does with one job; `messageId` is the BullMQ job id, i.e. the outbox id. */
export type JobHandler<J extends JobName = JobName> = (payload: JobPayloads[J], messageId: string, attempt: JobAttempt) => Promise<unknown>;

/** A processor declares the jobs it handles; the worker checks that each job has exactly one. */
export interface Processor {
  readonly handlers: Partial<{ [J in JobName]: JobHandler<J> }>;
  /**
   * Jobs whose handler gathers concurrent jobs into batches (MicroBatcher): their queue hands the
   * worker enough jobs at once to fill the batches.
   */
  readonly batched?: readonly JobName[];
}

export const PROCESSORS = Symbol('PROCESSORS');

/** A MicroBatcher for a processor, sized by WORKER_BATCH_SIZE and WORKER_BATCHES_IN_FLIGHT. */
export function configuredBatcher<T, R>(config: AppConfig, run: (items: readonly T[]) => Promise<BatchOutcome<R>[]>): MicroBatcher<T, R> {
  return new MicroBatcher({ run, maxSize: config.WORKER_BATCH_SIZE, maxInFlight: config.WORKER_BATCHES_IN_FLIGHT });
}
