import { ConfigModule, DatabaseModule, insertOutboxSql, JobName, outboxMessage, OutboxRelay, QueueModule, QueueName, QueueRegistry, RedisModule, SqlStatement } from '@aduan/platform';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { useTestEnvironment } from '../support/test-env';

/** drain() called outside start() (the CLI, tests, a second relay) published one batch and stopped. */
it('drain() publishes every batch even when the relay was never started', async () => {
  useTestEnvironment({ OUTBOX_BATCH_SIZE: '3' });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule, DatabaseModule.forRoot('aduan-test'), RedisModule, QueueModule],
    providers: [OutboxRelay],
  }).compile();
  await moduleRef.init();
  const db = moduleRef.get(DataSource);
  try {
    await db.query(`UPDATE outbox_message SET published_at = now() WHERE published_at IS NULL`);
    const s = new SqlStatement();
    await db.query(insertOutboxSql(s, Array.from({ length: 10 }, () => outboxMessage(JobName.RouteComplaint, { complaintId: randomUUID() }))), s.params);
    expect(await moduleRef.get(OutboxRelay).drain()).toBe(10);
  } finally {
    await moduleRef.get(QueueRegistry).queue(QueueName.Routing).obliterate({ force: true });
    await moduleRef.close();
  }
});
