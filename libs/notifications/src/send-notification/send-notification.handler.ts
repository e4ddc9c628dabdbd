import { APP_CONFIG, AppConfig, claimMessage } from '@aduan/platform';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { renderNotice } from '../templates/templates';
import { SendNotificationCommand, SendNotificationResult } from './send-notification.command';

/**
 * Renders a notice (both languages) and records it. Delivery channels — email over SMTP and a
 * signed webhook — are not built yet; until they are, a rendered notice is where the pipeline
 * ends, visible in the `notification` table with its status.
 */
@CommandHandler(SendNotificationCommand)
export class SendNotificationHandler implements ICommandHandler<SendNotificationCommand, SendNotificationResult> {
  constructor(private readonly dataSource: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async execute({ notificationId, consumer, messageId }: SendNotificationCommand): Promise<SendNotificationResult> {
    return this.dataSource.transaction(async (m) => {
      if (!(await claimMessage(m, consumer, messageId))) return 'duplicate';
      const [n]: { template: string; data: Record<string, unknown>; tracking_number: string | null; unit_name: string | null }[] = await m.query(
        `SELECT n.template, n.data, c.tracking_number,
                (SELECT u.name FROM unit u WHERE u.id = COALESCE(n.unit_id, (n.data->>'unit_id')::uuid, c.current_unit_id)) AS unit_name
           FROM notification n LEFT JOIN complaint c ON c.id = n.complaint_id
          WHERE n.id = $1 FOR UPDATE OF n`,
        [notificationId],
      );
      if (!n) return 'gone';
      const base = this.config.PUBLIC_URL ?? `http://localhost:${this.config.PORT}`;
      const notice = renderNotice(n.template, { trackingNumber: n.tracking_number ?? '-', unitName: n.unit_name, trackingUrl: `${base.replace(/\/$/, '')}/lacak`, data: n.data });
      if (!notice) throw new Error(`no template ${n.template}`);
      await m.query(
        `UPDATE notification SET status = 'rendered', subject = $2, body = $3, detail = 'no delivery channel configured', updated_at = now() WHERE id = $1`,
        [notificationId, notice.subject, notice.body],
      );
      return 'rendered';
    });
  }
}
