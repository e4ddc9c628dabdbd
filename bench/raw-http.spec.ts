import { createServer as createHttpServer, IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Server as TcpServer, Socket } from 'node:net';
import { RawHttpClient } from './raw-http';

/** Servers on a free loopback port; closed after each test. */
const servers: (HttpServer | TcpServer)[] = [];
const clients: RawHttpClient[] = [];

async function listen<S extends HttpServer | TcpServer>(server: S): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function client(port: number, maxConnections = 8, timeoutMs = 5000): RawHttpClient {
  const c = new RawHttpClient('127.0.0.1', port, { maxConnections, timeoutMs });
  clients.push(c);
  return c;
}

/** A raw TCP server that answers each request with `respond` (for framings node:http would not send). */
function tcpServer(respond: (socket: Socket) => void): TcpServer {
  return createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => respond(socket));
  });
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(
    servers.splice(0).map((s) => {
      if (s instanceof HttpServer) s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

describe('RawHttpClient', () => {
  it('posts the prepared request and returns status and body, reusing one keep-alive connection', async () => {
    const seen: { method?: string; url?: string; type?: string; body: string }[] = [];
    const port = await listen(
      createHttpServer((req: IncomingMessage, res: ServerResponse) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          seen.push({ method: req.method, url: req.url, type: req.headers['content-type'], body });
          const answer = JSON.stringify({ tracking_number: `ADU-${seen.length}`, echo: body });
          // As the api answers: a whole body with its length (node:http alone would send it chunked).
          res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer);
        });
      }),
    );
    const http = client(port);
    const request = RawHttpClient.post(`127.0.0.1:${port}`, '/api/v1/complaints', JSON.stringify({ description: 'Jalan berlubang — ±2 m' }));
    const first = await http.send(request);
    const second = await http.send(request);
    expect(first).toEqual({ ok: true, status: 201, body: JSON.stringify({ tracking_number: 'ADU-1', echo: '{"description":"Jalan berlubang — ±2 m"}' }) });
    expect(second).toMatchObject({ ok: true, status: 201 });
    expect(seen[0]).toEqual({ method: 'POST', url: '/api/v1/complaints', type: 'application/json', body: '{"description":"Jalan berlubang — ±2 m"}' });
    expect(http.connections).toBe(1);
  });

  it('reassembles a response that arrives in pieces, and reads error statuses too', async () => {
    const port = await listen(
      tcpServer((socket) => {
        const body = '{"title":"Terlalu banyak permintaan"}';
        socket.write('HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/problem+json\r\nContent-Len');
        setTimeout(() => socket.write(`gth: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`), 20);
        setTimeout(() => socket.write(body.slice(10)), 40);
      }),
    );
    expect(await client(port).send(RawHttpClient.post('x', '/', '{}'))).toEqual({ ok: true, status: 429, body: '{"title":"Terlalu banyak permintaan"}' });
  });

  it('queues requests beyond maxConnections and answers every one', async () => {
    const port = await listen(
      createHttpServer((req, res) => {
        req.resume();
        req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 }).end('ok'), 30));
      }),
    );
    const http = client(port, 2);
    const answers = await Promise.all(Array.from({ length: 7 }, () => http.send(RawHttpClient.post('x', '/', '{}'))));
    expect(answers).toEqual(Array.from({ length: 7 }, () => ({ ok: true, status: 200, body: 'ok' })));
    expect(http.connections).toBe(2);
  });

  it('never sends on an idle connection the server has closed meanwhile', async () => {
    // Answers as keep-alive, then closes the idle connection well before the client's 250 ms sweep.
    const port = await listen(
      tcpServer((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        setTimeout(() => socket.end(), 10);
      }),
    );
    const http = client(port);
    expect(await http.send(RawHttpClient.post('x', '/', '{}'))).toEqual({ ok: true, status: 200, body: 'ok' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await http.send(RawHttpClient.post('x', '/', '{}'))).toEqual({ ok: true, status: 200, body: 'ok' });
  });

  it('reports a request the server never answers as a timeout', async () => {
    const port = await listen(tcpServer(() => undefined));
    const startedAt = Date.now();
    expect(await client(port, 1, 300).send(RawHttpClient.post('x', '/', '{}'))).toEqual({ ok: false, error: 'timeout' });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
  });

  it('refuses to guess the end of a response without Content-Length', async () => {
    const port = await listen(tcpServer((socket) => socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n')));
    const answer = await client(port).send(RawHttpClient.post('x', '/', '{}'));
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error).toMatch(/without a status or Content-Length/);
  });

  it('reports a connection the server closes mid-request, and opens a new one for the next', async () => {
    let requests = 0;
    const port = await listen(
      tcpServer((socket) => {
        requests += 1;
        if (requests === 1) socket.destroy();
        else socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
      }),
    );
    const http = client(port, 1);
    expect(await http.send(RawHttpClient.post('x', '/', '{}'))).toMatchObject({ ok: false });
    expect(await http.send(RawHttpClient.post('x', '/', '{}'))).toEqual({ ok: true, status: 200, body: 'ok' });
  });
});
