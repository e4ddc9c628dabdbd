import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DeliveryError, safeCode } from './delivery-error';
import { signWebhook, WEBHOOK_NOTIFICATION_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './webhook-signature';

/**
 * The outgoing webhook, on when `WEBHOOK_URL` is set: every notice is POSTed there as JSON,
 * signed (see webhook-signature.ts), for an SMS or WhatsApp gateway. Any 2xx is success;
 * anything else, a redirect included (it is not followed: the payload would go where nobody
 * configured), a timeout or a refused connection fails the attempt.
 */
@Injectable()
export class WebhookChannel {
  private readonly url: string | null;
  private readonly secret: string;
  private readonly timeoutMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.url = config.WEBHOOK_URL ?? null;
    this.secret = config.WEBHOOK_SECRET ?? '';
    this.timeoutMs = config.WEBHOOK_TIMEOUT_MS;
  }

  get enabled(): boolean {
    return this.url !== null;
  }

  /** The address the ledger hashes: the URL, so a change of gateway shows. */
  get address(): string {
    return this.url ?? '';
  }

  async send(notificationId: string, payload: unknown): Promise<void> {
    if (!this.url) throw new DeliveryError('webhook channel off');
    const body = JSON.stringify(payload);
    // Stamped per attempt: the receiver's replay window runs from this send, not the first one.
    const timestamp = Math.floor(Date.now() / 1000);
    let status: number;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Aduan-Webhook/1',
          [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(this.secret, timestamp, body),
          [WEBHOOK_NOTIFICATION_HEADER]: notificationId,
        },
        body,
      });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
    } catch (error) {
      const e = error as { name?: unknown; cause?: { code?: unknown } };
      throw new DeliveryError(e.name === 'TimeoutError' ? 'timeout' : (safeCode(e.cause?.code) ?? 'unreachable'));
    }
    if (status < 200 || status >= 300) throw new DeliveryError(`http ${status}`);
  }
}
