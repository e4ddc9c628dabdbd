import { JobName, QueueName } from '@aduan/platform';
import { handlerTable } from './handler-table';
import { Processor } from './job-handler';

const noop = () => Promise.resolve();
const all: Processor = {
  handlers: {
    [JobName.RouteComplaint]: noop,
    [JobName.DispatchToLurah]: noop,
    [JobName.DispatchToCamat]: noop,
    [JobName.DispatchToOpd]: noop,
    [JobName.DispatchToInspektorat]: noop,
    [JobName.FirstResponseDue]: noop,
    [JobName.FirstResponseReminder]: noop,
    [JobName.ResolutionDue]: noop,
    [JobName.AutoClose]: noop,
    [JobName.RearmDeadlines]: noop,
    [JobName.SendNotification]: noop,
    [JobName.VerifyAudit]: noop,
  },
};

describe('handlerTable', () => {
  it('maps every job of the consumed queues to its one handler', () => {
    const table = handlerTable([all], [QueueName.Routing, QueueName.Lurah]);
    expect(table.get(JobName.RouteComplaint)).toBe(noop);
    expect(table.size).toBe(Object.values(JobName).length);
  });

  it('refuses a job with no handler on a consumed queue', () => {
    expect(() => handlerTable([{ handlers: { [JobName.RouteComplaint]: noop } }], [QueueName.Routing, QueueName.Opd])).toThrow(
      /opd.dispatch-complaint has no handler/,
    );
    // A queue this worker does not consume may lack handlers.
    expect(() => handlerTable([{ handlers: { [JobName.RouteComplaint]: noop } }], [QueueName.Routing])).not.toThrow();
  });

  it('refuses a job with two handlers', () => {
    expect(() => handlerTable([all, { handlers: { [JobName.DispatchToLurah]: noop } }], [QueueName.Lurah])).toThrow(/two handlers/);
  });
});
