import type { AppConfig } from '@aduan/platform';
import type { EmailChannel } from '../channels/email.channel';
import type { WebhookChannel } from '../channels/webhook.channel';
import type { NoticeRow } from './notice-targets';
import { LedgerRow, SendNotificationHandler, sendLeaseSeconds, settlement } from './send-notification.handler';

const row = (channel: string, recipient: string, status: string, last_error: string | null = null): LedgerRow => ({ channel, recipient, status, last_error });
const first = { made: 0, max: 3 };
const last = { made: 2, max: 3 };

describe('settlement', () => {
  it('settles a notice with nobody to deliver to as rendered, with the reason', () => {
    expect(settlement([], first, 'the resident left no contact')).toEqual({ claim: true, status: 'rendered', detail: 'the resident left no contact', result: 'rendered', retry: null });
  });

  it('settles a notice every channel sent as sent, counting per channel', () => {
    expect(settlement([row('email', 'resident', 'sent'), row('webhook', 'webhook', 'sent')], first, '-')).toEqual({
      claim: true, status: 'sent', detail: 'email: 1 sent; webhook: 1 sent', result: 'sent', retry: null,
    });
  });

  it('retries a failed send before the last attempt without claiming the message', () => {
    const verdict = settlement([row('email', 'resident', 'sent'), row('webhook', 'webhook', 'failed', 'webhook http 500')], first, '-');
    expect(verdict).toEqual({
      claim: false, status: 'rendered', detail: 'attempt 1 of 3 failed, will retry: email: 1 sent; webhook: 0 sent, 1 not (webhook: webhook http 500)',
      result: null, retry: 'email: 1 sent; webhook: 0 sent, 1 not (webhook: webhook http 500)',
    });
  });

  it('gives up on the last attempt: claimed, failed, and still an error for the queue', () => {
    const verdict = settlement([row('email', 'official:1', 'failed', 'smtp 550')], last, '-');
    expect(verdict).toMatchObject({ claim: true, status: 'failed', detail: 'gave up after 3 attempts: email: 0 sent, 1 not (official:1: smtp 550)', result: null });
    expect(settlement([row('email', 'official:1', 'failed', 'smtp 550')], { made: 0, max: 1 }, '-').detail).toMatch(/^gave up after 1 attempt: /);
  });

  it('leaves a notice another run is still sending to that run, whatever the attempt', () => {
    for (const attempt of [first, last]) {
      expect(settlement([row('email', 'resident', 'sending'), row('webhook', 'webhook', 'failed', 'timeout')], attempt, '-')).toEqual({
        claim: false, status: null, detail: '', result: null, retry: 'still being sent by another run',
      });
    }
  });

  it('names at most five failed recipients per channel, then counts the rest', () => {
    const rows = Array.from({ length: 7 }, (_, i) => row('email', `official:${i}`, 'failed', 'smtp 451'));
    expect(settlement(rows, first, '-').retry).toBe(
      'email: 0 sent, 7 not (official:0: smtp 451, official:1: smtp 451, official:2: smtp 451, official:3: smtp 451, official:4: smtp 451, 2 more)',
    );
  });
});

describe('sendLeaseSeconds', () => {
  it('outlasts the longest send: the email timeouts, or a slower webhook timeout', () => {
    expect(sendLeaseSeconds(10_000)).toBe(65);
    expect(sendLeaseSeconds(120_500)).toBe(136);
  });
});

describe('SendNotificationHandler', () => {
  const config = { PUBLIC_URL: 'https://aduan.example.go.id/', PORT: 3000, WEBHOOK_TIMEOUT_MS: 10_000 } as unknown as AppConfig;
  const channels = (email: boolean, webhook: boolean) =>
    new SendNotificationHandler(null as never, config, null as never, { enabled: email } as EmailChannel, { enabled: webhook } as WebhookChannel, null as never);
  const notice = (over: Partial<NoticeRow> = {}): NoticeRow => ({
    id: 'n1', audience: 'resident', unit_id: null, template: 'resident.resolved', data: {}, subject: null, body: null, created_at: new Date(),
    complaint_id: 'c1', tracking_number: 'ADN-261122-ABCDEF', reporter_ciphertext: null, reporter_key_id: null, unit_code: null, unit_name: null, ...over,
  });

  it('renders a fresh notice in both languages, linking the tracking page of PUBLIC_URL', () => {
    const rendered = channels(false, false).render(notice());
    expect(rendered.subject).toBe('Pengaduan ADN-261122-ABCDEF dinyatakan selesai / Complaint ADN-261122-ABCDEF marked resolved');
    expect(rendered.body).toContain('https://aduan.example.go.id/lacak');
  });

  it('keeps the text an earlier attempt rendered, so every retry sends the very same', () => {
    expect(channels(true, false).render(notice({ subject: 'S', body: 'B' }))).toEqual({ subject: 'S', body: 'B' });
  });

  it('refuses a template nobody wrote', () => {
    expect(() => channels(true, false).render(notice({ template: 'resident.unknown' }))).toThrow('no template resident.unknown');
  });

  it('delivers when any channel is configured, and only renders when none is', () => {
    expect([channels(false, false), channels(true, false), channels(false, true)].map((h) => h.delivering)).toEqual([false, true, true]);
  });
});
