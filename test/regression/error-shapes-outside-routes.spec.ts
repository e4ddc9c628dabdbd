import { AddressInfo, connect } from 'node:net';
import { Harness, startHarness } from '../support/harness';

/** Sends raw bytes over a socket and returns the raw answer (Node's parser errors never reach inject). */
function rawExchange(port: number, request: Buffer | string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0])?.[1]);
      const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      if (!status) reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      else resolve({ status, headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

/**
 * Found by an attack on a running instance: some errors never reached Aduan's handlers and kept
 * another shape. Headers too large (431) and a NUL in a header answered Node's raw JSON; on the
 * Open311 paths a malformed JSON body, a body too large (413) and a wrong media type (415)
 * answered problem+json, which Open311 clients do not read.
 */
describe('errors raised before a route runs keep Aduan’s shapes', () => {
  let h: Harness;
  let port: number;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    await h.api.listen(0, '127.0.0.1');
    port = (h.api.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => h.close());

  it('431 for headers too large is problem+json', async () => {
    const res = await rawExchange(port, `GET /api/v1/categories HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large', type: expect.stringMatching(/^https:/) });
  });

  it('a NUL in a header is a 400 problem+json', async () => {
    const res = await rawExchange(port, Buffer.from('GET /api/v1/categories HTTP/1.1\r\nHost: x\r\nX-Evil: a\u0000b\r\n\r\n', 'latin1'));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, type: expect.stringMatching(/^https:/) });
  });

  it('431 on an Open311 path is Open311’s error document', async () => {
    const res = await rawExchange(port, `GET /open311/v2/services.json?jurisdiction_id=36.73 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual([{ code: 431, description: expect.any(String) }]);
  });

  const inject = (url: string, headers: Record<string, string>, payload: string) =>
    h.api.getHttpAdapter().getInstance().inject({ method: 'POST', url, headers, payload });

  it.each([
    ['malformed JSON', 'application/json', '{"service_code":', 400],
    ['a body too large', 'application/x-www-form-urlencoded', `description=${'a'.repeat(70 * 1024)}`, 413],
    ['a media type no parser takes', 'application/xml', '<service_code>SAMPAH</service_code>', 415],
  ])('on an Open311 path, %s answers Open311’s error document, JSON or XML as asked', async (_, type, payload, status) => {
    const json = await inject('/open311/v2/requests.json?jurisdiction_id=36.73', { 'content-type': type }, payload);
    expect(json.statusCode).toBe(status);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(json.body)).toEqual([{ code: status, description: expect.any(String) }]);
    const xml = await inject('/open311/v2/requests.xml?jurisdiction_id=36.73', { 'content-type': type }, payload);
    expect(xml.statusCode).toBe(status);
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.body).toMatch(new RegExp(`^<\\?xml [^>]+\\?>\\n<errors><error><code>${status}</code><description>[^<]+</description></error></errors>\\s*$`));
  });
});
