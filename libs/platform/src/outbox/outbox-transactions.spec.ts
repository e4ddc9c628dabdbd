import type { DataSource, EntityManager } from 'typeorm';
import { SqlStatement } from '../database/sql-statement';
import { JobName } from '../queue/queue-names';
import { outboxMessage, OutboxMessage } from './outbox';
import type { OutboxPublisher } from './outbox-publisher';
import { OutboxTransactions, OutboxWrites } from './outbox-transactions';

describe('OutboxTransactions', () => {
  const manager = {} as EntityManager;
  const job = outboxMessage(JobName.VerifyAudit, { verificationId: '00000000-0000-4000-8000-000000000001' });

  function setup(direct: boolean) {
    const events: string[] = [];
    const published: OutboxMessage[][] = [];
    const dataSource = {
      transaction: async <T>(work: (m: EntityManager) => Promise<T>) => {
        const result = await work(manager);
        events.push('commit');
        return result;
      },
    } as unknown as DataSource;
    const publisher = {
      direct,
      committed: async (messages: readonly OutboxMessage[]) => {
        events.push('publish');
        published.push([...messages]);
      },
    } as unknown as OutboxPublisher;
    return { tx: new OutboxTransactions(dataSource, publisher), events, published };
  }

  it('publishes the rows its statements wrote, after the commit', async () => {
    const { tx, events, published } = setup(true);
    const answer = await tx.run(async (outbox) => {
      expect(outbox.manager).toBe(manager);
      const sql = outbox.sql(new SqlStatement(), [job]);
      expect(sql).toContain('clock_timestamp()');
      return 42;
    });
    expect(answer).toBe(42);
    expect(events).toEqual(['commit', 'publish']);
    expect(published).toEqual([[job]]);
  });

  it('publishes nothing when the work fails', async () => {
    const { tx, events } = setup(false);
    await expect(tx.run(async (outbox) => {
      outbox.sql(new SqlStatement(), [job]);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(events).toEqual([]);
  });

  it('leaves rows written for the relay unpublished: their INSERT marks none as published', () => {
    const outbox = OutboxWrites.forRelay(manager);
    expect(outbox.sql(new SqlStatement(), [job])).toContain('NULL::timestamptz');
    expect(outbox.messages).toEqual([job]);
  });
});
