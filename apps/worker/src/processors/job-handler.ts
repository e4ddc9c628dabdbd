import { AppConfig, BatchOutcome, Envelope, JobName, JobPayloads, MicroBatcher } from '@aduan/platform';

/** Which run of a job this is: `made` earlier runs failed, and BullMQ gives up after `max`. */
export interface JobAttempt {
  made: number;
  max: number;
}

/** What a processor does with one message; `messageId` is what its consumer claims: a plain job's id (the outbox id, or a timer's own id), or the outbox id an envelope gives each message. */
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

/**
 * The messages an envelope job carries (see withCarriers), handed to the handler together so they
 * land in one batch. Each is claimed under its own message id, so when one fails and the job runs
 * again, the others are already done and answer `duplicate`: the error is the failed one's own.
 */
export async function runEnvelope(handler: JobHandler, data: Envelope, attempt: JobAttempt): Promise<unknown[]> {
  const outcomes = await Promise.allSettled(data.envelope.map((m) => handler(m.payload as never, m.messageId, attempt)));
  const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed.length === 1) throw failed[0].reason;
  if (failed.length > 1) {
    const first = failed[0].reason instanceof Error ? failed[0].reason.message : String(failed[0].reason);
    throw new Error(`${failed.length} of ${outcomes.length} messages failed; the first: ${first}`);
  }
  return outcomes.map((o) => (o as PromiseFulfilledResult<unknown>).value);
}
