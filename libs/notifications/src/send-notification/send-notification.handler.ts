import { ReporterCipher } from '@aduan/complaints';
import { APP_CONFIG, AppConfig, BatchOutcome, claimMessage, claimMessagesSql, preparedQuery, SqlStatement } from '@aduan/platform';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource, EntityManager } from 'typeorm';
import { DeliveryError } from '../channels/delivery-error';
import { EmailChannel } from '../channels/email.channel';
import { webhookPayload } from '../channels/webhook-payload';
import { WebhookChannel } from '../channels/webhook.channel';
import { AddressHasher } from '../deliveries/address-hasher';
import { renderNotice, RenderedNotice } from '../templates/templates';
import { DeliveryTarget, lockNotice, lockNotices, NoticeRow, noticeTargets } from './notice-targets';
import { DeliveryAttempt, NotificationRequest, SendNotificationCommand, SendNotificationResult, SendNotificationsCommand } from './send-notification.command';

/**
 * How long a send owns its delivery row: longer than a send may take, so a live send is never
 * taken over. An email send is bounded by its timeouts (connect 10 s, greeting 10 s, a socket
 * idle 30 s), a webhook by WEBHOOK_TIMEOUT_MS; 15 s more for the clocks and the round trips.
 * A send cut off by a crash is retried once this lease (65 s by default) has run out.
 */
export function sendLeaseSeconds(webhookTimeoutMs: number): number {
  const EMAIL_SEND_SECONDS = 10 + 10 + 30;
  return Math.max(EMAIL_SEND_SECONDS, Math.ceil(webhookTimeoutMs / 1000)) + 15;
}
/** How many failed deliveries a `detail` names before it just counts. */
const DETAIL_ITEMS = 5;

/**
 * Thrown when a notice could not be delivered to everyone, so the queue retries it with backoff.
 * Its message names channels and recipients by role and errors by code: no address, no secret.
 */
export class NotificationDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotificationDeliveryError';
  }
}

interface Prepared {
  notice: NoticeRow;
  rendered: RenderedNotice;
  targets: DeliveryTarget[];
  residentPhone: string | null;
  emptyReason: string;
}

export interface LedgerRow {
  channel: string;
  recipient: string;
  status: string;
  last_error: string | null;
}

/**
 * Renders a notice (both languages) and delivers it through each configured channel.
 *
 * Every (channel, recipient) has a row in `notification_delivery`. A run sends only what is not
 * `sent` yet, each send under a lease on its row, so a retried or doubly-run job never sends
 * twice through a channel that already succeeded (a crash between a send and its record is the
 * one case that may repeat, after the lease: at-least-once, and the webhook carries the
 * notification id for receivers to drop a repeat). If anything is left unsent the job throws and
 * BullMQ retries with backoff (NOTIFY_ATTEMPTS, NOTIFY_BACKOFF_MS); the run that is the last
 * attempt records the notification as `failed` with a `detail`. Only a finished notice is
 * claimed in `processed_message`, so the outbox reconciler leaves it alone from then on.
 * Notices ride their own queue: nothing here blocks a complaint's own flow.
 */
@CommandHandler(SendNotificationCommand)
export class SendNotificationHandler implements ICommandHandler<SendNotificationCommand, SendNotificationResult> {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cipher: ReporterCipher,
    private readonly email: EmailChannel,
    private readonly webhook: WebhookChannel,
    private readonly hasher: AddressHasher,
  ) {}

  async execute(cmd: SendNotificationCommand): Promise<SendNotificationResult> {
    let prepared: Prepared | 'rendered' | 'duplicate' | 'gone';
    try {
      prepared = await this.dataSource.transaction((m) => this.prepare(m, cmd));
    } catch (error) {
      // A notice that cannot even be prepared (no template, an undecryptable identity) must still end visibly.
      if (isFinal(cmd.attempt)) await this.dataSource.transaction((m) => this.giveUp(m, cmd, 'could not be prepared'));
      throw error;
    }
    if (typeof prepared === 'string') return prepared;
    await Promise.all(prepared.targets.map((t) => this.deliver(prepared, t)));
    const outcome = await this.dataSource.transaction((m) => this.finish(m, cmd, prepared.emptyReason));
    if (outcome instanceof NotificationDeliveryError) throw outcome;
    return outcome;
  }

  /** Locks the row, renders it once, works out the recipients and lines up the ledger. */
  private async prepare(m: EntityManager, cmd: SendNotificationCommand): Promise<Prepared | 'rendered' | 'duplicate' | 'gone'> {
    const notice = await lockNotice(m, cmd.notificationId);
    if (!notice) return 'gone';
    if (await processed(m, cmd)) return 'duplicate';
    const rendered = this.render(notice);
    if (notice.subject === null || notice.body === null) {
      await m.query(`UPDATE notification SET status = 'rendered', subject = $2, body = $3, updated_at = now() WHERE id = $1`, [notice.id, rendered.subject, rendered.body]);
    }
    if (!this.delivering) {
      // Nothing configured: settle it here, in one transaction, as before channels existed.
      await claimMessage(m, cmd.consumer, cmd.messageId);
      await setStatus(m, notice.id, 'rendered', NO_CHANNEL);
      return 'rendered';
    }
    const { targets, residentPhone, emptyReason } = await noticeTargets(m, notice, { email: this.email, webhook: this.webhook, cipher: this.cipher });
    const keys = targets.map((t) => `${t.channel} ${t.recipient}`);
    await m.query(
      `INSERT INTO notification_delivery (id, notification_id, channel, recipient, status, attempts, created_at, updated_at)
       SELECT gen_random_uuid(), $1, t.channel, t.recipient, 'pending', 0, now(), now() FROM unnest($2::text[], $3::text[]) AS t(channel, recipient)
       ON CONFLICT (notification_id, channel, recipient) DO UPDATE SET status = 'pending', last_error = NULL, updated_at = now()
         WHERE notification_delivery.status = 'skipped'`,
      [notice.id, targets.map((t) => t.channel), targets.map((t) => t.recipient)],
    );
    // A recipient who went away since an earlier attempt (deactivated, email removed, channel switched off) is not waited for.
    await m.query(
      `UPDATE notification_delivery SET status = 'skipped', last_error = 'recipient no longer reachable', claimed_until = NULL, updated_at = now()
        WHERE notification_id = $1 AND status IN ('pending', 'failed') AND (channel || ' ' || recipient) <> ALL($2::text[])`,
      [notice.id, keys],
    );
    return { notice, rendered, targets, residentPhone, emptyReason };
  }

  /** The notice's text; a notice rendered by an earlier attempt keeps its text, so every retry sends the very same. */
  render(notice: NoticeRow): RenderedNotice {
    if (notice.subject !== null && notice.body !== null) return { subject: notice.subject, body: notice.body };
    const base = (this.config.PUBLIC_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/$/, '');
    const fresh = renderNotice(notice.template, { trackingNumber: notice.tracking_number ?? '-', unitName: notice.unit_name, trackingUrl: `${base}/lacak`, data: notice.data });
    if (!fresh) throw new Error(`no template ${notice.template}`);
    return fresh;
  }

  /** Whether any delivery channel is configured: without one a notice is only rendered and recorded. */
  get delivering(): boolean {
    return this.email.enabled || this.webhook.enabled;
  }

  /** One send, if its row is not sent yet and nobody else holds it; the outcome goes to the ledger. */
  private async deliver(p: Prepared, target: DeliveryTarget): Promise<void> {
    // In a CTE so the driver answers with the rows (TypeORM returns [rows, count] for a bare UPDATE).
    const claimed: { id: string }[] = await this.dataSource.query(
      `WITH c AS (
         UPDATE notification_delivery SET status = 'sending', attempts = attempts + 1, claimed_until = now() + make_interval(secs => $4),
                address_hash = $5, updated_at = now()
          WHERE notification_id = $1 AND channel = $2 AND recipient = $3
            AND (status IN ('pending', 'failed') OR (status = 'sending' AND claimed_until < now()))
          RETURNING id)
       SELECT id FROM c`,
      [p.notice.id, target.channel, target.recipient, sendLeaseSeconds(this.config.WEBHOOK_TIMEOUT_MS), this.hasher.hash(target.address)],
    );
    if (claimed.length === 0) return;
    let error: string | null = null;
    try {
      if (target.channel === 'email') {
        await this.email.send({ to: target.address, subject: p.rendered.subject, text: p.rendered.body, notificationId: p.notice.id });
      } else {
        await this.webhook.send(p.notice.id, webhookPayload(p.notice, p.rendered, p.residentPhone));
      }
    } catch (e) {
      error = e instanceof DeliveryError ? e.reason : 'internal error';
    }
    await this.dataSource.query(
      error === null
        ? `UPDATE notification_delivery SET status = 'sent', sent_at = now(), last_error = NULL, claimed_until = NULL, updated_at = now() WHERE id = $1`
        : `UPDATE notification_delivery SET status = 'failed', last_error = $2, claimed_until = NULL, updated_at = now() WHERE id = $1 AND status = 'sending'`,
      error === null ? [claimed[0].id] : [claimed[0].id, error],
    );
  }

  /** Settles the notification from its ledger: sent, nothing to deliver, retry, or failed for good. */
  private async finish(m: EntityManager, cmd: SendNotificationCommand, emptyReason: string): Promise<SendNotificationResult | NotificationDeliveryError> {
    const notice = await lockNotice(m, cmd.notificationId);
    if (!notice) return 'gone';
    if (await processed(m, cmd)) return 'duplicate';
    const rows: LedgerRow[] = await m.query(
      `SELECT channel, recipient, status, last_error FROM notification_delivery WHERE notification_id = $1 AND status <> 'skipped' ORDER BY channel, recipient`,
      [notice.id],
    );
    const verdict = settlement(rows, cmd.attempt, emptyReason);
    if (verdict.claim) await claimMessage(m, cmd.consumer, cmd.messageId);
    if (verdict.status) await setStatus(m, notice.id, verdict.status, verdict.detail);
    return verdict.retry === null ? verdict.result : new NotificationDeliveryError(`notification ${notice.id}: ${verdict.retry}`);
  }

  private async giveUp(m: EntityManager, cmd: SendNotificationCommand, why: string): Promise<void> {
    const notice = await lockNotice(m, cmd.notificationId);
    if (!notice || (await processed(m, cmd))) return;
    await claimMessage(m, cmd.consumer, cmd.messageId);
    await setStatus(m, notice.id, 'failed', `gave up after ${cmd.attempt.max} attempt${cmd.attempt.max === 1 ? '' : 's'}: the notice ${why}`);
  }
}

const NO_CHANNEL = 'no delivery channel configured';

/**
 * The `notification` queue's batches. With no delivery channel configured, a notice is only
 * rendered and recorded, so a batch is settled in one transaction of two statements (lock; then
 * the processed-message records and the rendered text together). With channels, each notice is
 * sent by SendNotificationHandler, a few at a time. A lone notice that cannot be settled takes
 * that path too, so it still ends as `failed` on its last attempt.
 */
@CommandHandler(SendNotificationsCommand)
export class SendNotificationsHandler implements ICommandHandler<SendNotificationsCommand, BatchOutcome<SendNotificationResult>[]> {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly single: SendNotificationHandler,
  ) {}

  async execute({ requests, consumer }: SendNotificationsCommand): Promise<BatchOutcome<SendNotificationResult>[]> {
    if (!this.single.delivering && new Set(requests.map((r) => r.notificationId)).size === requests.length) {
      try {
        return (await this.dataSource.transaction((m) => this.settle(m, requests, consumer))).map((value) => ({ ok: true, value }));
      } catch (error) {
        // A batch is split by the batcher; a lone notice that cannot be settled takes the full
        // path below, which records it as failed on its last attempt.
        if (requests.length > 1) throw error;
      }
    }
    // Sends hold pool connections while they wait on SMTP or HTTP: as many at once as WORKER_CONCURRENCY allows a batch.
    const limit = Math.max(1, Math.ceil(this.config.WORKER_CONCURRENCY / this.config.WORKER_BATCHES_IN_FLIGHT));
    return mapLimit(requests, limit, async (r): Promise<BatchOutcome<SendNotificationResult>> => {
      try {
        return { ok: true, value: await this.single.execute(new SendNotificationCommand(r.notificationId, consumer, r.messageId, r.attempt)) };
      } catch (error) {
        return { ok: false, error };
      }
    });
  }

  /**
   * Lock, render, then one statement that claims the messages and records the text of the notices
   * whose message it claimed: a duplicate job (claimed before) changes nothing.
   */
  private async settle(m: EntityManager, requests: readonly NotificationRequest[], consumer: string): Promise<SendNotificationResult[]> {
    const notices = await lockNotices(m, requests.map((r) => r.notificationId));
    const rendered: { request: NotificationRequest; subject: string; body: string }[] = [];
    for (const request of requests) {
      const notice = notices.get(request.notificationId);
      // A notice without a template throws: the batch is retried one by one and this one fails alone.
      if (notice) rendered.push({ request, ...this.single.render(notice) });
    }
    const claimed = new Set<string>();
    if (rendered.length > 0) {
      const st = new SqlStatement();
      const claim = claimMessagesSql(st, consumer, rendered.map((x) => x.request.messageId));
      const ids = st.param(rendered.map((x) => x.request.notificationId));
      const messageIds = st.param(rendered.map((x) => x.request.messageId));
      const subjects = st.param(rendered.map((x) => x.subject));
      const bodies = st.param(rendered.map((x) => x.body));
      const rows = await preparedQuery<{ id: string }>(
        m,
        'settle-notices',
        `WITH claimed AS (${claim})
         UPDATE notification n SET status = 'rendered', subject = v.subject, body = v.body, detail = ${st.param(NO_CHANNEL)}, updated_at = now()
           FROM unnest(${ids}::uuid[], ${messageIds}::text[], ${subjects}::text[], ${bodies}::text[]) AS v(id, message_id, subject, body)
           JOIN claimed ON claimed.message_id = v.message_id
          WHERE n.id = v.id
         RETURNING n.id`,
        st.params,
      );
      for (const row of rows) claimed.add(row.id);
    }
    return requests.map((r): SendNotificationResult => (!notices.has(r.notificationId) ? 'gone' : claimed.has(r.notificationId) ? 'rendered' : 'duplicate'));
  }
}

/** Runs `fn` over `items` with at most `limit` at once; results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * How a notice ends a run, from its ledger (the rows not skipped): whether its message is claimed
 * (it is finished), the status and detail it gets, and — unless it is done — why the job is retried.
 */
export type Settlement =
  | { claim: true; status: 'rendered' | 'sent'; detail: string; result: 'rendered' | 'sent'; retry: null }
  | { claim: boolean; status: 'rendered' | 'failed' | null; detail: string; result: null; retry: string };

export function settlement(rows: readonly LedgerRow[], attempt: DeliveryAttempt, emptyReason: string): Settlement {
  if (rows.length === 0) return { claim: true, status: 'rendered', detail: emptyReason, result: 'rendered', retry: null };
  const summary = summarise(rows);
  if (rows.every((r) => r.status === 'sent')) return { claim: true, status: 'sent', detail: summary, result: 'sent', retry: null };
  // Another run of this job holds a send (a stalled job picked up twice): it settles the notice.
  if (rows.some((r) => r.status === 'sending')) return { claim: false, status: null, detail: '', result: null, retry: 'still being sent by another run' };
  const { made, max } = attempt;
  if (isFinal(attempt)) return { claim: true, status: 'failed', detail: `gave up after ${max} attempt${max === 1 ? '' : 's'}: ${summary}`, result: null, retry: summary };
  return { claim: false, status: 'rendered', detail: `attempt ${made + 1} of ${max} failed, will retry: ${summary}`, result: null, retry: summary };
}

function isFinal(attempt: DeliveryAttempt): boolean {
  return attempt.made + 1 >= attempt.max;
}

async function processed(m: EntityManager, cmd: SendNotificationCommand): Promise<boolean> {
  const rows: unknown[] = await m.query(`SELECT 1 FROM processed_message WHERE consumer = $1 AND message_id = $2`, [cmd.consumer, cmd.messageId]);
  return rows.length > 0;
}

async function setStatus(m: EntityManager, id: string, status: 'rendered' | 'sent' | 'failed', detail: string): Promise<void> {
  await m.query(`UPDATE notification SET status = $2, detail = $3, updated_at = now() WHERE id = $1`, [id, status, detail]);
}

/** e.g. "email: 2 sent; webhook: 1 failed (webhook http 500)"; recipients by role, errors by code. */
function summarise(rows: readonly LedgerRow[]): string {
  const parts: string[] = [];
  for (const channel of [...new Set(rows.map((r) => r.channel))]) {
    const mine = rows.filter((r) => r.channel === channel);
    const sent = mine.filter((r) => r.status === 'sent').length;
    const open = mine.filter((r) => r.status !== 'sent');
    const named = open.slice(0, DETAIL_ITEMS).map((r) => `${r.recipient}: ${r.status === 'sending' ? 'in progress elsewhere' : (r.last_error ?? r.status)}`);
    if (open.length > DETAIL_ITEMS) named.push(`${open.length - DETAIL_ITEMS} more`);
    parts.push(`${channel}: ${sent} sent${open.length ? `, ${open.length} not (${named.join(', ')})` : ''}`);
  }
  return parts.join('; ');
}
