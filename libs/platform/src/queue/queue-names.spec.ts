import { ALL_QUEUES, JOB_QUEUE, JobName, parseQueueList, QueueName } from './queue-names';

describe('queue registry', () => {
  it('maps every job to a queue whose name prefixes the job name', () => {
    for (const job of Object.values(JobName)) {
      expect(ALL_QUEUES).toContain(JOB_QUEUE[job]);
      expect(job.startsWith(`${JOB_QUEUE[job]}.`)).toBe(true);
    }
  });

  it('parses WORKER_QUEUES', () => {
    expect(parseQueueList('all')).toEqual(ALL_QUEUES);
    expect(parseQueueList(' routing, lurah ,routing')).toEqual([QueueName.Routing, QueueName.Lurah]);
    expect(() => parseQueueList('routing,emails')).toThrow(/emails/);
    expect(() => parseQueueList(' , ')).toThrow(/WORKER_QUEUES/);
  });
});
