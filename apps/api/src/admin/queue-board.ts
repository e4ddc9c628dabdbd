import { DirectoryAuditTrail, hasRole, Principal } from '@aduan/directory';
import { ALL_QUEUES, APP_CONFIG, AppConfig, problem, QueueRegistry, REDIS } from '@aduan/platform';
import { createBullBoard } from '@bull-board/api';
import { appRoutes } from '@bull-board/api/dist/routes.js';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { PAGE_CSP } from '../web/web.controller';
import { WebAssets } from '../web/web-assets';

export const QUEUE_BOARD_PATH = '/admin/queues';
const ENTER_PATH = `${QUEUE_BOARD_PATH}/enter`;
const COOKIE = 'aduan_queue_board';
/** A link from the console is used at once: it is good for a minute, once. */
export const QUEUE_BOARD_TICKET_SECONDS = 60;

/** The board's writes that may run (each audited first); every other write (pause, empty, add, obliterate, …) is refused. */
const ACTIONS: readonly { pattern: RegExp; event: string }[] = [
  { pattern: /^\/api\/queues\/([^/]+)\/retry\/([^/]+)$/, event: 'queues.retried' },
  { pattern: /^\/api\/queues\/([^/]+)\/clean\/([^/]+)$/, event: 'queues.cleaned' },
  { pattern: /^\/api\/queues\/([^/]+)\/([^/]+)\/retry$/, event: 'queues.job_retried' },
  { pattern: /^\/api\/queues\/([^/]+)\/([^/]+)\/clean$/, event: 'queues.job_cleaned' },
];

interface BoardSession {
  officialId: string;
  username: string;
  tenantCode: string | null;
  exp: number;
}

/** Signs and checks the board's tickets and cookie with a key of its own, derived from AUTH_TOKEN_SECRET. */
export class BoardSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('aduan queue board v1').digest();
  }

  sign(kind: 'ticket' | 'session', body: object): string {
    const payload = Buffer.from(JSON.stringify({ kind, ...body })).toString('base64url');
    return `${payload}.${createHmac('sha256', this.key).update(payload).digest('base64url')}`;
  }

  /** The body of a value this signer made for `kind` and that has not expired; null otherwise. */
  verify<T extends { exp: number }>(kind: 'ticket' | 'session', value: string | undefined): T | null {
    const [payload, mac, extra] = (value ?? '').split('.');
    if (!payload || !mac || extra !== undefined) return null;
    const expected = createHmac('sha256', this.key).update(payload).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as T & { kind: string };
      return body.kind === kind && typeof body.exp === 'number' && body.exp > Date.now() / 1000 ? body : null;
    } catch {
      return null;
    }
  }
}

/** Only the bootstrap admin and tenant admins open the board. */
export function mayOpenQueueBoard(principal: Principal): boolean {
  return hasRole(principal, 'admin');
}

/** A one-minute, single-use link that opens the board for this admin (the console's token never rides a page load). */
export function queueBoardTicket(signer: BoardSigner, principal: Principal): string {
  const ticket = signer.sign('ticket', {
    officialId: principal.officialId,
    username: principal.username,
    tenantCode: principal.tenantCode,
    nonce: randomBytes(16).toString('base64url'),
    exp: Math.floor(Date.now() / 1000) + QUEUE_BOARD_TICKET_SECONDS,
  });
  return `${ENTER_PATH}?ticket=${encodeURIComponent(ticket)}`;
}

function cookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

/** The pages' CSP, but Bull Board's page resolves its bundle against a same-origin `<base href>`. */
export const QUEUE_BOARD_CSP = PAGE_CSP.replace("base-uri 'none'", "base-uri 'self'");

/**
 * The board's page as Aduan serves it: Bull Board's own bundle, then Aduan's stylesheet and script
 * that fix its contrast and name its icon buttons; none of its inline styles or outside fonts, so
 * the page runs under PAGE_CSP.
 */
function boardPageAssets(): { styles: string; scripts: string } {
  const ui = join(dirname(require.resolve('@bull-board/ui/package.json')), 'dist');
  const bundle = [...readFileSync(join(ui, 'index.ejs'), 'utf8').matchAll(/(?:href|src)="(static\/(?:css|js)\/[\w.-]+\.(?:css|js))"/g)].map((m) => m[1]);
  if (!bundle.some((f) => f.endsWith('.js'))) throw new Error(`no script found in ${join(ui, 'index.ejs')}: the queue board's page would be blank`);
  const own = (name: string) => `/assets/${name}?v=${WebAssets.shared().get(name)?.version}`;
  return {
    // Space-separated: a view's parameters are strings.
    styles: [...bundle.filter((f) => f.endsWith('.css')), own('queue-board.css')].join(' '),
    scripts: [...bundle.filter((f) => f.endsWith('.js')), own('queue-board.js')].join(' '),
  };
}

function refuse(reply: FastifyReply, status: 401 | 403 | 503, detail: string): FastifyReply {
  return reply.status(status).type('application/problem+json').header('Cache-Control', 'no-store').send(problem(status, detail));
}

/**
 * Bull Board at /admin/queues, for the bootstrap and tenant admins. The console asks
 * `POST /api/v1/admin/queues/session` (bearer token) for a link; the link sets an HttpOnly,
 * SameSite=Strict cookie scoped to /admin/queues that lasts AUTH_TOKEN_TTL_SECONDS. Retry and
 * clean are audited (on `queues:<tenant>`, `queues:platform` for the bootstrap admin) before they
 * run; the board's other writes are refused.
 */
export function installQueueBoard(app: NestFastifyApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const signer = app.get(BoardSigner);
  const redis = app.get<Redis>(REDIS);
  const queues = app.get(QueueRegistry);
  const dataSource = app.get(DataSource);
  const audit = app.get(DirectoryAuditTrail);
  const fastify = app.getHttpAdapter().getInstance();
  const secure = config.PUBLIC_URL?.startsWith('https:') ?? false;

  const board = new FastifyAdapter();
  createBullBoard({
    queues: ALL_QUEUES.map((name) => new BullMQAdapter(queues.queue(name), { allowRetries: true })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Aduan · antrean', hideDocsLink: true, hideRedisDetails: true } },
  });
  board.setBasePath(QUEUE_BOARD_PATH);
  const page = boardPageAssets();
  board.setViewsPath(join(__dirname, 'queue-board-view')).setEntryRoute({
    ...appRoutes.entryPoint,
    handler: (params) => {
      const view = appRoutes.entryPoint.handler(params);
      return { ...view, params: { ...view.params, ...page } };
    },
  });

  fastify.get(ENTER_PATH, async (request: FastifyRequest<{ Querystring: { ticket?: string } }>, reply) => {
    const ticket = signer.verify<BoardSession & { nonce: string }>('ticket', request.query.ticket);
    // Single use: a link seen in a history or a proxy's log opens nothing.
    if (!ticket || (await redis.set(`${config.QUEUE_PREFIX}:queue-board-ticket:${ticket.nonce}`, '1', 'EX', QUEUE_BOARD_TICKET_SECONDS, 'NX')) !== 'OK') {
      return refuse(reply, 401, 'This link has expired or was used already: open the queue board from the console again.');
    }
    const exp = Math.floor(Date.now() / 1000) + config.AUTH_TOKEN_TTL_SECONDS;
    const session = signer.sign('session', { officialId: ticket.officialId, username: ticket.username, tenantCode: ticket.tenantCode, exp });
    const attributes = [`Path=${QUEUE_BOARD_PATH}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${config.AUTH_TOKEN_TTL_SECONDS}`, ...(secure ? ['Secure'] : [])];
    return reply.header('Set-Cookie', `${COOKIE}=${session}; ${attributes.join('; ')}`).header('Cache-Control', 'no-store').redirect(`${QUEUE_BOARD_PATH}/`, 303);
  });

  void fastify.register(
    async (scope) => {
      scope.addHook('onSend', async (_request, reply) => {
        void reply.header('Content-Security-Policy', QUEUE_BOARD_CSP).header('X-Frame-Options', 'DENY');
      });
      scope.addHook('onRequest', async (request, reply) => {
        const session = signer.verify<BoardSession>('session', cookieOf(request));
        if (!session) return refuse(reply, 401, 'Open the queue board from the console (POST /api/v1/admin/queues/session).');
        if (request.method === 'GET' || request.method === 'HEAD') return;
        const path = request.url.split('?')[0].slice(QUEUE_BOARD_PATH.length);
        const action = ACTIONS.map((a) => ({ event: a.event, match: a.pattern.exec(path) })).find((a) => a.match);
        if (!action?.match) return refuse(reply, 403, 'Only retry and clean are allowed on the queue board.');
        const [, queue, target] = action.match.map(decodeURIComponent);
        const isJob = action.event.startsWith('queues.job_');
        try {
          await dataSource.transaction((m) =>
            audit.append(m, [
              {
                stream: `queues:${session.tenantCode ?? 'platform'}`,
                actor: { type: 'official', id: session.officialId },
                event: action.event,
                data: { queue, ...(isJob ? { job_id: target } : { state: target }), by: session.username },
                channel: 'api',
                requestId: request.id,
              },
            ]),
          );
        } catch {
          // Nothing runs unaudited.
          return refuse(reply, 503, 'The action could not be recorded in the audit log, so it was not carried out.');
        }
      });
      await scope.register(board.registerPlugin());
    },
    { prefix: QUEUE_BOARD_PATH },
  );
}
