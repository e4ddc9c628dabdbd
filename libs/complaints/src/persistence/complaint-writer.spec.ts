import { JobName, OutboxMessage, OutboxPublisher } from '@aduan/platform';
import { DataSource, EntityManager } from 'typeorm';
import { Complaint } from '../domain/complaint';
import { ComplaintUnitOfWork } from './complaint-unit-of-work';
import { ComplaintWriter } from './complaint-writer';

/** A transaction that records when it commits or rolls back; the statements themselves are the e2e tests'. */
function fakes(events: string[]) {
  const manager = {} as EntityManager;
  const dataSource = {
    transaction: async <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => {
      events.push('begin');
      try {
        const result = await work(manager);
        events.push('commit');
        return result;
      } catch (error) {
        events.push('rollback');
        throw error;
      }
    },
  } as unknown as DataSource;
  const publisher = {
    direct: true,
    committed: async (messages: readonly OutboxMessage[]) => {
      events.push(`publish ${messages.map((m) => m.job).join(' ')}`);
    },
  } as unknown as OutboxPublisher;
  return { writer: new ComplaintWriter(dataSource, publisher), manager };
}

const complaint = (id: string) => Complaint.restore({ id, status: 'submitted', reporterOnFile: false, version: 1 } as never);

describe('ComplaintWriter', () => {
  let commitAll: jest.SpyInstance;
  const events: string[] = [];
  beforeEach(() => {
    events.length = 0;
    commitAll = jest.spyOn(ComplaintUnitOfWork, 'commitAll').mockImplementation(async (_m, units, direct) => {
      events.push(`write ${units.length} units${direct ? ', direct' : ''}`);
      return units.flatMap((u) => (u as unknown as { outbox: OutboxMessage[] }).outbox);
    });
  });
  afterEach(() => commitAll.mockRestore());

  it('writes every unit opened in the transaction with one call as its work returns, and publishes only after the commit', async () => {
    const { writer, manager } = fakes(events);
    const result = await writer.transaction(async ({ open, manager: m }) => {
      expect(m).toBe(manager);
      open(complaint('a')).publish(JobName.RouteComplaint, { complaintId: 'a' });
      open(complaint('b'), new Date('2026-01-05T00:00:00Z')).publish(JobName.RouteComplaint, { complaintId: 'b' });
      events.push('work done');
      return 'answer';
    });
    expect(result).toBe('answer');
    expect(events).toEqual(['begin', 'work done', 'write 2 units, direct', 'commit', `publish ${JobName.RouteComplaint} ${JobName.RouteComplaint}`]);
    expect((commitAll.mock.calls[0][1] as ComplaintUnitOfWork[])[1].now).toEqual(new Date('2026-01-05T00:00:00Z'));
  });

  it('writes and publishes nothing when the work fails', async () => {
    const { writer } = fakes(events);
    await expect(
      writer.transaction(async ({ open }) => {
        open(complaint('a')).publish(JobName.RouteComplaint, { complaintId: 'a' });
        throw new Error('no unit to route to');
      }),
    ).rejects.toThrow('no unit to route to');
    expect(events).toEqual(['begin', 'rollback']);
  });

  it('publishes nothing when the write itself fails', async () => {
    commitAll.mockRejectedValueOnce(new Error('serialization failure'));
    const { writer } = fakes(events);
    await expect(writer.transaction(async ({ open }) => void open(complaint('a')).publish(JobName.RouteComplaint, { complaintId: 'a' }))).rejects.toThrow('serialization failure');
    expect(events).toEqual(['begin', 'rollback']);
  });
});
