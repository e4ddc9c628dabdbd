import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { DeliveryError, safeCode } from './delivery-error';

/** One plain-text mail to one recipient. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** the notification id, as a header, so a mail can be traced back to its row */
  notificationId: string;
}

/**
 * Email over SMTP with nodemailer, on when `SMTP_HOST` is set. One mail per recipient: the
 * officials of a unit do not see each other's addresses, and each send succeeds or fails on its
 * own in the delivery ledger. Failures surface as a `DeliveryError` carrying only the SMTP reply
 * code and nodemailer's error code.
 */
@Injectable()
export class EmailChannel implements OnApplicationShutdown {
  private readonly transport: Transporter | null;
  private readonly from: string | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.from = config.SMTP_FROM ?? null;
    this.transport = config.SMTP_HOST
      ? createTransport({
          host: config.SMTP_HOST,
          port: config.SMTP_PORT ?? (config.SMTP_SECURE ? 465 : 587),
          secure: config.SMTP_SECURE,
          auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD } : undefined,
          // Bounded so a hung server fails the attempt (and BullMQ retries) instead of holding the job.
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(message: EmailMessage): Promise<void> {
    if (!this.transport || !this.from) throw new DeliveryError('email channel off');
    try {
      await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        headers: { 'X-Aduan-Notification': message.notificationId, 'Content-Language': 'id, en' },
      });
    } catch (error) {
      const e = error as { code?: unknown; responseCode?: unknown };
      const reply = typeof e.responseCode === 'number' ? ` ${e.responseCode}` : '';
      throw new DeliveryError(`smtp ${safeCode(e.code) ?? 'error'}${reply}`);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
