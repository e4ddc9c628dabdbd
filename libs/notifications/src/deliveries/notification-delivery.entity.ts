import { NotificationEntity } from '@aduan/complaints';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

export type DeliveryChannel = 'email' | 'webhook';
/** `sending` holds a lease (`claimed_until`) so two runs of one job never send at once; `skipped`: the recipient went away between attempts */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/**
 * One notice to one recipient through one channel: the ledger that makes a retried job send only
 * what has not gone out yet. It names the recipient by role (`resident`, `official:<id>`,
 * `webhook`) and keeps only a keyed hash of the address, so the ledger itself holds no resident's
 * email. `last_error` is a code (SMTP reply code, HTTP status), never a server's text, which may
 * quote the address.
 */
@Entity('notification_delivery')
@Index('notification_delivery_once_key', ['notificationId', 'channel', 'recipient'], { unique: true })
@Check('notification_delivery_channel_check', `channel IN ('email', 'webhook')`)
@Check('notification_delivery_status_check', `status IN ('pending', 'sending', 'sent', 'failed', 'skipped')`)
export class NotificationDeliveryEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'notification_id', type: 'uuid' })
  notificationId: string;

  @ManyToOne(() => NotificationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'notification_id' })
  notification?: NotificationEntity;

  @Column({ type: 'text' })
  channel: DeliveryChannel;

  /** who, by role: `resident`, `official:<uuid>` or `webhook` */
  @Column({ type: 'text' })
  recipient: string;

  /** HMAC-SHA256 of the address actually used (lower-cased email, or the webhook URL); never the address */
  @Column({ name: 'address_hash', type: 'text', nullable: true })
  addressHash: string | null;

  @Column({ type: 'text' })
  status: DeliveryStatus;

  /** sends tried, whatever their outcome */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** while `sending`: until when this run owns the send; an expired lease may be taken over */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
