import type { Audience } from '@aduan/complaints';

/** The JSON body of a webhook request; the signature covers it byte for byte. */
export interface WebhookNotice {
  /** the notification id: the same on every retry, so a receiver can drop a repeat */
  id: string;
  audience: Audience;
  template: string;
  tracking_number: string | null;
  /** the unit the notice is about or addressed to */
  unit: { code: string; name: string } | null;
  /** Bahasa Indonesia first, English second (`subject` joined by " / ", `body` by a blank line) */
  subject: string;
  body: string;
  /** only on a resident's notice, and only if the resident left a phone number; see below */
  resident_phone: string | null;
  created_at: string;
}

/**
 * Builds the webhook body of a rendered notice.
 *
 * Privacy: the webhook is the delivery path to a resident's phone (an SMS or WhatsApp gateway),
 * and a gateway cannot deliver without the number, so a resident's notice carries the phone the
 * resident left — also when the complaint is anonymous, as their email gets its mail: anonymity
 * hides the reporter from handlers, it does not cut the resident off from news of their own
 * complaint. Everything else is minimised: no name, no email, no complaint text; the notice text
 * holds the tracking number, the unit's name and the tracking link, never the access code. The
 * number travels only over https (enforced at boot, http only to localhost), is never stored by
 * Aduan outside the encrypted identity (the ledger keeps a keyed hash of the webhook URL, not of
 * the phone), and is never on a unit's or the Inspektorat's notice.
 */
export function webhookPayload(
  notice: { id: string; audience: Audience; template: string; tracking_number: string | null; unit_code: string | null; unit_name: string | null; created_at: Date },
  rendered: { subject: string; body: string },
  residentPhone: string | null,
): WebhookNotice {
  return {
    id: notice.id,
    audience: notice.audience,
    template: notice.template,
    tracking_number: notice.tracking_number,
    unit: notice.unit_code && notice.unit_name ? { code: notice.unit_code, name: notice.unit_name } : null,
    subject: rendered.subject,
    body: rendered.body,
    resident_phone: notice.audience === 'resident' ? residentPhone : null,
    created_at: new Date(notice.created_at).toISOString(),
  };
}
