import { escapeXmlText, toXml } from './open311-xml';

describe('toXml', () => {
  it('writes lists with their item names, objects in key order, null as an empty element', () => {
    const xml = toXml('service_requests', [{ service_request_id: 'ADN-261122-7K3QX9', service_notice: null, account_id: null, lat: -6.12, ok: true }], {
      service_requests: 'request',
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n' +
        '<service_requests><request><service_request_id>ADN-261122-7K3QX9</service_request_id><service_notice/><account_id/>' +
        '<lat>-6.12</lat><ok>true</ok></request></service_requests>\n',
    );
  });

  it('nests lists inside objects (a service definition)', () => {
    const xml = toXml('service_definition', { service_code: 'SAMPAH', attributes: [{ code: 'kelurahan', values: [{ key: '36.73.01.1001', name: 'Serang' }] }] }, {
      attributes: 'attribute',
      values: 'value',
    });
    expect(xml).toContain('<attributes><attribute><code>kelurahan</code><values><value><key>36.73.01.1001</key><name>Serang</name></value></values></attribute></attributes>');
  });

  it('escapes markup and drops what XML cannot hold', () => {
    expect(escapeXmlText(`<script>alert("x") & 'y'</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;) &amp; &apos;y&apos;&lt;/script&gt;');
    expect(escapeXmlText('a\u0000b\u0008c\td\ne\uFFFFf')).toBe('a\uFFFDb\uFFFDc\td\ne\uFFFDf');
    expect(escapeXmlText('lone \uD800 surrogate, emoji 🙂 kept')).toBe('lone \uFFFD surrogate, emoji 🙂 kept');
    expect(escapeXmlText(']]>')).toBe(']]&gt;');
  });

  it('refuses what it cannot write faithfully', () => {
    expect(() => toXml('x', { 'bad name': 1 }, {})).toThrow();
    expect(() => toXml('x', { list: [1] }, {})).toThrow();
    expect(() => toXml('x', { n: Number.NaN }, {})).toThrow();
  });
});
