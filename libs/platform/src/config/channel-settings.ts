import { z } from 'zod';

interface ChannelSettings {
  SMTP_HOST?: string;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  SMTP_FROM?: string;
  WEBHOOK_URL?: string;
  WEBHOOK_SECRET?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Rules between the notification channel settings. A channel nobody configured is simply off;
 * a channel half configured stops the process, because it would fail every notice quietly.
 * The webhook must be https (plain http only to this machine): its resident notices may carry
 * a phone number.
 */
export function checkChannelSettings(c: ChannelSettings, ctx: z.RefinementCtx): void {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (c.SMTP_HOST && !c.SMTP_FROM) problem('SMTP_FROM', 'SMTP_FROM is required when SMTP_HOST is set');
  if (!c.SMTP_HOST && (c.SMTP_FROM || c.SMTP_USER)) problem('SMTP_HOST', 'SMTP_HOST is required when other SMTP_* settings are set');
  if (Boolean(c.SMTP_USER) !== Boolean(c.SMTP_PASSWORD)) problem(c.SMTP_USER ? 'SMTP_PASSWORD' : 'SMTP_USER', 'SMTP_USER and SMTP_PASSWORD go together');
  if (c.WEBHOOK_URL) {
    if ((c.WEBHOOK_SECRET ?? '').length < 32) problem('WEBHOOK_SECRET', 'WEBHOOK_SECRET must be at least 32 characters when WEBHOOK_URL is set');
    const url = new URL(c.WEBHOOK_URL);
    if (url.protocol !== 'https:' && !LOOPBACK_HOSTS.has(url.hostname)) problem('WEBHOOK_URL', 'WEBHOOK_URL must be https:// (http only for localhost)');
    if (url.username || url.password) problem('WEBHOOK_URL', 'WEBHOOK_URL must not carry credentials; the signature authenticates');
  } else if (c.WEBHOOK_SECRET) {
    problem('WEBHOOK_URL', 'WEBHOOK_URL is required when WEBHOOK_SECRET is set');
  }
}
