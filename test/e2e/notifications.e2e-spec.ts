import { SendNotificationCommand, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, WebhookNotice } from '@aduan/notifications';
import { JobName, QueueName, QueueRegistry } from '@aduan/platform';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { call, complaintBody, eventually, Harness, loginAdmin, startHarness, writeCounts } from '../support/harness';

interface Mail {
  to: string[];
  subject: string;
  text: string;
  notificationId: string;
}

interface Hook {
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  payload: WebhookNotice;
  verified: boolean;
  answered: number;
}

const SECRET = 'webhook-secret-shared-with-the-sms-gateway';

/** Quoted-printable (RFC 2045) to text. */
function decodeQuotedPrintable(text: string): string {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Encoded words (RFC 2047) in a header to text. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

/** Just enough of a MIME parser for the single-part text mails Aduan sends. */
function parseMail(raw: string, to: string[]): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n');
  const header = (name: string) => headers.find((h) => h.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
  let text = raw.slice(split + 4);
  const encoding = header('content-transfer-encoding').toLowerCase();
  if (encoding === 'quoted-printable') text = decodeQuotedPrintable(text);
  if (encoding === 'base64') text = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
  return { to, subject: decodeWords(header('subject')), text: text.replace(/\r\n/g, '\n').trim(), notificationId: header('x-aduan-notification') };
}

/** A real SMTP server on 127.0.0.1 (no TLS, no auth) that keeps what it receives. */
class MailCatcher {
  readonly mails: Mail[] = [];
  /** RCPT TO commands seen per address, accepted or not */
  readonly rcpt = new Map<string, number>();
  /** addresses answered with 550 */
  readonly refuse = new Set<string>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      const to = address.address.toLowerCase();
      this.rcpt.set(to, (this.rcpt.get(to) ?? 0) + 1);
      if (!this.refuse.has(to)) return callback();
      callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        this.mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((a) => a.address.toLowerCase())));
        callback();
      });
    },
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  for(notificationId: string): Mail[] {
    return this.mails.filter((m) => m.notificationId === notificationId);
  }
}

/** A real HTTP receiver that checks each request's signature and answers as `answer` says. */
class HookReceiver {
  readonly hooks: Hook[] = [];
  answer: (payload: WebhookNotice, seen: number) => { status: number; delayMs?: number } = () => ({ status: 204 });
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const timestamp = req.headers[WEBHOOK_TIMESTAMP_HEADER] as string | undefined;
      const signature = req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined;
      const payload = JSON.parse(rawBody) as WebhookNotice;
      const seen = this.hooks.filter((h) => h.payload.id === payload.id).length;
      const { status, delayMs } = this.answer(payload, seen);
      this.hooks.push({ rawBody, timestamp, signature, payload, verified: verifyWebhookSignature({ secret: SECRET, rawBody, timestamp, signature }), answered: status });
      setTimeout(() => res.writeHead(status).end(), delayMs ?? 0);
    });
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  for(notificationId: string): Hook[] {
    return this.hooks.filter((h) => h.payload.id === notificationId);
  }
}

interface NoticeRow {
  id: string;
  template: string;
  audience: string;
  status: string;
  detail: string | null;
}

describe('notifications: email over SMTP and a signed webhook', () => {
  const smtp = new MailCatcher();
  const hook = new HookReceiver();
  let h: Harness;
  let admin: string;
  let lurah: string;
  const LURAH_EMAIL = 'lurah.serang@serangkota.test';
  const INSPEKTORAT_EMAIL = 'inspektorat@serangkota.test';

  const act = (token: string, tn: string, action: string, body: unknown = {}) => call(h, 'POST', `/api/v1/complaints/${tn}/${action}`, { token, body });
  const resident = (tn: string, code: string, path: string, body: unknown) => call(h, 'POST', `/api/v1/complaints/${tn}/${path}`, { headers: { 'x-access-code': code }, body });
  const notices = (tn: string): Promise<NoticeRow[]> =>
    h.db.query(
      `SELECT n.id, n.template, n.audience, n.status, n.detail FROM notification n JOIN complaint c ON c.id = n.complaint_id
        WHERE c.tracking_number = $1 ORDER BY n.created_at, n.template`,
      [tn],
    );
  const notice = async (tn: string, template: string) => (await notices(tn)).find((n) => n.template === template);
  /** Every notice of the complaint has ended: sent, failed, or rendered with nothing to deliver. */
  const settled = async (tn: string) => {
    const all = await notices(tn);
    return all.length > 0 && all.every((n) => n.status === 'sent' || n.status === 'failed' || (n.status === 'rendered' && n.detail !== null && !n.detail.startsWith('attempt')));
  };
  const ledger = (notificationId: string): Promise<{ channel: string; recipient: string; status: string; attempts: number; last_error: string | null; address_hash: string | null }[]> =>
    h.db.query(`SELECT channel, recipient, status, attempts, last_error, address_hash FROM notification_delivery WHERE notification_id = $1 ORDER BY channel, recipient`, [notificationId]);
  const file = async (overrides: Record<string, unknown> = {}) => {
    const res = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody(overrides) });
    expect(res.status).toBe(201);
    const tn: string = res.body.tracking_number;
    // The unit is told of every assignment; the resident only when they left a way to be reached.
    await eventually(async () => (await notice(tn, 'unit.assigned')) !== undefined, 15_000, 'routing');
    return { tn, code: res.body.access_code as string };
  };
  const official = async (unit: string, email: string | undefined, roles = ['handler']) => {
    const username = `petugas-${randomUUID().slice(0, 8)}`;
    const password = 'kata sandi yang cukup panjang';
    const res = await call(h, 'POST', '/api/v1/admin/officials', { token: admin, body: { username, name: 'Petugas', password, unit, roles, ...(email ? { email } : {}) } });
    expect(res.status).toBe(201);
    const login = await call(h, 'POST', '/api/v1/auth/login', { body: { username, password } });
    return { id: res.body.id as string, token: login.body.access_token as string, body: res.body };
  };

  beforeAll(async () => {
    const smtpPort = await smtp.start();
    const hookPort = await hook.start();
    h = await startHarness({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtpPort),
        SMTP_FROM: 'Aduan Kota Serang <aduan@serangkota.test>',
        WEBHOOK_URL: `http://127.0.0.1:${hookPort}/aduan`,
        WEBHOOK_SECRET: SECRET,
        WEBHOOK_TIMEOUT_MS: '2000',
        // Three quick attempts keep the failure cases short; production defaults are 10 from 5 s.
        NOTIFY_ATTEMPTS: '3',
        NOTIFY_BACKOFF_MS: '100',
      },
    });
    admin = await loginAdmin(h);
    const first = await official('KEL.36.73.01.1001', LURAH_EMAIL);
    lurah = first.token;
    expect(first.body.email).toBe(LURAH_EMAIL);
    // The same mailbox given twice (another case), a colleague without email, one who left.
    await official('KEL.36.73.01.1001', 'Lurah.Serang@serangkota.test');
    await official('KEL.36.73.01.1001', undefined);
    const gone = await official('KEL.36.73.01.1001', 'pensiun@serangkota.test');
    await h.db.query(`UPDATE official SET active = false WHERE id = $1`, [gone.id]);
    await official('INSP.36.73', INSPEKTORAT_EMAIL, ['inspector']);
  });

  afterAll(async () => {
    // The SLA drill must not outlive this file: later files share the database.
    await h.db.query(`DELETE FROM sla_policy WHERE tenant_code = '36.73' AND category_code = 'KETERTIBAN_UMUM'`);
    await h.close();
    await Promise.all([smtp.close(), hook.close()]);
  });

  it('lets the admin record an official’s email; a malformed one is 422 and writes nothing', async () => {
    const before = await writeCounts(h.db);
    const res = await call(h, 'POST', '/api/v1/admin/officials', {
      token: admin,
      body: { username: 'lurah.tanpa.surel', name: 'L', password: 'kata sandi yang cukup panjang', unit: 'KEL.36.73.01.1001', roles: ['handler'], email: 'bukan surel' },
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await writeCounts(h.db)).toEqual(before);
  });

  it('mails a resident who left an email on routing, a question, the resolution and the closing: Bahasa Indonesia first, the tracking link, never the access code', async () => {
    const reporter = { name: 'Siti Aminah', phone: '+62 812-1111-2222', email: 'Siti.Aminah@warga.test' };
    const { tn, code } = await file({ reporter });
    expect((await act(lurah, tn, 'request-info', { question: 'Di sisi mana tumpukan sampahnya?' })).status).toBe(200);
    expect((await resident(tn, code, 'replies', { message: 'Di sisi timur pasar, dekat parkiran.' })).status).toBeLessThan(300);
    expect((await act(lurah, tn, 'resolve', { resolution: 'Sampah sudah diangkut oleh DLH.' })).status).toBe(200);
    expect((await resident(tn, code, 'feedback', { satisfied: true, rating: 5 })).status).toBeLessThan(300);
    await eventually(() => settled(tn), 15_000, 'every notice delivered');

    const words: Record<string, [string, string]> = {
      'resident.routed': ['Pengaduan Anda telah diteruskan', 'Your complaint was passed'],
      'resident.info_requested': ['Petugas membutuhkan keterangan tambahan', 'The officer needs more information'],
      'resident.resolved': ['Apakah masalah Anda sudah selesai', 'Is your problem solved'],
      'resident.closed': ['Terima kasih', 'Thank you'],
    };
    const mine = (await notices(tn)).filter((n) => n.audience === 'resident');
    expect(mine.map((n) => n.template)).toEqual(Object.keys(words));
    for (const n of mine) {
      expect(n.status).toBe('sent');
      const mails = smtp.for(n.id);
      expect(mails).toHaveLength(1);
      const [mail] = mails;
      expect(mail.to).toEqual(['siti.aminah@warga.test']);
      expect(mail.subject).toContain(tn);
      expect(mail.subject.indexOf(' / ')).toBeGreaterThan(0);
      const [id, en] = words[n.template];
      expect(mail.text.indexOf(id)).toBeGreaterThanOrEqual(0);
      expect(mail.text.indexOf(en)).toBeGreaterThan(mail.text.indexOf(id));
      expect(mail.text).toContain('/lacak');
      expect(mail.text).not.toContain(code);
      expect(mail.subject).not.toContain(code);
      // The webhook has the same notice, with the phone the resident left (see webhook-payload.ts).
      const hooks = hook.for(n.id);
      expect(hooks).toHaveLength(1);
      expect(hooks[0].payload).toMatchObject({ audience: 'resident', template: n.template, tracking_number: tn, resident_phone: reporter.phone });
      expect(hooks[0].payload.body).toBe(mail.text.replace(/\n{3,}/g, '\n\n'));
      expect(await ledger(n.id)).toEqual([
        { channel: 'email', recipient: 'resident', status: 'sent', attempts: 1, last_error: null, address_hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { channel: 'webhook', recipient: 'webhook', status: 'sent', attempts: 1, last_error: null, address_hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ]);
    }
    // Nobody else's mail carries the access code either.
    expect(smtp.mails.some((m) => m.text.includes(code) || m.subject.includes(code))).toBe(false);
  });

  it('writes no notice for a resident who left no name, phone or email; the unit is still told', async () => {
    const { tn } = await file();
    await eventually(() => settled(tn), 15_000, 'every notice delivered');
    expect((await notices(tn)).map((n) => `${n.audience} ${n.template}`)).toEqual(['unit unit.assigned']);
    const assigned = (await notice(tn, 'unit.assigned'))!;
    expect(assigned.status).toBe('sent');
    expect(hook.for(assigned.id)).toHaveLength(1);
  });

  it('sends no mail to a resident who left only a phone; the webhook has each notice, with the phone', async () => {
    const phone = '+62 812-0000-0042';
    const { tn } = await file({ reporter: { phone } });
    await eventually(() => settled(tn), 15_000, 'every notice delivered');
    const routed = (await notice(tn, 'resident.routed'))!;
    expect(routed.status).toBe('sent');
    expect(smtp.for(routed.id)).toEqual([]);
    expect((await ledger(routed.id)).map((r) => `${r.channel} ${r.recipient} ${r.status}`)).toEqual(['webhook webhook sent']);
    expect(hook.for(routed.id).map((x) => x.payload.resident_phone)).toEqual([phone]);
  });

  it('mails each active official of the unit who has an email about a new assignment, once per mailbox', async () => {
    const { tn } = await file();
    await eventually(() => settled(tn), 15_000, 'every notice delivered');
    const assigned = (await notice(tn, 'unit.assigned'))!;
    expect(assigned.status).toBe('sent');
    const mails = smtp.for(assigned.id);
    expect(mails.map((m) => m.to)).toEqual([[LURAH_EMAIL]]);
    expect(mails[0].subject).toBe(`Pengaduan baru ${tn} / New complaint ${tn}`);
    expect(mails[0].text).toMatch(/^Pengaduan baru masuk ke kotak masuk Kelurahan Serang[\s\S]+\n\nA new complaint is in/);
    expect(hook.for(assigned.id)[0].payload).toMatchObject({ audience: 'unit', unit: { code: 'KEL.36.73.01.1001' }, resident_phone: null });
  });

  it('reminds the unit before the deadline and tells the Inspektorat of each breach', async () => {
    const drill = await call(h, 'PUT', '/api/v1/admin/sla/KETERTIBAN_UMUM?tenant=36.73', {
      token: admin,
      body: { first_response: { duration: 'PT2S' }, resolution: { duration: 'PT3S' } },
    });
    expect(drill.status).toBe(200);
    const { tn } = await file({ category: 'KETERTIBAN_UMUM', reporter: { phone: '+62 813-3333-4444' } });
    const breach = await eventually(async () => {
      const n = (await notices(tn)).find((x) => x.template === 'inspektorat.breach' && x.status === 'sent');
      return n && smtp.for(n.id).length > 0 ? n : null;
    }, 15_000, 'a breach notice mailed');
    const [mail] = smtp.for(breach.id);
    expect(mail.to).toEqual([INSPEKTORAT_EMAIL]);
    expect(mail.subject).toBe(`Pelanggaran batas waktu: ${tn} / Deadline breach: ${tn}`);
    expect(mail.text).toContain('Batas tanggapan pertama');
    expect(hook.for(breach.id)[0].payload).toMatchObject({ audience: 'inspektorat', template: 'inspektorat.breach', resident_phone: null });
    const reminder = (await notice(tn, 'unit.reminder'))!;
    await eventually(async () => smtp.for(reminder.id).length === 1, 10_000, 'the reminder mailed');
    expect(smtp.for(reminder.id)[0]).toMatchObject({ to: [LURAH_EMAIL], subject: expect.stringContaining(`Pengingat: ${tn}`) });
  });

  it('signs every webhook request so the receiver can check it, and a tampered one fails the check', async () => {
    expect(hook.hooks.length).toBeGreaterThan(5);
    expect(hook.hooks.every((x) => x.verified)).toBe(true);
    const sample = hook.hooks[0];
    expect(sample.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret: SECRET, rawBody: sample.rawBody, timestamp: sample.timestamp, signature: sample.signature })).toBe(true);
    expect(verifyWebhookSignature({ secret: SECRET, rawBody: sample.rawBody.replace('"audience":"', '"audience":"x'), timestamp: sample.timestamp, signature: sample.signature })).toBe(false);
    expect(verifyWebhookSignature({ secret: 'another-secret-of-at-least-32-characters', rawBody: sample.rawBody, timestamp: sample.timestamp, signature: sample.signature })).toBe(false);
    expect(verifyWebhookSignature({ secret: SECRET, rawBody: sample.rawBody, timestamp: String(Number(sample.timestamp) + 1), signature: sample.signature })).toBe(false);
  });

  it('retries a mail the server refuses, then shows the notice as failed, sends the webhook only once, and the complaint moves on', async () => {
    smtp.refuse.add('tolak@warga.test');
    const { tn } = await file({ reporter: { email: 'tolak@warga.test' } });
    const routed = await eventually(async () => {
      const n = await notice(tn, 'resident.routed');
      return n?.status === 'failed' ? n : null;
    }, 15_000, 'the notice to give up');
    expect(routed.detail).toMatch(/^gave up after 3 attempts: email: 0 sent, 1 not \(resident: smtp [A-Z]+ 550\); webhook: 1 sent$/);
    expect(routed.detail).not.toContain('tolak');
    expect(smtp.rcpt.get('tolak@warga.test')).toBe(3);
    expect(hook.for(routed.id)).toHaveLength(1);
    expect((await ledger(routed.id)).map((r) => [r.channel, r.status, r.attempts])).toEqual([
      ['email', 'failed', 3],
      ['webhook', 'sent', 1],
    ]);
    // BullMQ tried three times and keeps the job as failed; the outbox reconciler leaves it alone.
    // The job that carries the notice's outbox row (its own, or the envelope the row names).
    const [{ id: jobId }]: { id: string }[] = await h.db.query(`SELECT COALESCE(job_id, id::text) AS id FROM outbox_message WHERE payload->>'notificationId' = $1`, [routed.id]);
    const job = await h.api.get(QueueRegistry).queue(QueueName.Notification).getJob(jobId);
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(3);
    expect(job!.failedReason).not.toContain('tolak');
    // The complaint's own flow did not wait for any of it.
    expect((await act(lurah, tn, 'acknowledge')).body.status).toBe('in_progress');
  });

  it('retries a webhook answering 500: one that recovers ends sent, one that never does ends failed; the mail already sent is not sent again', async () => {
    hook.answer = (p, seen) => {
      if (p.resident_phone === '+62 800-0000-0500') return { status: 500 };
      if (p.resident_phone === '+62 800-0000-0503') return { status: seen === 0 ? 503 : 204 };
      return { status: 204 };
    };
    try {
      const broken = await file({ reporter: { email: 'gerbang.rusak@warga.test', phone: '+62 800-0000-0500' } });
      const flaky = await file({ reporter: { email: 'gerbang.tersendat@warga.test', phone: '+62 800-0000-0503' } });
      const failed = await eventually(async () => {
        const n = await notice(broken.tn, 'resident.routed');
        return n?.status === 'failed' ? n : null;
      }, 15_000, 'the webhook to be given up');
      expect(failed.detail).toBe('gave up after 3 attempts: email: 1 sent; webhook: 0 sent, 1 not (webhook: http 500)');
      expect(hook.for(failed.id).map((x) => x.answered)).toEqual([500, 500, 500]);
      expect(smtp.for(failed.id)).toHaveLength(1);
      const recovered = await eventually(async () => {
        const n = await notice(flaky.tn, 'resident.routed');
        return n?.status === 'sent' ? n : null;
      }, 15_000, 'the webhook to recover');
      expect(hook.for(recovered.id).map((x) => x.answered)).toEqual([503, 204]);
      expect(smtp.for(recovered.id)).toHaveLength(1);
      expect((await ledger(recovered.id)).map((r) => [r.channel, r.status, r.attempts])).toEqual([
        ['email', 'sent', 1],
        ['webhook', 'sent', 2],
      ]);
      expect((await act(lurah, broken.tn, 'acknowledge')).body.status).toBe('in_progress');
    } finally {
      hook.answer = () => ({ status: 204 });
    }
  });

  it('sends once when two runs of one job overlap (a stalled job picked up again)', async () => {
    const { tn } = await file();
    await eventually(() => settled(tn), 15_000, 'every notice delivered');
    const [{ complaint_id, unit_id }]: { complaint_id: string; unit_id: string }[] = await h.db.query(
      `SELECT c.id AS complaint_id, c.current_unit_id AS unit_id FROM complaint c WHERE c.tracking_number = $1`,
      [tn],
    );
    const id = randomUUID();
    await h.db.query(
      `INSERT INTO notification (id, complaint_id, audience, unit_id, template, data, status, created_at, updated_at)
       VALUES ($1, $2, 'unit', $3, 'unit.reminder', $4, 'pending', now(), now())`,
      [id, complaint_id, unit_id, JSON.stringify({ due_at: new Date().toISOString() })],
    );
    hook.answer = (p) => ({ status: 204, delayMs: p.id === id ? 500 : 0 });
    try {
      const bus = h.worker!.get(CommandBus);
      const messageId = randomUUID();
      const runs = await Promise.allSettled([0, 1].map(() => bus.execute(new SendNotificationCommand(id, JobName.SendNotification, messageId))));
      expect(runs.filter((r) => r.status === 'fulfilled' && r.value === 'sent')).toHaveLength(1);
      const other = runs.find((r) => !(r.status === 'fulfilled' && r.value === 'sent'))!;
      expect(other.status === 'fulfilled' ? other.value : (other.reason as Error).message).toMatch(/^duplicate$|still being sent by another run/);
    } finally {
      hook.answer = () => ({ status: 204 });
    }
    expect(hook.for(id)).toHaveLength(1);
    expect(smtp.for(id)).toHaveLength(1);
    expect((await h.db.query(`SELECT status FROM notification WHERE id = $1`, [id]))[0].status).toBe('sent');
  });

  it('keeps residents’ addresses out of every table but the encrypted identity, and out of every detail', async () => {
    const [row]: { everything: string }[] = await h.db.query(
      `SELECT concat_ws(' ',
         (SELECT string_agg(concat_ws(' ', n.subject, n.body, n.detail, n.data::text), ' ') FROM notification n),
         (SELECT string_agg(row_to_json(d)::text, ' ') FROM notification_delivery d),
         (SELECT string_agg(o.payload::text, ' ') FROM outbox_message o)) AS everything`,
    );
    for (const secret of ['Siti', 'siti.aminah', '812-1111-2222', 'tolak@', 'gerbang', '800-0000-0500', '813-3333-4444']) {
      expect(row.everything.toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });
});
