import { AccessCodeHasher, normalizeAccessCode } from '@aduan/complaints';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { craftedJpeg } from '../support/crafted-images';
import { call, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';

type Format = 'json' | 'xml';

interface Update {
  update_id: string;
  service_request_id: string;
  status: string;
  updated_datetime: string;
  description: string;
  media_url: string;
}

/** What FixMyStreet's client reads from each `request_update`, in this order. */
const UPDATE_FIELDS = ['update_id', 'service_request_id', 'status', 'updated_datetime', 'description', 'media_url'];

const parser = new XMLParser({ parseTagValue: false, trimValues: false, ignoreDeclaration: true, isArray: (tag) => tag === 'request_update' || tag === 'request' || tag === 'error' });

/** What the reporter left with FixMyStreet, and what officials wrote only for each other: never in a feed. */
const SECRETS = ['Dewi', 'Lestari', 'dewi.lestari@example.id', '081277788899', 'Catatan internal', 'anggaran kelurahan', 'Dekat warung Bu Sri', 'bukan wewenang kami'];

/**
 * FixMyStreet's round trip: a report filed through Open311 with a key, worked in the console, and
 * read back by that key as FixMyStreet's client reads it (servicerequestupdates.xml with api_key,
 * start_date and end_date); nothing for a read without the key or with anyone else's.
 */
describe('Open311 servicerequestupdates: the council’s answers back to the client that filed', () => {
  let h: Harness;
  let admin: string;
  let fmsKey: string;
  let fmsKeyId: string;
  let otherClientKey: string;
  let tangerangKey: string;
  let lurah: string;
  let dlh: string;
  /** a's whole life, b rejected as a duplicate of a, c forwarded and taken up, d out of scope */
  const tn = { a: '', b: '', c: '', d: '' };
  let lifeStart = '';
  let lifeEnd = '';

  async function inject(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    return h.api.getHttpAdapter().getInstance().inject({
      method,
      url,
      ...(form === undefined ? {} : { payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    });
  }

  /** The feed as FixMyStreet would read it, parsed from XML or JSON into one shape. */
  async function updates(format: Format, query: Record<string, string>): Promise<{ status: number; list: Update[]; raw: string; root?: string }> {
    const res = await inject('GET', `/open311/v2/servicerequestupdates.${format}?${new URLSearchParams({ jurisdiction_id: 'serangkota.go.id', ...query })}`);
    if (format === 'json') {
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      return { status: res.statusCode, list: res.statusCode === 200 ? JSON.parse(res.body) : [], raw: res.body };
    }
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(XMLValidator.validate(res.body)).toBe(true);
    const doc = parser.parse(res.body) as Record<string, any>;
    const [root] = Object.keys(doc);
    if (res.statusCode !== 200) return { status: res.statusCode, list: [], raw: res.body, root };
    const items: Record<string, string>[] = doc[root] === '' ? [] : doc[root].request_update;
    for (const item of items) expect(Object.keys(item)).toEqual(UPDATE_FIELDS);
    return { status: res.statusCode, list: items as unknown as Update[], raw: res.body, root };
  }

  const of = (list: Update[], id: string) => list.filter((u) => u.service_request_id === id);

  /** Files as FixMyStreet's client does: its own fields, its id, no privacy attributes (so confidential by default). */
  async function fileAsFixMyStreet(id: number, description: string): Promise<string> {
    const res = await inject('POST', '/open311/v2/requests.xml', {
      api_key: fmsKey,
      jurisdiction_id: 'serangkota.go.id',
      service_code: 'SAMPAH',
      description: `Sampah menumpuk\n\n${description}\n\nhttps://fixmystreet.example.id/report/${id}\n`,
      lat: '-6.1183',
      long: '106.1503',
      first_name: 'Dewi',
      last_name: 'Lestari',
      email: 'dewi.lestari@example.id',
      phone: '081277788899',
      'attribute[kelurahan]': '36.73.01.1001',
      'attribute[fixmystreet_id]': String(id),
      'attribute[title]': 'Sampah menumpuk',
    });
    expect(res.statusCode).toBe(200);
    const doc = parser.parse(res.body) as { service_requests: { request: { service_request_id: string }[] } };
    return doc.service_requests.request[0].service_request_id;
  }

  const act = async (token: string, id: string, action: string, body: Record<string, unknown>) => {
    const res = await call(h, 'POST', `/api/v1/complaints/${id}/${action}`, { token, body });
    expect({ action, status: res.status }).toEqual({ action, status: 200 });
  };
  const lastUpdateOf = async (id: string) => of((await updates('json', { api_key: fmsKey })).list, id).at(-1)!;

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    const issue = async (body: Record<string, string>) => (await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body })).body;
    const fms = await issue({ name: 'FixMyStreet Indonesia', tenant: '36.73' });
    [fmsKey, fmsKeyId] = [fms.api_key, fms.id];
    otherClientKey = (await issue({ name: 'Another app', tenant: '36.73' })).api_key;
    tangerangKey = (await issue({ name: 'Tangerang app', tenant: '36.71' })).api_key;
    lurah = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
    dlh = (await officialIn(h, admin, 'OPD.36.73.DLH')).token;

    // a: the whole life of one report.
    tn.a = await fileAsFixMyStreet(9101, 'Sudah seminggu sampah tidak diangkut di depan pasar.');
    await h.quiet();
    lifeStart = (await lastUpdateOf(tn.a)).updated_datetime;
    await act(lurah, tn.a, 'acknowledge', { note: 'Catatan internal: cek anggaran kelurahan dulu.' });
    await act(lurah, tn.a, 'request-info', { question: 'Mohon sebutkan RT/RW lokasi tumpukan sampah.' });
    // Open311 hands its client no access code. The test gives this complaint one, so the resident's
    // answer and photo arrive the way the tracking page sends them.
    const code = 'FMS0-TEST-C0DE';
    await h.db.query(`UPDATE complaint SET access_code_hash = $2 WHERE tracking_number = $1`, [tn.a, h.api.get(AccessCodeHasher).hash(normalizeAccessCode(code))]);
    const resident = { 'x-access-code': code };
    expect((await call(h, 'POST', `/api/v1/complaints/${tn.a}/replies`, { headers: resident, body: { message: 'Dekat warung Bu Sri, RT 02 RW 05.' } })).status).toBe(200);
    const photo = await h.api.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: `/api/v1/complaints/${tn.a}/photos`,
      headers: { ...resident, 'content-type': 'image/jpeg' },
      payload: craftedJpeg(),
    });
    expect(photo.statusCode).toBe(201);
    await act(lurah, tn.a, 'resolve', { resolution: 'Sampah sudah diangkut oleh petugas kebersihan pada hari Selasa.' });
    expect((await call(h, 'POST', `/api/v1/complaints/${tn.a}/feedback`, { headers: resident, body: { satisfied: false, comment: 'Masih ada sisa.' } })).status).toBe(200);
    await act(lurah, tn.a, 'resolve', { resolution: 'Sisa sampah sudah dibersihkan dan tempat sampah baru dipasang.' });
    expect((await call(h, 'POST', `/api/v1/complaints/${tn.a}/feedback`, { headers: resident, body: { satisfied: true, rating: 5 } })).status).toBe(200);
    await h.quiet();
    lifeEnd = (await lastUpdateOf(tn.a)).updated_datetime;
    // Windows hold to the second: the next reports start in a later one, so [lifeStart, lifeEnd] is a's alone.
    await new Promise((r) => setTimeout(r, 1100));

    // b, c, d: how other reports end.
    tn.b = await fileAsFixMyStreet(9102, 'Sampah di depan pasar belum diangkut, sama seperti laporan sebelumnya.');
    tn.c = await fileAsFixMyStreet(9103, 'Tumpukan sampah liar di bantaran sungai.');
    tn.d = await fileAsFixMyStreet(9104, 'Pohon tumbang di halaman rumah pribadi tetangga.');
    await h.quiet();
    await act(lurah, tn.b, 'acknowledge', {});
    await act(lurah, tn.b, 'reject', { reason: 'duplicate', note: 'Sudah ditangani bersama laporan sebelumnya.', duplicate_of: tn.a });
    await act(lurah, tn.c, 'forward', { unit: 'OPD.36.73.DLH', reason: 'bukan wewenang kami, bantaran sungai milik DLH' });
    await act(dlh, tn.c, 'acknowledge', {});
    await act(lurah, tn.d, 'reject', { reason: 'out_of_scope', note: 'Pohon di lahan pribadi menjadi tanggung jawab pemiliknya.' });
    await h.quiet();
  });
  afterAll(() => h.close());

  it('tells the key’s client every step of a report’s life, with the officials’ public words, in XML and JSON alike', async () => {
    const window = { api_key: fmsKey, start_date: lifeStart, end_date: lifeEnd };
    const xml = await updates('xml', window);
    const json = await updates('json', window);
    expect(xml.status).toBe(200);
    expect(xml.root).toBe('service_requests_updates');
    expect(json.list).toEqual(xml.list);
    expect(xml.list.every((u) => u.service_request_id === tn.a)).toBe(true);
    expect(xml.list.map((u) => [u.status, u.description])).toEqual([
      ['open', 'Pengaduan diteruskan ke Kelurahan Serang.'],
      ['in_progress', 'Pengaduan sedang ditangani.'],
      ['investigating', 'Mohon sebutkan RT/RW lokasi tumpukan sampah.'],
      ['in_progress', 'Foto ditambahkan.'],
      ['fixed', 'Sampah sudah diangkut oleh petugas kebersihan pada hari Selasa.'],
      ['open', 'Pelapor menyatakan belum selesai; pengaduan dibuka kembali.'],
      ['fixed', 'Sisa sampah sudah dibersihkan dan tempat sampah baru dipasang.'],
      ['fixed', 'Pengaduan ditutup.'],
    ]);
    for (const u of xml.list) {
      expect(u.update_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(u.updated_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      expect(u.media_url === '').toBe(u.description !== 'Foto ditambahkan.');
    }
    const times = xml.list.map((u) => Date.parse(u.updated_datetime));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    for (const secret of SECRETS) expect(xml.raw + json.raw).not.toContain(secret);

    // The closing note of the issue shows this document: one complaint's life, as the client gets it.
    mkdirSync('test-results', { recursive: true });
    writeFileSync(join('test-results', 'open311-servicerequestupdates.xml'), xml.raw);
  });

  it('keeps each update’s id across reads, so the client adds each answer once', async () => {
    const first = of((await updates('xml', { api_key: fmsKey })).list, tn.a);
    const again = of((await updates('json', { api_key: fmsKey })).list, tn.a);
    expect(again.map((u) => u.update_id)).toEqual(first.map((u) => u.update_id));
    expect(new Set(first.map((u) => u.update_id)).size).toBe(first.length);
  });

  it('says how each report ended, so a rejection never looks fixed', async () => {
    const { list } = await updates('xml', { api_key: fmsKey });
    expect(of(list, tn.b).map((u) => [u.status, u.description])).toEqual([
      ['open', 'Pengaduan diteruskan ke Kelurahan Serang.'],
      ['in_progress', 'Pengaduan sedang ditangani.'],
      ['duplicate', 'Sudah ditangani bersama laporan sebelumnya.'],
    ]);
    expect(of(list, tn.c).map((u) => [u.status, u.description])).toEqual([
      ['open', 'Pengaduan diteruskan ke Kelurahan Serang.'],
      ['internal_referral', 'Pengaduan didisposisikan ke Dinas Lingkungan Hidup Kota Serang.'],
      ['in_progress', 'Pengaduan sedang ditangani.'],
    ]);
    expect(of(list, tn.d).map((u) => u.status)).toEqual(['open', 'not_councils_responsibility']);
    for (const secret of SECRETS) expect(JSON.stringify(list)).not.toContain(secret);
    // The duplicate does not name the complaint it duplicates.
    expect(JSON.stringify(of(list, tn.b))).not.toContain(tn.a);
  });

  it('filters on updated_datetime with both ends inclusive, to the second', async () => {
    const all = of((await updates('json', { api_key: fmsKey })).list, tn.a);
    const [first, second] = all;
    const only = await updates('json', { api_key: fmsKey, start_date: first.updated_datetime, end_date: first.updated_datetime });
    expect(only.list.map((u) => u.update_id)).toContain(first.update_id);
    expect(only.list.every((u) => u.updated_datetime === first.updated_datetime)).toBe(true);
    const after = new Date(Date.parse(first.updated_datetime) + 1000).toISOString();
    const rest = of((await updates('json', { api_key: fmsKey, start_date: after })).list, tn.a);
    expect(rest.map((u) => u.update_id)).not.toContain(first.update_id);
    if (second.updated_datetime !== first.updated_datetime) expect(rest[0].update_id).toBe(second.update_id);
    // FixMyStreet's window: two hours back from now, in UTC.
    const now = Date.now();
    const recent = await updates('xml', { api_key: fmsKey, start_date: new Date(now - 2 * 3600_000).toISOString(), end_date: new Date(now).toISOString() });
    expect(of(recent.list, tn.a)).toHaveLength(all.length);
    expect((await updates('xml', { api_key: fmsKey, start_date: new Date(now + 60_000).toISOString() })).list).toEqual([]);
  });

  it('serves a photo behind its signed media_url, and nothing behind a tampered one', async () => {
    const photo = of((await updates('xml', { api_key: fmsKey })).list, tn.a).find((u) => u.media_url !== '')!;
    const url = new URL(photo.media_url);
    expect(url.pathname).toMatch(/^\/open311\/v2\/media\/[0-9a-f-]{36}\.jpg$/);
    const fetched = await inject('GET', `${url.pathname}${url.search}`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.headers['content-type']).toBe('image/jpeg');
    expect(fetched.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const tampered = new URLSearchParams(url.search);
    tampered.set('signature', `${tampered.get('signature')!.slice(0, -2)}AA`);
    expect((await inject('GET', `${url.pathname}?${tampered}`)).statusCode).toBe(404);
    const longer = new URLSearchParams(url.search);
    longer.set('expires', String(Number(longer.get('expires')) + 86_400));
    expect((await inject('GET', `${url.pathname}?${longer}`)).statusCode).toBe(404);
    const otherClient = new URLSearchParams(url.search);
    otherClient.set('client', '00000000-0000-4000-8000-000000000000');
    expect((await inject('GET', `${url.pathname}?${otherClient}`)).statusCode).toBe(404);
  });

  it('shows nothing of these reports without the key, or with another client’s key', async () => {
    for (const format of ['xml', 'json'] as const) {
      const anonymous = await updates(format, { start_date: lifeStart });
      expect(anonymous.status).toBe(200);
      const other = await updates(format, { api_key: otherClientKey, start_date: lifeStart });
      expect(other.status).toBe(200);
      expect(other.list).toEqual([]);
      for (const id of Object.values(tn)) {
        expect(of(anonymous.list, id)).toEqual([]);
        expect(anonymous.raw + other.raw).not.toContain(id);
      }
    }
  });

  it('refuses a key of another tenant, an unknown key and a revoked one (403), on every read', async () => {
    const revoked = (await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'Retired app' } })).body;
    await call(h, 'DELETE', `/api/v1/admin/api-keys/${revoked.id}`, { token: admin });
    for (const [key, description] of [
      [tangerangKey, /not valid for this jurisdiction/],
      [`adn_${'Z'.repeat(32)}`, /Invalid api_key/],
      [revoked.api_key, /Invalid api_key/],
    ] as const) {
      for (const path of ['servicerequestupdates.xml', 'requests.json', `requests/${tn.a}.json`]) {
        const res = await inject('GET', `/open311/v2/${path}?jurisdiction_id=36.73&api_key=${encodeURIComponent(key)}`);
        expect({ path, status: res.statusCode }).toEqual({ path, status: 403 });
        expect(res.body).toMatch(description);
        expect(res.body).not.toContain(tn.a);
      }
    }
  });

  it('lets the key read its confidential requests in GET requests, with open/closed and the detail in status_notes', async () => {
    const mine = await inject('GET', `/open311/v2/requests.json?jurisdiction_id=36.73&api_key=${fmsKey}&service_request_id=${Object.values(tn).join(',')}`);
    const list = JSON.parse(mine.body) as { service_request_id: string; status: string; status_notes: string }[];
    const byId = Object.fromEntries(list.map((r) => [r.service_request_id, r]));
    expect(Object.keys(byId).sort()).toEqual(Object.values(tn).sort());
    expect(byId[tn.a]).toMatchObject({ status: 'closed', status_notes: 'Pengaduan ditutup.' });
    expect(byId[tn.b]).toMatchObject({ status: 'closed', status_notes: expect.stringMatching(/sama dengan pengaduan lain/) });
    expect(byId[tn.c]).toMatchObject({ status: 'open' });
    expect(byId[tn.d]).toMatchObject({ status: 'closed', status_notes: expect.stringMatching(/di luar kewenangan/) });
    for (const secret of SECRETS) expect(mine.body).not.toContain(secret);
    expect((await inject('GET', `/open311/v2/requests/${tn.b}.xml?jurisdiction_id=36.73&api_key=${fmsKey}`)).statusCode).toBe(200);
    // Without the key, or with another client's, they do not exist.
    expect((await inject('GET', `/open311/v2/requests/${tn.b}.xml?jurisdiction_id=36.73`)).statusCode).toBe(404);
    expect((await inject('GET', `/open311/v2/requests/${tn.b}.xml?jurisdiction_id=36.73&api_key=${otherClientKey}`)).statusCode).toBe(404);
    const theirs = await inject('GET', `/open311/v2/requests.json?jurisdiction_id=36.73&api_key=${otherClientKey}&service_request_id=${Object.values(tn).join(',')}`);
    expect(JSON.parse(theirs.body)).toEqual([]);
  });

  it('records which key filed each request, and stops serving its photos once the key is revoked', async () => {
    const rows: { api_key_id: string; data: Record<string, unknown> }[] = await h.db.query(
      `SELECT c.api_key_id, a.data FROM complaint c JOIN audit_entry a ON a.stream = 'complaint:' || c.id::text AND a.seq = 1 WHERE c.tracking_number = ANY($1)`,
      [Object.values(tn)],
    );
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toMatchObject({ api_key_id: fmsKeyId, data: { api_key_id: fmsKeyId } });

    const photo = of((await updates('json', { api_key: fmsKey })).list, tn.a).find((u) => u.media_url !== '')!;
    const url = new URL(photo.media_url);
    await call(h, 'DELETE', `/api/v1/admin/api-keys/${fmsKeyId}`, { token: admin });
    expect((await inject('GET', `${url.pathname}${url.search}`)).statusCode).toBe(404);
    expect((await updates('xml', { api_key: fmsKey })).status).toBe(403);
  });
});
