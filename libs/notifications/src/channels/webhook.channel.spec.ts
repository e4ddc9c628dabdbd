import type { AppConfig } from '@aduan/platform';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DeliveryError } from './delivery-error';
import { WebhookChannel } from './webhook.channel';
import { verifyWebhookSignature } from './webhook-signature';

const SECRET = 'a-shared-secret-of-at-least-32-characters';

describe('WebhookChannel', () => {
  let server: Server;
  let port: number;
  const received: { path: string; rawBody: string; verified: boolean; notification: unknown }[] = [];

  const channel = (path: string, timeoutMs = 2000, at = port) =>
    new WebhookChannel({ WEBHOOK_URL: `http://127.0.0.1:${at}${path}`, WEBHOOK_SECRET: SECRET, WEBHOOK_TIMEOUT_MS: timeoutMs } as AppConfig);
  const reason = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof DeliveryError ? e.message : `unexpected ${String(e)}`));

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const h = (name: string) => req.headers[name] as string | undefined;
        received.push({ path: req.url ?? '', rawBody, verified: verifyWebhookSignature({ secret: SECRET, rawBody, timestamp: h('x-aduan-timestamp'), signature: h('x-aduan-signature') }), notification: h('x-aduan-notification') });
        if (req.url === '/ok') res.writeHead(204).end();
        else if (req.url === '/moved') res.writeHead(302, { location: `http://127.0.0.1:${port}/ok` }).end();
        else if (req.url === '/slow') setTimeout(() => res.writeHead(204).end(), 1000);
        else res.writeHead(500).end('database password is hunter2');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is off without a URL', () => {
    expect(new WebhookChannel({ WEBHOOK_TIMEOUT_MS: 1000 } as AppConfig).enabled).toBe(false);
    expect(channel('/ok').enabled).toBe(true);
  });

  it('POSTs the JSON signed over its raw bytes, with the notification id', async () => {
    await channel('/ok').send('n-1', { id: 'n-1', subject: 'Pengaduan ADN-261122-ABCDEF ditutup / Complaint closed' });
    const last = received[received.length - 1];
    expect(last).toMatchObject({ path: '/ok', verified: true, notification: 'n-1' });
    expect(JSON.parse(last.rawBody)).toEqual({ id: 'n-1', subject: 'Pengaduan ADN-261122-ABCDEF ditutup / Complaint closed' });
  });

  it('fails with a bare code: an error status (never the answer’s text), a redirect it does not follow, a timeout, a refused connection', async () => {
    expect(await reason(channel('/error').send('n-2', {}))).toBe('http 500');
    const before = received.length;
    expect(await reason(channel('/moved').send('n-3', {}))).toBe('http 302');
    expect(received.slice(before).map((r) => r.path)).toEqual(['/moved']);
    expect(await reason(channel('/slow', 200).send('n-4', {}))).toBe('timeout');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unused = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await reason(channel('/ok', 1000, unused).send('n-5', {}))).toBe('ECONNREFUSED');
  });
});
