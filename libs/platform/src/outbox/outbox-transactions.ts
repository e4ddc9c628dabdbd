import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlStatement } from '../database/sql-statement';
import { insertOutboxSql, OutboxMessage } from './outbox';
import { OutboxPublisher } from './outbox-publisher';

/** The outbox half of one transaction: the rows its statements insert, remembered for the publish. */
export class OutboxWrites {
  private readonly written: OutboxMessage[] = [];

  constructor(readonly manager: EntityManager, private readonly direct: boolean) {}

  /**
   * A transaction whose rows only the relay publishes (the CLI has no queue connection): nothing
   * is handed over after its commit.
   */
  static forRelay(manager: EntityManager): OutboxWrites {
    return new OutboxWrites(manager, false);
  }

  /** The INSERT of `messages`, for a CTE or a statement of its own; they are published after the commit. */
  sql(s: SqlStatement, messages: readonly OutboxMessage[]): string {
    this.written.push(...messages);
    return insertOutboxSql(s, messages, this.direct);
  }

  get messages(): readonly OutboxMessage[] {
    return this.written;
  }
}

/**
 * Both halves of the outbox protocol for writers outside the complaint's write path (the
 * complaint's own is ComplaintWriter): rows written through `OutboxWrites.sql` go in with the
 * transaction, their jobs are handed over once it has committed. A failed transaction publishes nothing.
 */
@Injectable()
export class OutboxTransactions {
  constructor(private readonly dataSource: DataSource, private readonly publisher: OutboxPublisher) {}

  async run<T>(work: (outbox: OutboxWrites) => Promise<T>): Promise<T> {
    let outbox: OutboxWrites | undefined;
    const result = await this.dataSource.transaction((manager) => work((outbox = new OutboxWrites(manager, this.publisher.direct))));
    await this.publisher.committed(outbox!.messages);
    return result;
  }
}
