import { JOB_QUEUE, JobName, QueueName } from '@aduan/platform';
import { JobHandler, Processor } from './job-handler';

/**
 * Builds the job → handler table for the consumed queues. Refuses to start when a job of a
 * consumed queue has no handler, or more than one: a silent gap would strand complaints.
 */
export function handlerTable(processors: readonly Processor[], queues: readonly QueueName[]): Map<JobName, JobHandler> {
  const table = new Map<JobName, JobHandler>();
  const problems: string[] = [];
  for (const processor of processors) {
    for (const [job, handler] of Object.entries(processor.handlers) as [JobName, JobHandler][]) {
      if (table.has(job)) problems.push(`job ${job} has two handlers`);
      table.set(job, handler);
    }
  }
  for (const job of Object.values(JobName)) {
    if (queues.includes(JOB_QUEUE[job]) && !table.has(job)) problems.push(`job ${job} has no handler`);
  }
  if (problems.length > 0) throw new Error(`worker refuses to start: ${problems.join('; ')}`);
  return table;
}
