import { insertOutboxSql, OutboxMessage, OutboxPublisher, preparedQuery, SqlStatement, statementName } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Complaint } from '../domain/complaint';
import { ComplaintUnitOfWork } from './complaint-unit-of-work';

/** A write transaction: its manager, and the units of work opened in it. */
export class WriteScope {
  readonly units: ComplaintUnitOfWork[] = [];

  constructor(readonly manager: EntityManager) {}

  /** A unit of work on a complaint this transaction has locked; it is written when the transaction's work returns. */
  readonly open = (complaint: Complaint, now?: Date): ComplaintUnitOfWork => {
    const uow = new ComplaintUnitOfWork(this.manager, complaint, now);
    this.units.push(uow);
    return uow;
  };
}

/**
 * The write path's one door. Both halves of the outbox protocol happen here, so no handler can
 * forget one: the outbox rows go in with the transaction's other rows (one statement for all its
 * units of work, see ComplaintUnitOfWork.commitAll) and their jobs are handed to BullMQ or the relay only after the
 * commit (OutboxPublisher.committed). A failed transaction publishes nothing.
 */
@Injectable()
export class ComplaintWriter {
  constructor(private readonly dataSource: DataSource, private readonly publisher: OutboxPublisher) {}

  /** Runs `work` in a transaction; the units it opened are written when it returns, published after the commit. */
  async transaction<T>(work: (scope: WriteScope) => Promise<T>): Promise<T> {
    const { result, outbox } = await this.dataSource.transaction(async (manager) => {
      const scope = new WriteScope(manager);
      const result = await work(scope);
      return { result, outbox: await ComplaintUnitOfWork.commitAll(manager, scope.units, this.publisher.direct) };
    });
    await this.publisher.committed(outbox);
    return result;
  }

  /**
   * One autocommit statement (a prepared one, named from `prefix` and its text) that writes
   * `outbox` where `build` places outboxSql(); the jobs are published once it has run.
   */
  async statement(prefix: string, outbox: readonly OutboxMessage[], build: (s: SqlStatement, outboxSql: () => string) => string): Promise<void> {
    const s = new SqlStatement();
    const text = build(s, () => insertOutboxSql(s, outbox, this.publisher.direct));
    await preparedQuery(this.dataSource, statementName(prefix, text), text, s.params);
    await this.publisher.committed(outbox);
  }
}
