import { AuditModule } from '@aduan/audit';
import { DirectoryModule } from '@aduan/directory';
import { NotificationsModule, SendNotificationsCommand } from '@aduan/notifications';
import { SlaModule } from '@aduan/sla';
import { BatchOutcome, ConfigModule, DatabaseModule, JobName, QueueModule, RedisModule } from '@aduan/platform';
import { INestApplicationContext } from '@nestjs/common';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { call, complaintBody, Harness, startHarness, writeCounts } from '../support/harness';

/**
 * The `notification` queue's batch with no delivery channel configured, against real PostgreSQL:
 * the notices of a batch are rendered and recorded in one transaction, and a job run again
 * changes nothing. The notices come from the real pipeline (the api's bus routes and assigns),
 * and the handler runs in a module of its own, so no BullMQ worker competes for them.
 */
describe('settling a batch of notices without a delivery channel', () => {
  let h: Harness;
  let notifications: INestApplicationContext;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    notifications = await Test.createTestingModule({
      // The worker's modules without its queues and relay (WorkerHost), so nothing else settles these notices.
      imports: [ConfigModule, DatabaseModule.forRoot('aduan-test'), RedisModule, QueueModule, CqrsModule.forRoot(), DirectoryModule, AuditModule, SlaModule, NotificationsModule],
    }).compile();
    await notifications.init();
  });
  afterAll(async () => {
    await notifications?.close();
    await h.close();
  });

  /** Files `n` complaints and runs the worker's routing and assignment steps; answers the unit notices' outbox rows. */
  async function noticesOfNewComplaints(n: number): Promise<{ notificationId: string; messageId: string }[]> {
    const responses = await Promise.all(Array.from({ length: n }, () => call(h, 'POST', '/api/v1/complaints', { body: complaintBody() })));
    const numbers = responses.map((r) => r.body.tracking_number as string);
    await h.startWorker();
    await h.quiet();
    await h.stopWorker();
    const rows: { notification_id: string; message_id: string }[] = await h.db.query(
      `SELECT n.id AS notification_id, o.id AS message_id
         FROM notification n JOIN complaint c ON c.id = n.complaint_id
         JOIN outbox_message o ON o.job_name = $2 AND o.payload->>'notificationId' = n.id::text
        WHERE c.tracking_number = ANY($1)`,
      [numbers, JobName.SendNotification],
    );
    expect(rows).toHaveLength(n);
    return rows.map((r) => ({ notificationId: r.notification_id, messageId: r.message_id }));
  }

  const settle = async (requests: { notificationId: string; messageId: string }[]) => {
    const outcomes: BatchOutcome<string>[] = await notifications.get(CommandBus).execute(
      new SendNotificationsCommand(requests.map((r) => ({ ...r, attempt: { made: 0, max: 3 } })), JobName.SendNotification),
    );
    return outcomes.map((o) => (o.ok ? o.value : o.error));
  };

  it('renders each notice of a batch once; the batch again is all duplicates and writes nothing; a notice that is gone is said to be', async () => {
    const notices = await noticesOfNewComplaints(4);
    // The worker settled them already: reset them to a job not yet run, as if it had crashed before its commit.
    const ids = notices.map((n) => n.notificationId);
    await h.db.query(`UPDATE notification SET status = 'pending', subject = NULL, body = NULL WHERE id = ANY($1)`, [ids]);
    await h.db.query(`DELETE FROM processed_message WHERE consumer = $1 AND message_id = ANY($2)`, [JobName.SendNotification, notices.map((n) => n.messageId)]);

    const gone = { notificationId: randomUUID(), messageId: randomUUID() };
    expect(await settle([...notices, gone])).toEqual(['rendered', 'rendered', 'rendered', 'rendered', 'gone']);
    const rows: { status: string; subject: string | null; body: string | null }[] = await h.db.query(`SELECT status, subject, body FROM notification WHERE id = ANY($1)`, [ids]);
    expect(rows.map((r) => r.status)).toEqual(Array(4).fill('rendered'));
    expect(rows.every((r) => r.subject && r.body)).toBe(true);

    const before = await writeCounts(h.db);
    const [{ updated }]: { updated: string }[] = await h.db.query(`SELECT max(updated_at)::text AS updated FROM notification WHERE id = ANY($1)`, [ids]);
    expect(await settle(notices)).toEqual(Array(4).fill('duplicate'));
    expect(await writeCounts(h.db)).toEqual(before);
    expect((await h.db.query(`SELECT max(updated_at)::text AS updated FROM notification WHERE id = ANY($1)`, [ids]))[0].updated).toBe(updated);
  });
});
