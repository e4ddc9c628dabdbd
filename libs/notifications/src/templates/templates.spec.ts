import { renderNotice, TEMPLATES } from './templates';

const context = { trackingNumber: 'ADN-261122-ABCDEF', unitName: 'Kelurahan Serang', trackingUrl: 'http://localhost:3000/lacak', data: { due_at: '2026-11-25T16:59:59.999Z', kind: 'first_response', from: '2026-11-26T16:59:59.999Z', year: 2026 } };

describe('notice templates', () => {
  it.each(Object.keys(TEMPLATES))('%s renders Bahasa Indonesia first, then English, with the tracking number', (name) => {
    const notice = renderNotice(name, context)!;
    expect(notice.subject).toContain('ADN-261122-ABCDEF');
    const [id, en] = notice.body.split('\n\n');
    expect(id.length).toBeGreaterThan(10);
    expect(en.length).toBeGreaterThan(10);
    expect(notice.body).not.toMatch(/undefined|null|\[object/);
  });

  it('gives residents the tracking link and never anything like an access code', () => {
    for (const name of Object.keys(TEMPLATES).filter((n) => n.startsWith('resident.'))) {
      const notice = renderNotice(name, context)!;
      expect(notice.body).toContain('http://localhost:3000/lacak');
      expect(notice.body).not.toMatch(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    }
  });

  it('refuses a template that does not exist', () => {
    expect(renderNotice('resident.unknown', context)).toBeNull();
  });

  it('says when a deadline is provisional (a year without its official holiday table)', () => {
    const notice = renderNotice('unit.assigned', { ...context, data: { ...context.data, due_provisional: true } })!;
    expect(notice.body).toContain('2026-11-25 16:59 UTC (sementara).');
    expect(notice.body).toContain('2026-11-25 16:59 UTC (provisional).');
    expect(renderNotice('unit.assigned', context)!.body).not.toMatch(/sementara|provisional/);
  });
});
