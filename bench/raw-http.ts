import { Socket, connect } from 'node:net';

/** What came back for one request: the status and body, or why there is none. */
export type RawResponse = { ok: true; status: number; body: string } | { ok: false; error: string };

interface Pending {
  resolve: (response: RawResponse) => void;
  deadline: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * A minimal HTTP/1.1 client for the bench's open-loop phases: keep-alive connections that each
 * carry one request at a time, requests written as one prepared buffer, responses framed by
 * `Content-Length` (what the api sends; anything else is reported as an error, never guessed).
 *
 * Why not `node:http`: the load generator shares the two cores with the system it measures. At
 * about 700 requests a second `http.request` cost the bench a quarter of a core (its request and
 * response objects, header handling and streams), taken from the api and worker; on a real
 * deployment residents' phones do not share the server's CPU. This client writes and parses
 * bytes and nothing more. Its own CPU is still reported beside every phase.
 */
export class RawHttpClient {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly waiting: { request: Buffer; pending: Pending }[] = [];
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly options: { maxConnections: number; timeoutMs: number },
  ) {
    // One timer for every request's timeout, not one per request.
    this.sweep = setInterval(() => this.expire(), 250);
    this.sweep.unref();
  }

  /** The bytes of a POST with a JSON body, built once and sent as often as wanted. */
  static post(host: string, path: string, body: string): Buffer {
    const payload = Buffer.from(body, 'utf8');
    const head = `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\nConnection: keep-alive\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
  }

  /** The bytes of a GET with extra headers (an `Authorization`), built once and sent as often as wanted. */
  static get(host: string, path: string, headers: Record<string, string>): Buffer {
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: keep-alive\r\n\r\n`, 'latin1');
  }

  /** Sends on an idle connection, a new one, or (all `maxConnections` busy) the first to free up. */
  send(request: Buffer): Promise<RawResponse> {
    return new Promise((resolve) => {
      const pending = { resolve, deadline: Date.now() + this.options.timeoutMs };
      const connection = this.idle.pop() ?? (this.all.size < this.options.maxConnections ? this.open() : null);
      if (connection) connection.send(request, pending);
      else this.waiting.push({ request, pending });
    });
  }

  /** Connections open now: one per request in flight at the busiest moment, unless the server closed some. */
  get connections(): number {
    return this.all.size;
  }

  close(): void {
    clearInterval(this.sweep);
    for (const connection of this.all) connection.destroy('client closed');
    for (const { pending } of this.waiting.splice(0)) pending.resolve({ ok: false, error: 'client closed' });
  }

  private open(): Connection {
    const connection = new Connection(
      connect({ host: this.host, port: this.port, noDelay: true }),
      () => this.released(connection),
      () => this.gone(connection),
    );
    this.all.add(connection);
    return connection;
  }

  private released(connection: Connection): void {
    const next = this.waiting.shift();
    if (next) connection.send(next.request, next.pending);
    else this.idle.push(connection);
  }

  /** A connection that died is never handed out again. */
  private gone(connection: Connection): void {
    this.all.delete(connection);
    const idle = this.idle.indexOf(connection);
    if (idle >= 0) this.idle.splice(idle, 1);
  }

  private expire(): void {
    const now = Date.now();
    for (const connection of this.all) connection.expire(now);
    while (this.waiting.length > 0 && this.waiting[0].pending.deadline <= now) {
      this.waiting.shift()!.pending.resolve({ ok: false, error: 'timeout before a connection was free' });
    }
  }
}

/** One keep-alive connection with at most one request in flight. */
class Connection {
  private pending: Pending | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private dead = false;

  constructor(
    private readonly socket: Socket,
    private readonly onFree: () => void,
    private readonly onGone: () => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.destroy(error.message));
    socket.on('close', () => this.destroy('connection closed'));
  }

  send(request: Buffer, pending: Pending): void {
    if (this.dead) {
      pending.resolve({ ok: false, error: 'connection closed' });
      return;
    }
    this.pending = pending;
    this.socket.write(request);
  }

  expire(now: number): void {
    if (this.pending && this.pending.deadline <= now) this.destroy('timeout');
  }

  destroy(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.socket.destroy();
    this.onGone();
    const pending = this.pending;
    this.pending = null;
    pending?.resolve({ ok: false, error: reason });
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const headerEnd = this.buffer.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.buffer.toString('latin1', 0, headerEnd);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!Number.isInteger(status) || !length) {
      this.destroy(`response without a status or Content-Length: ${JSON.stringify(head.slice(0, 200))}`);
      return;
    }
    const end = headerEnd + HEADER_END.length + Number(length[1]);
    if (this.buffer.length < end) return;
    if (this.buffer.length > end) {
      this.destroy('bytes after the response to the one request in flight');
      return;
    }
    const body = this.buffer.toString('utf8', headerEnd + HEADER_END.length, end);
    this.buffer = Buffer.alloc(0);
    const pending = this.pending;
    this.pending = null;
    if (/\r\nconnection:\s*close/i.test(head)) this.destroy('server closed the connection');
    else this.onFree();
    pending?.resolve({ ok: true, status, body });
  }
}
