import { preparedQuery } from '@aduan/platform';
import { Audience, ReporterCipher, ReporterIdentity } from '@aduan/complaints';
import { EntityManager } from 'typeorm';
import { EmailChannel } from '../channels/email.channel';
import { WebhookChannel } from '../channels/webhook.channel';
import type { DeliveryChannel } from '../deliveries/notification-delivery.entity';

/** A notification row with what rendering and delivery need; read under the row's lock. */
export interface NoticeRow {
  id: string;
  audience: Audience;
  unit_id: string | null;
  template: string;
  data: Record<string, unknown>;
  subject: string | null;
  body: string | null;
  created_at: Date;
  complaint_id: string | null;
  tracking_number: string | null;
  reporter_ciphertext: string | null;
  reporter_key_id: string | null;
  unit_code: string | null;
  unit_name: string | null;
}

/** One send: through a channel, to a recipient named by role, at an address kept in memory only. */
export interface DeliveryTarget {
  channel: DeliveryChannel;
  /** `resident`, `official:<uuid>` or `webhook`: what the ledger records */
  recipient: string;
  address: string;
}

export interface NoticeTargets {
  targets: DeliveryTarget[];
  /** for the webhook payload of a resident's notice; see webhookPayload() */
  residentPhone: string | null;
  /** why there is nobody to deliver to, when there is nobody */
  emptyReason: string;
}

const NOTICE_SELECT = `SELECT n.id, n.audience, n.unit_id, n.template, n.data, n.subject, n.body, n.created_at, n.complaint_id,
            c.tracking_number, c.reporter_ciphertext, c.reporter_key_id, u.code AS unit_code, u.name AS unit_name
       FROM notification n
       LEFT JOIN complaint c ON c.id = n.complaint_id
       LEFT JOIN unit u ON u.id = COALESCE(n.unit_id, (n.data->>'unit_id')::uuid, c.current_unit_id)`;

/** Locks and reads a notification with its complaint's tracking number and the unit it names. */
export async function lockNotice(m: EntityManager, notificationId: string): Promise<NoticeRow | null> {
  const [row]: NoticeRow[] = await m.query(`${NOTICE_SELECT} WHERE n.id = $1 FOR UPDATE OF n`, [notificationId]);
  return row ?? null;
}

/** The same for several notifications, locked in id order (two batches cannot deadlock); missing ids are absent. */
export async function lockNotices(m: EntityManager, notificationIds: readonly string[]): Promise<Map<string, NoticeRow>> {
  const rows = await preparedQuery<NoticeRow>(m, 'lock-notices', `${NOTICE_SELECT} WHERE n.id = ANY($1::uuid[]) ORDER BY n.id FOR UPDATE OF n`, [notificationIds]);
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Who receives a notice through which channel (issue 5):
 * - the resident, by email, only if they left an email — anonymous or not: anonymity hides them
 *   from handlers, not from their own mailbox;
 * - a unit's notices (new assignment, reminder before a deadline, …) and the Inspektorat's breach
 *   notices, by email, to the active officials of `unit_id` who have an email, one mail each;
 * - the webhook, when configured, every notice.
 * The reporter's identity is decrypted here, in memory, and goes no further than the send.
 */
export async function noticeTargets(m: EntityManager, notice: NoticeRow, channels: { email: EmailChannel; webhook: WebhookChannel; cipher: ReporterCipher }): Promise<NoticeTargets> {
  const targets: DeliveryTarget[] = [];
  let residentPhone: string | null = null;
  let emptyReason = 'no delivery channel configured';
  if (channels.webhook.enabled) targets.push({ channel: 'webhook', recipient: 'webhook', address: channels.webhook.address });
  if (notice.audience === 'resident') {
    const identity = openIdentity(notice, channels.cipher);
    residentPhone = identity.phone?.trim() || null;
    if (channels.email.enabled) {
      emptyReason = 'the resident left no email';
      const email = identity.email?.trim();
      if (email) targets.push({ channel: 'email', recipient: 'resident', address: email });
    }
  } else if (channels.email.enabled) {
    emptyReason = 'no active official of the unit has an email';
    if (notice.unit_id) {
      const officials: { id: string; email: string }[] = await m.query(
        `SELECT id, email FROM official WHERE unit_id = $1 AND active AND email IS NOT NULL AND email <> '' ORDER BY id`,
        [notice.unit_id],
      );
      // A unit's shared mailbox given for several officials gets one mail, not several.
      const seen = new Set<string>();
      for (const o of officials) {
        const key = o.email.trim().toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        targets.push({ channel: 'email', recipient: `official:${o.id}`, address: o.email.trim() });
      }
    }
  }
  return { targets, residentPhone, emptyReason };
}

function openIdentity(notice: NoticeRow, cipher: ReporterCipher): ReporterIdentity {
  if (!notice.complaint_id || !notice.reporter_ciphertext || !notice.reporter_key_id) return {};
  try {
    return cipher.open({ keyId: notice.reporter_key_id, ciphertext: notice.reporter_ciphertext }, notice.complaint_id);
  } catch {
    // The cause (a missing key id, a failed tag check) says nothing secret, but keep one wording.
    throw new Error('the reporter identity could not be decrypted');
  }
}
