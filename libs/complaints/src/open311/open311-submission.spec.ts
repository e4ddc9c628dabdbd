import { open311Submission } from './open311-submission';

const KELURAHAN = new Set(['36.73.01.1001', '36.73.01.1002']);
const form = (extra: Record<string, string | string[]> = {}) => ({
  api_key: 'adn_x',
  jurisdiction_id: 'serangkota.go.id',
  service_code: 'SAMPAH',
  description: 'Sampah menumpuk di depan pasar sejak seminggu lalu.',
  'attribute[kelurahan]': '36.73.01.1001',
  ...extra,
});

describe('open311Submission', () => {
  it('maps a GeoReport v2 form onto the complaint, with the protective defaults left to intake', () => {
    const result = open311Submission(
      form({ lat: '-6.1204', long: '106.1503', address_string: 'Jl. Maulana Hasanudin', first_name: 'Siti', last_name: 'Aminah', email: 'siti@example.id', phone: '+62 812 3456 7890', 'attribute[fixmystreet_id]': '4711', 'attribute[title]': 'ignored' }),
      KELURAHAN,
    );
    expect(result).toEqual({
      ok: true,
      fixmystreetId: '4711',
      input: {
        category: 'SAMPAH',
        kelurahan: '36.73.01.1001',
        description: 'Sampah menumpuk di depan pasar sejak seminggu lalu.',
        address: 'Jl. Maulana Hasanudin',
        lat: -6.1204,
        long: 106.1503,
        reporter: { name: 'Siti Aminah', email: 'siti@example.id', phone: '+62 812 3456 7890' },
      },
    });
  });

  it('treats empty values as absent and reads the privacy attributes', () => {
    const result = open311Submission(form({ email: '', lat: '', long: '', 'attribute[anonim]': 'false', 'attribute[rahasia]': 'false' }), KELURAHAN);
    expect(result).toMatchObject({ ok: true, fixmystreetId: null, input: { anonymous: false, confidential: false } });
    expect(result.ok && result.input.reporter).toBeUndefined();
  });

  it('names every missing or bad field the way the client sent it', () => {
    const result = open311Submission({ service_code: '', 'attribute[rahasia]': 'maybe', lat: 'abc' }, KELURAHAN);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.field).sort()).toEqual(
      ['attribute[kelurahan]', 'attribute[rahasia]', 'description', 'lat', 'service_code'].sort(),
    );
  });

  it('refuses a kelurahan of another jurisdiction, a lone lat, a short description and a bad email', () => {
    expect(open311Submission(form({ 'attribute[kelurahan]': '36.71.01.1001' }), KELURAHAN)).toMatchObject({ ok: false, errors: [{ field: 'attribute[kelurahan]' }] });
    expect(open311Submission(form({ lat: '-6.1' }), KELURAHAN)).toMatchObject({ ok: false, errors: [{ field: 'long' }] });
    expect(open311Submission(form({ description: 'rusak' }), KELURAHAN)).toMatchObject({ ok: false, errors: [{ field: 'description' }] });
    expect(open311Submission(form({ email: 'bukan-email' }), KELURAHAN)).toMatchObject({ ok: false, errors: [{ field: 'email' }] });
    expect(open311Submission(form({ 'attribute[fixmystreet_id]': 'a b' }), KELURAHAN)).toMatchObject({ ok: false, errors: [{ field: 'attribute[fixmystreet_id]' }] });
  });

  it('refuses a field sent twice rather than guess which one was meant', () => {
    expect(open311Submission(form({ description: ['satu keluhan panjang', 'dua keluhan panjang'] }), KELURAHAN)).toMatchObject({ ok: false, errors: [{ field: 'description' }] });
  });
});
