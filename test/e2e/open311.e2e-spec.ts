import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { OPEN311_ITEMS } from '../../apps/api/src/open311/open311-http';
import { call, complaintBody, Harness, loginAdmin, officialIn, startHarness, writeCounts } from '../support/harness';

type Format = 'json' | 'xml';
const FORMATS: Format[] = ['json', 'xml'];

/** Item elements of every Open311 list, so the XML reads back into the JSON shape (the app's own table). */
const ITEMS: Record<string, string> = OPEN311_ITEMS;
const ITEM_TAGS = new Set(Object.values(ITEMS));
const parser = new XMLParser({ parseTagValue: false, trimValues: false, ignoreDeclaration: true, isArray: (tag) => ITEM_TAGS.has(tag) });

/** Undoes the Spark convention: `<services><service>…</service></services>` → `[…]`. */
function unwrap(name: string, value: unknown): unknown {
  if (ITEMS[name]) {
    const items = value === '' ? [] : ((value as Record<string, unknown[]>)[ITEMS[name]] ?? []);
    return items.map((item) => unwrap(ITEMS[name], item));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(k, v)]));
  }
  return value;
}

/** JSON as XML would carry it: every leaf a string, null an empty one. */
function asText(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(asText);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asText(v)]));
  return String(value);
}

interface Answer {
  status: number;
  contentType: string;
  /** the document, in JSON's shape with every leaf as text, whichever format was asked for */
  doc: any;
  raw: string;
  /** the root element (XML) */
  root?: string;
}

/** Every GeoReport v2 endpoint, in both formats, with each of the spec's errors; no reporter in any public read. */
describe('Open311 GeoReport v2', () => {
  let h: Harness;
  let admin: string;
  let apiKey: string;
  let tangerangKey: string;
  let revokedKey: string;
  /** public (rahasia=false) complaints filed through Open311, one per format */
  const open: Record<Format, string> = { json: '', xml: '' };
  let confidential: string;
  let webPublic: string;
  let tangerangPublic: string;
  let oldPublic: string;

  const REPORTER = { first_name: 'Siti', last_name: 'Rahayu', email: 'siti.rahayu@example.id', phone: '081298765432' };
  const HTML_DESCRIPTION = 'Jalan <b>berlubang</b> & "dalam" di depan <sekolah>; awas motor!';

  /** One request through Fastify's inject; the answer read back in JSON's shape whatever the format. */
  async function open311(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Answer> {
    const res = await h.api.getHttpAdapter().getInstance().inject({
      method,
      url,
      ...(form === undefined ? {} : { payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    });
    const raw = res.body;
    const contentType = String(res.headers['content-type']);
    if (/\.xml(\?|$)/.test(url)) {
      expect(contentType).toBe('text/xml; charset=utf-8');
      expect(raw.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
      expect(XMLValidator.validate(raw)).toBe(true);
      const parsed = parser.parse(raw) as Record<string, unknown>;
      const [root] = Object.keys(parsed);
      return { status: res.statusCode, contentType, doc: unwrap(root, parsed[root]), raw, root };
    }
    expect(contentType).toBe('application/json; charset=utf-8');
    return { status: res.statusCode, contentType, doc: JSON.parse(raw), raw };
  }

  const get = (url: string) => open311('GET', url);
  const post = (format: Format, form: Record<string, string>, query = '') => open311('POST', `/open311/v2/requests.${format}${query}`, form);

  const filing = (extra: Record<string, string> = {}): Record<string, string> => ({
    api_key: apiKey,
    jurisdiction_id: 'serangkota.go.id',
    service_code: 'JALAN_RUSAK',
    'attribute[kelurahan]': '36.73.01.1001',
    description: 'Jalan berlubang besar di depan kantor kelurahan, berbahaya bagi pengendara.',
    ...extra,
  });

  const errorOf = (answer: Answer) => answer.doc as { code: string | number; description: string }[];

  /** Every public read must keep the reporter out. */
  const expectNoReporter = (answer: Answer) => {
    for (const secret of ['Siti', 'Rahayu', 'siti.rahayu', '081298765432', 'Bambang', 'bambang@example.id', 'reporter', 'accused']) {
      expect(answer.raw).not.toContain(secret);
    }
  };

  beforeAll(async () => {
    h = await startHarness();
    admin = await loginAdmin(h);
    const issue = async (body: Record<string, string>) => (await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body })).body;
    apiKey = (await issue({ name: 'FixMyStreet Indonesia' })).api_key;
    tangerangKey = (await issue({ name: 'Tangerang only', tenant: '36.71' })).api_key;
    const revoked = await issue({ name: 'Old client' });
    revokedKey = revoked.api_key;
    await call(h, 'DELETE', `/api/v1/admin/api-keys/${revoked.id}`, { token: admin });

    for (const format of FORMATS) {
      const filed = await post(
        format,
        filing({ ...REPORTER, description: HTML_DESCRIPTION, lat: '-6.1183', long: '106.1503', address_string: 'Jl. Veteran No. 1', 'attribute[rahasia]': 'false', 'attribute[anonim]': 'false' }),
      );
      expect(filed.status).toBe(200);
      open[format] = filed.doc[0].service_request_id;
    }
    confidential = (await post('json', filing({ first_name: 'Bambang', email: 'bambang@example.id', description: 'Pungutan liar di loket pelayanan, mohon ditindak.' }))).doc[0]
      .service_request_id;
    webPublic = (await call(h, 'POST', '/api/v1/complaints', { body: complaintBody({ confidential: false, reporter: { name: 'Siti Rahayu' } }) })).body.tracking_number;
    tangerangPublic = (
      await post('json', { ...filing({ 'attribute[rahasia]': 'false' }), api_key: tangerangKey, jurisdiction_id: '36.71', 'attribute[kelurahan]': '36.71.01.1001' })
    ).doc[0].service_request_id;
    oldPublic = (await post('json', filing({ 'attribute[rahasia]': 'false', service_code: 'LAMPU_JALAN_MATI', description: 'Lampu jalan mati sudah lama sekali.' }))).doc[0]
      .service_request_id;
    await h.quiet();
    // A complaint from 100 days ago: outside the default 90-day window.
    await h.db.query(`UPDATE complaint SET submitted_at = now() - interval '100 days', updated_at = now() - interval '99 days' WHERE tracking_number = $1`, [oldPublic]);
  });
  afterAll(() => h.close());

  describe.each(FORMATS)('in %s', (format) => {
    it('serves discovery, with or without a jurisdiction', async () => {
      const answer = await get(`/open311/v2/discovery.${format}`);
      expect(answer.status).toBe(200);
      if (format === 'xml') expect(answer.root).toBe('discovery');
      expect(answer.doc).toEqual({
        changeset: expect.any(String),
        contact: expect.any(String),
        key_service: expect.stringContaining('/api/v1/admin/api-keys'),
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: expect.stringMatching(/^http:\/\/[^/]+\/open311\/v2$/),
            changeset: expect.any(String),
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      });
      expect((await get(`/open311/v2/discovery.${format}?jurisdiction_id=36.73`)).doc.contact).toContain('Kota Serang');
      const unknown = await get(`/open311/v2/discovery.${format}?jurisdiction_id=jakarta.go.id`);
      expect(unknown.status).toBe(404);
      expect(errorOf(unknown)).toEqual([{ code: format === 'json' ? 404 : '404', description: 'jurisdiction_id was not found.' }]);
    });

    it('lists the services (the categories), by jurisdiction_id or tenant code alike', async () => {
      const answer = await get(`/open311/v2/services.${format}?jurisdiction_id=serangkota.go.id`);
      expect(answer.status).toBe(200);
      if (format === 'xml') expect(answer.root).toBe('services');
      expect(answer.doc.length).toBeGreaterThanOrEqual(10);
      expect(asText(answer.doc)).toContainEqual({
        service_code: 'SAMPAH',
        service_name: 'Sampah tidak terangkut',
        description: expect.any(String),
        metadata: 'true',
        type: 'realtime',
        keywords: expect.stringContaining('Uncollected rubbish'),
        group: 'lingkungan',
      });
      expect((await get(`/open311/v2/services.${format}?jurisdiction_id=36.73`)).doc).toEqual(answer.doc);
    });

    it('refuses a missing jurisdiction (400) and an unknown one (404) on every read', async () => {
      for (const path of ['services', 'services/SAMPAH', 'requests', `requests/${open.json}`, 'servicerequestupdates']) {
        const missing = await get(`/open311/v2/${path}.${format}`);
        expect(missing.status).toBe(400);
        expect(asText(errorOf(missing))).toEqual([{ code: '400', description: expect.stringContaining('jurisdiction_id was not provided') }]);
        const empty = await get(`/open311/v2/${path}.${format}?jurisdiction_id=`);
        expect(empty.status).toBe(400);
        const unknown = await get(`/open311/v2/${path}.${format}?jurisdiction_id=99.99`);
        expect(unknown.status).toBe(404);
        expect(asText(errorOf(unknown))).toEqual([{ code: '404', description: 'jurisdiction_id was not found.' }]);
      }
    });

    it('defines each service with a required kelurahan list of the jurisdiction, and the privacy choices', async () => {
      const answer = await get(`/open311/v2/services/SAMPAH.${format}?jurisdiction_id=serangkota.go.id`);
      expect(answer.status).toBe(200);
      if (format === 'xml') expect(answer.root).toBe('service_definition');
      const doc = asText(answer.doc) as { service_code: string; attributes: Record<string, any>[] };
      expect(doc.service_code).toBe('SAMPAH');
      expect(doc.attributes.map((a) => [a.code, a.order, a.required, a.datatype])).toEqual([
        ['kelurahan', '1', 'true', 'singlevaluelist'],
        ['anonim', '2', 'false', 'singlevaluelist'],
        ['rahasia', '3', 'false', 'singlevaluelist'],
      ]);
      const kelurahan = doc.attributes[0];
      expect(kelurahan).toMatchObject({ variable: 'true', datatype_description: expect.any(String), description: expect.stringContaining('Kota Serang') });
      expect(kelurahan.values).toHaveLength(67);
      expect(kelurahan.values).toContainEqual({ key: '36.73.01.1001', name: 'Kelurahan Serang, Kecamatan Serang' });
      expect(kelurahan.values.every((v: { key: string }) => v.key.startsWith('36.73.'))).toBe(true);
      expect(doc.attributes[2].values).toEqual([{ key: 'true', name: expect.stringMatching(/^Ya/) }, { key: 'false', name: expect.stringMatching(/^Tidak/) }]);

      const tangerang = asText((await get(`/open311/v2/services/SAMPAH.${format}?jurisdiction_id=tangerangkota.go.id`)).doc) as typeof doc;
      expect(tangerang.attributes[0].values).toHaveLength(104);
      expect(tangerang.attributes[0].values.every((v: { key: string }) => v.key.startsWith('36.71.'))).toBe(true);

      // About an official: always anonim and rahasia, so there is nothing to choose.
      const pungli = asText((await get(`/open311/v2/services/PUNGLI.${format}?jurisdiction_id=36.73`)).doc) as typeof doc;
      expect(pungli.attributes.map((a) => a.code)).toEqual(['kelurahan']);
    });

    it('answers 404 for an unknown service code', async () => {
      const unknown = await get(`/open311/v2/services/NOT_A_SERVICE.${format}?jurisdiction_id=36.73`);
      expect(unknown.status).toBe(404);
      expect(asText(errorOf(unknown))).toEqual([{ code: '404', description: 'service_code was not found.' }]);
    });

    it('files a request with a valid api_key and answers with its id', async () => {
      const before = await writeCounts(h.db);
      const answer = await post(format, filing({ description: `Diajukan lewat requests.${format}: jalan amblas.` }));
      expect(answer.status).toBe(200);
      if (format === 'xml') expect(answer.root).toBe('service_requests');
      expect(asText(answer.doc)).toEqual([{ service_request_id: expect.stringMatching(/^ADN-\d{6}-[0-9A-Z]{6}$/), service_notice: expect.any(String), account_id: '' }]);
      if (format === 'json') expect(answer.doc[0].account_id).toBeNull();
      const after = await writeCounts(h.db);
      expect(after.complaint - before.complaint).toBe(1);
      const [row] = await h.db.query(
        `SELECT c.channel, c.anonymous, c.confidential, c.category_code, a.channel AS audit_channel
           FROM complaint c JOIN audit_entry a ON a.stream = 'complaint:' || c.id::text AND a.seq = 1
          WHERE c.tracking_number = $1`,
        [answer.doc[0].service_request_id],
      );
      // The protective defaults hold for Open311 too.
      expect(row).toEqual({ channel: 'open311', anonymous: true, confidential: true, category_code: 'JALAN_RUSAK', audit_channel: 'open311' });
    });

    it('takes api_key and jurisdiction_id from the query string too', async () => {
      const { api_key: _k, jurisdiction_id: _j, ...rest } = filing();
      const answer = await post(format, rest, `?api_key=${apiKey}&jurisdiction_id=36.73`);
      expect(answer.status).toBe(200);
    });

    it('refuses each bad POST with the spec’s status and error, and writes nothing', async () => {
      const cases: { name: string; form: Record<string, string>; status: number; description: RegExp; query?: string }[] = [
        { name: 'no api_key', form: filing({ api_key: '' }), status: 403, description: /api_key was not provided/ },
        { name: 'unknown api_key', form: filing({ api_key: `adn_${'A'.repeat(32)}` }), status: 403, description: /Invalid api_key/ },
        { name: 'malformed api_key', form: filing({ api_key: "' OR 1=1 --" }), status: 403, description: /Invalid api_key/ },
        { name: 'revoked api_key', form: filing({ api_key: revokedKey }), status: 403, description: /Invalid api_key/ },
        { name: 'key of another tenant', form: filing({ api_key: tangerangKey }), status: 403, description: /not valid for this jurisdiction/ },
        { name: 'no jurisdiction', form: filing({ jurisdiction_id: '' }), status: 400, description: /jurisdiction_id was not provided/ },
        { name: 'unknown jurisdiction', form: filing({ jurisdiction_id: 'jakarta.go.id' }), status: 404, description: /jurisdiction_id was not found/ },
        { name: 'no service_code', form: filing({ service_code: '' }), status: 400, description: /service_code was not provided/ },
        { name: 'unknown service_code', form: filing({ service_code: 'NOPE' }), status: 404, description: /service_code was not found/ },
        { name: 'malformed service_code', form: filing({ service_code: '<script>' }), status: 404, description: /service_code was not found/ },
        { name: 'no kelurahan attribute', form: filing({ 'attribute[kelurahan]': '' }), status: 400, description: /attribute\[kelurahan\] is required/ },
        { name: 'kelurahan of another jurisdiction', form: filing({ 'attribute[kelurahan]': '36.71.01.1001' }), status: 400, description: /not a kelurahan\/desa of this jurisdiction/ },
        { name: 'no description', form: filing({ description: '' }), status: 400, description: /description is required/ },
        { name: 'description too short', form: filing({ description: 'rusak' }), status: 400, description: /description/ },
        { name: 'lat without long', form: filing({ lat: '-6.11' }), status: 400, description: /long/ },
        { name: 'lat not a number', form: filing({ lat: 'utara', long: '106.1' }), status: 400, description: /lat must be a decimal number/ },
        { name: 'bad email', form: filing({ email: 'bukan email' }), status: 400, description: /email/ },
        { name: 'bad privacy flag', form: filing({ 'attribute[rahasia]': 'kadang' }), status: 400, description: /attribute\[rahasia\] must be true or false/ },
        { name: 'NUL in description', form: filing({ description: 'jalan rusak\u0000 parah sekali di sini' }), status: 400, description: /description/ },
      ];
      // The worker must be done with earlier complaints, or its rows would count as ours.
      await h.quiet();
      const before = await writeCounts(h.db);
      for (const c of cases) {
        const answer = await post(format, c.form, c.query);
        expect({ case: c.name, status: answer.status }).toEqual({ case: c.name, status: c.status });
        const errors = asText(errorOf(answer)) as { code: string; description: string }[];
        expect(errors.length).toBeGreaterThanOrEqual(1);
        expect(errors[0].code).toBe(String(c.status));
        expect(errors.map((e) => e.description).join(' ')).toMatch(c.description);
      }
      // Several problems at once are listed together.
      const many = await post(format, filing({ 'attribute[kelurahan]': '', description: '' }));
      expect(many.status).toBe(400);
      expect(errorOf(many)).toHaveLength(2);
      // A JSON body is not what GeoReport v2 sends.
      const json = await h.api.getHttpAdapter().getInstance().inject({ method: 'POST', url: `/open311/v2/requests.${format}`, payload: JSON.stringify(filing()), headers: { 'content-type': 'application/json' } });
      expect(json.statusCode).toBe(400);
      expect(await writeCounts(h.db)).toEqual(before);
    });

    it('lists public requests with every field, and never a confidential one or a reporter', async () => {
      const answer = await get(`/open311/v2/requests.${format}?jurisdiction_id=serangkota.go.id`);
      expect(answer.status).toBe(200);
      if (format === 'xml') expect(answer.root).toBe('service_requests');
      const ids = answer.doc.map((r: { service_request_id: string }) => r.service_request_id);
      expect(ids).toEqual(expect.arrayContaining([open.json, open.xml, webPublic]));
      expect(ids).not.toContain(confidential);
      expect(ids).not.toContain(tangerangPublic);
      expect(ids).not.toContain(oldPublic);
      expectNoReporter(answer);
      // Newest first.
      const times = answer.doc.map((r: { requested_datetime: string }) => Date.parse(r.requested_datetime));
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      const mine = asText(answer.doc.find((r: { service_request_id: string }) => r.service_request_id === open[format]));
      expect(mine).toEqual({
        service_request_id: open[format],
        status: 'open',
        status_notes: 'Pengaduan sudah diteruskan ke unit yang berwenang dan menunggu tanggapan.',
        service_name: 'Jalan rusak',
        service_code: 'JALAN_RUSAK',
        description: HTML_DESCRIPTION,
        agency_responsible: expect.stringMatching(/^Dinas Pekerjaan Umum/),
        service_notice: '',
        requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/),
        updated_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/),
        expected_datetime: expect.stringMatching(/\+07:00$/),
        address: 'Jl. Veteran No. 1, Kelurahan Serang, Kecamatan Serang',
        address_id: '36.73.01.1001',
        zipcode: '',
        lat: '-6.1183',
        long: '106.1503',
        media_url: '',
      });
      if (format === 'xml') expect(answer.raw).toContain('Jalan &lt;b&gt;berlubang&lt;/b&gt; &amp; &quot;dalam&quot; di depan &lt;sekolah&gt;');
    });

    it('filters by ids (overriding the rest), service code, status and dates', async () => {
      const base = `/open311/v2/requests.${format}?jurisdiction_id=36.73`;
      const ids = (answer: Answer) => answer.doc.map((r: { service_request_id: string }) => r.service_request_id);

      const byId = await get(`${base}&service_request_id=${open.json},${confidential},${tangerangPublic},${oldPublic},ADN-000000-AAAAAA,junk&service_code=SAMPAH&status=closed`);
      expect(ids(byId).sort()).toEqual([oldPublic, open.json].sort());

      const roads = await get(`${base}&service_code=JALAN_RUSAK`);
      expect(ids(roads)).toEqual(expect.arrayContaining([open.json, open.xml]));
      expect(ids(roads)).not.toContain(webPublic);
      expect(ids(await get(`${base}&service_code=SAMPAH,JALAN_RUSAK`))).toEqual(expect.arrayContaining([open.json, webPublic]));

      expect(ids(await get(`${base}&status=open`))).toEqual(expect.arrayContaining([open.json, webPublic]));
      expect(ids(await get(`${base}&status=closed`))).not.toContain(open.json);

      const window = await get(`${base}&start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00%2B07:00`);
      expect(window.status).toBe(200);
      expect(window.doc).toEqual([]);
      const old = await get(`${base}&start_date=${new Date(Date.now() - 120 * 86_400_000).toISOString()}`);
      expect(ids(old)).toContain(oldPublic);
    });

    it('maps every complaint status to open or closed, with Indonesian notes', async () => {
      const expected: Record<string, [string, RegExp]> = {
        submitted: ['open', /diterima/],
        routed: ['open', /diteruskan/],
        in_progress: ['open', /ditindaklanjuti/],
        awaiting_info: ['open', /keterangan tambahan/],
        resolved: ['closed', /diselesaikan/],
        closed: ['closed', /ditutup/],
        rejected: ['closed', /tidak dapat ditindaklanjuti/],
      };
      const [{ status: original }] = await h.db.query(`SELECT status FROM complaint WHERE tracking_number = $1`, [webPublic]);
      try {
        for (const [status, [open311, notes]] of Object.entries(expected)) {
          // Only the status column is changed here; the lifecycle itself is tested where it is built.
          await h.db.query(`UPDATE complaint SET status = $2 WHERE tracking_number = $1`, [webPublic, status]);
          const answer = asText((await get(`/open311/v2/requests/${webPublic}.${format}?jurisdiction_id=36.73`)).doc) as { status: string; status_notes: string }[];
          expect({ status, open311: answer[0].status }).toEqual({ status, open311 });
          expect(answer[0].status_notes).toMatch(notes);
          const listed = await get(`/open311/v2/requests.${format}?jurisdiction_id=36.73&status=${open311}&service_code=SAMPAH`);
          expect(listed.doc.map((r: { service_request_id: string }) => r.service_request_id)).toContain(webPublic);
        }
      } finally {
        await h.db.query(`UPDATE complaint SET status = $2 WHERE tracking_number = $1`, [webPublic, original]);
      }
    });

    it('refuses bad filters with 400', async () => {
      const base = `/open311/v2/requests.${format}?jurisdiction_id=36.73`;
      for (const [query, description] of [
        ['&start_date=yesterday', /start_date must be a W3C date-time/],
        ['&end_date=2026-11-22T10:00:00', /end_date must be a W3C date-time/],
        ['&start_date=2026-02-30', /start_date/],
        ['&start_date=2026-03-01T00:00:00Z&end_date=2026-01-01T00:00:00Z', /must not be after/],
        ['&start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', /90 days/],
        ['&status=pending', /status must be open, closed/],
        ['&status=open&status=closed', /more than once/],
        ['&service_code=sampah;DROP', /service_code/],
        [`&service_request_id=${Array.from({ length: 1001 }, () => 'ADN-000000-AAAAAA').join(',')}`, /at most 1000/],
      ] as const) {
        const answer = await get(`${base}${query}`);
        expect({ query: query.slice(0, 60), status: answer.status }).toEqual({ query: query.slice(0, 60), status: 400 });
        expect(asText(errorOf(answer))).toEqual([{ code: '400', description: expect.stringMatching(description) }]);
      }
      expect((await get(`/open311/v2/servicerequestupdates.${format}?jurisdiction_id=36.73&start_date=kemarin`)).status).toBe(400);
    });

    it('reads one public request; unknown, confidential and other tenants’ are all 404', async () => {
      const one = await get(`/open311/v2/requests/${open.xml}.${format}?jurisdiction_id=serangkota.go.id`);
      expect(one.status).toBe(200);
      expect(one.doc).toHaveLength(1);
      expect(asText(one.doc[0])).toMatchObject({ service_request_id: open.xml, status: 'open', service_code: 'JALAN_RUSAK', address_id: '36.73.01.1001' });
      expectNoReporter(one);
      for (const id of [confidential, tangerangPublic, 'ADN-000000-AAAAAA', 'not-a-tracking-number']) {
        const answer = await get(`/open311/v2/requests/${id}.${format}?jurisdiction_id=serangkota.go.id`);
        expect({ id, status: answer.status }).toEqual({ id, status: 404 });
        expect(asText(errorOf(answer))).toEqual([{ code: '404', description: 'service_request_id was not found.' }]);
      }
      expect((await get(`/open311/v2/requests/${tangerangPublic}.${format}?jurisdiction_id=36.71`)).status).toBe(200);
    });

    it('feeds status updates of public requests without a key (mySociety’s servicerequestupdates)', async () => {
      const answer = await get(`/open311/v2/servicerequestupdates.${format}?jurisdiction_id=serangkota.go.id`);
      expect(answer.status).toBe(200);
      if (format === 'xml') expect(answer.root).toBe('service_requests_updates');
      expectNoReporter(answer);
      const updates = asText(answer.doc) as Record<string, string>[];
      const mine = updates.filter((u) => u.service_request_id === open.json);
      // Submission and the routing decision are not updates: the assignment names the unit.
      expect(mine.map((u) => u.description)).toEqual([expect.stringMatching(/^Pengaduan diteruskan ke Dinas Pekerjaan Umum/)]);
      for (const u of mine) {
        expect(u).toEqual({
          update_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          service_request_id: open.json,
          status: 'open',
          updated_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/),
          description: expect.any(String),
          media_url: '',
        });
      }
      const ids = new Set(updates.map((u) => u.service_request_id));
      expect(ids.has(confidential)).toBe(false);
      expect(ids.has(tangerangPublic)).toBe(false);
      // Oldest first.
      const times = updates.map((u) => Date.parse(u.updated_datetime));
      expect([...times].sort((a, b) => a - b)).toEqual(times);

      const later = await get(`/open311/v2/servicerequestupdates.${format}?jurisdiction_id=36.73&start_date=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
      expect(later.doc).toEqual([]);
    });
  });

  it('gives JSON its types: codes as strings, coordinates as numbers, booleans as booleans', async () => {
    const services = (await get('/open311/v2/services.json?jurisdiction_id=36.73')).doc;
    expect(typeof services[0].service_code).toBe('string');
    expect(services[0].metadata).toBe(true);
    const definition = (await get('/open311/v2/services/SAMPAH.json?jurisdiction_id=36.73')).doc;
    expect(definition.attributes[0]).toMatchObject({ variable: true, required: true, order: 1 });
    expect(typeof definition.attributes[0].values[0].key).toBe('string');
    const [request] = (await get(`/open311/v2/requests/${open.json}.json?jurisdiction_id=36.73`)).doc;
    expect(request).toMatchObject({ lat: -6.1183, long: 106.1503, zipcode: null, media_url: null, service_notice: null });
  });

  it('returns the same request for a repeated attribute[fixmystreet_id], even ten at once', async () => {
    const form = filing({ 'attribute[fixmystreet_id]': '4711', 'attribute[title]': 'Lubang', 'attribute[report_url]': 'https://fixmystreet.example/report/4711' });
    const before = await writeCounts(h.db);
    const first = await post('json', form);
    const again = await post('xml', form);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.doc[0].service_request_id).toBe(first.doc[0].service_request_id);
    const burst = await Promise.all(Array.from({ length: 10 }, () => post('json', filing({ 'attribute[fixmystreet_id]': '4712' }))));
    expect(burst.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(burst.map((a) => a.doc[0].service_request_id)).size).toBe(1);
    expect((await writeCounts(h.db)).complaint - before.complaint).toBe(2);

    // The id belongs to the client: another key's 4711 is another report.
    const otherKey = (await call(h, 'POST', '/api/v1/admin/api-keys', { token: admin, body: { name: 'Second FixMyStreet' } })).body.api_key;
    const other = await post('json', { ...form, api_key: otherKey });
    expect(other.doc[0].service_request_id).not.toBe(first.doc[0].service_request_id);

    // The same id with other content is refused, and nothing is written.
    await h.quiet();
    const counts = await writeCounts(h.db);
    const changed = await post('xml', { ...form, description: 'Isi yang berbeda untuk laporan yang sama, seharusnya ditolak.' });
    expect(changed.status).toBe(400);
    expect(asText(errorOf(changed))).toEqual([{ code: '409', description: expect.stringContaining('fixmystreet_id') }]);
    expect(await writeCounts(h.db)).toEqual(counts);
  });

  it('follows the real lifecycle: acknowledged is open, resolved is closed in reads and fixed in the updates feed', async () => {
    const filed = await post('json', filing({ 'attribute[rahasia]': 'false', description: 'Jalan amblas di depan pasar, mohon segera diperbaiki.' }));
    const id: string = filed.doc[0].service_request_id;
    const pupr = await officialIn(h, admin, 'OPD.36.73.PUPR');
    await h.quiet();
    const act = (action: string, body: Record<string, unknown>) => call(h, 'POST', `/api/v1/complaints/${id}/${action}`, { token: pupr.token, body });
    const read = async (format: Format) => asText((await get(`/open311/v2/requests/${id}.${format}?jurisdiction_id=36.73`)).doc[0]) as Record<string, string>;

    expect((await act('acknowledge', {})).status).toBe(200);
    for (const format of FORMATS) expect(await read(format)).toMatchObject({ status: 'open', status_notes: expect.stringMatching(/ditindaklanjuti/) });

    expect((await act('resolve', { resolution: 'Lubang sudah ditambal dan diaspal ulang oleh tim PUPR.' })).status).toBe(200);
    for (const format of FORMATS) {
      expect(await read(format)).toMatchObject({ status: 'closed', status_notes: expect.stringMatching(/diselesaikan/) });
      const feed = asText((await get(`/open311/v2/servicerequestupdates.${format}?jurisdiction_id=36.73`)).doc) as Record<string, string>[];
      // Without a key: the standard sentences, never the officer's own words.
      expect(feed.filter((u) => u.service_request_id === id).map((u) => [u.status, u.description])).toEqual([
        ['open', expect.stringMatching(/^Pengaduan diteruskan ke Dinas Pekerjaan Umum/)],
        ['in_progress', 'Pengaduan sedang ditangani.'],
        ['fixed', expect.stringMatching(/^Petugas menyatakan pengaduan selesai/)],
      ]);
      expect(JSON.stringify(feed)).not.toContain('Lubang sudah ditambal');
    }
    const closed = await get('/open311/v2/requests.json?jurisdiction_id=36.73&status=closed');
    expect(closed.doc.map((r: { service_request_id: string }) => r.service_request_id)).toContain(id);
    // Both ends hold to the second, as updated_datetime shows it: a window from the resolution's own
    // updated_datetime has it, one from a second later does not.
    const feed = asText((await get('/open311/v2/servicerequestupdates.json?jurisdiction_id=36.73')).doc) as Record<string, string>[];
    const resolution = feed.filter((u) => u.service_request_id === id).at(-1)!;
    const from = (start: string) => get(`/open311/v2/servicerequestupdates.json?jurisdiction_id=36.73&start_date=${encodeURIComponent(start)}`);
    const tail = asText((await from(resolution.updated_datetime)).doc) as Record<string, string>[];
    const mine = tail.filter((u) => u.service_request_id === id);
    expect(mine.map((u) => u.update_id)).toContain(resolution.update_id);
    // Earlier steps taken within the same second are in that window too; none from a second before.
    expect(mine.every((u) => u.updated_datetime === resolution.updated_datetime)).toBe(true);
    const later = new Date(Date.parse(resolution.updated_datetime) + 1000).toISOString();
    expect(((await from(later)).doc as Record<string, string>[]).filter((u) => u.service_request_id === id)).toEqual([]);
    const until = asText((await get(`/open311/v2/servicerequestupdates.json?jurisdiction_id=36.73&end_date=${encodeURIComponent(resolution.updated_datetime)}`)).doc) as Record<string, string>[];
    expect(until.map((u) => u.update_id)).toContain(resolution.update_id);
  });

  it('leaves form bodies to the Open311 paths: the JSON API still answers 415', async () => {
    const res = await call(h, 'POST', '/api/v1/complaints', { raw: 'category=SAMPAH', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('caps a list at 1000 requests', async () => {
    // 1005 public complaints straight into the table: what is measured is the cap, not intake.
    await h.db.query(
      `INSERT INTO complaint (id, tracking_number, access_code_hash, tenant_code, category_code, kelurahan_code, kecamatan_code, description,
         anonymous, confidential, status, channel, submitted_at, updated_at)
       SELECT gen_random_uuid(), 'ADN-200101-' || lpad(upper(to_hex(g)), 6, '0'), 'x', '36.04', 'SAMPAH', a.code, a.parent_code,
              'Pengaduan massal untuk menguji batas.', true, false, 'submitted', 'web', now() - interval '1 day', now() - interval '1 day'
         FROM generate_series(1, 1005) g, (SELECT code, parent_code FROM area WHERE tenant_code = '36.04' AND level IN ('kelurahan', 'desa') LIMIT 1) a`,
    );
    const answer = await get('/open311/v2/requests.json?jurisdiction_id=serangkab.go.id');
    expect(answer.status).toBe(200);
    expect(answer.doc).toHaveLength(1000);
  });

  it('documents every Open311 endpoint in the OpenAPI spec', async () => {
    const spec = (await call(h, 'GET', '/api/docs/openapi.json')).body;
    const paths = Object.entries(spec.paths as Record<string, Record<string, { tags?: string[] }>>).filter(([p]) => p.startsWith('/open311/v2/'));
    const operations = paths.flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${p}`, tags: op.tags })));
    for (const key of [
      'GET /open311/v2/discovery.xml',
      'GET /open311/v2/discovery.json',
      'GET /open311/v2/services.json',
      'GET /open311/v2/services/{file}',
      'POST /open311/v2/requests.xml',
      'POST /open311/v2/requests.json',
      'GET /open311/v2/requests.json',
      'GET /open311/v2/requests/{file}',
      'GET /open311/v2/servicerequestupdates.xml',
      'GET /open311/v2/servicerequestupdates.json',
      'GET /open311/v2/media/{file}',
    ]) {
      expect(operations.find((o) => o.key === key)).toEqual({ key, tags: ['open311'] });
    }
  });
});
