import { OPD_CATALOG, TENANTS } from './opd-catalog';

describe('OPD_CATALOG', () => {
  const keys = OPD_CATALOG.map((opd) => opd.key);

  it('has unique keys', () => {
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has keys matching [A-Z0-9_]+', () => {
    for (const key of keys) expect(key).toMatch(/^[A-Z0-9_]+$/);
  });

  it('contains the required OPD with their official names', () => {
    const byKey = new Map(OPD_CATALOG.map((opd) => [opd.key, opd.name]));
    expect(Object.fromEntries(byKey)).toEqual(
      expect.objectContaining({
        PUPR: 'Dinas Pekerjaan Umum dan Penataan Ruang',
        DINSOS: 'Dinas Sosial',
        DINKES: 'Dinas Kesehatan',
        DISDUKCAPIL: 'Dinas Kependudukan dan Pencatatan Sipil',
        DLH: 'Dinas Lingkungan Hidup',
        DISHUB: 'Dinas Perhubungan',
        SATPOLPP: 'Satuan Polisi Pamong Praja',
        PERKIM: 'Dinas Perumahan dan Kawasan Permukiman',
        DINDIK: 'Dinas Pendidikan',
        BPBD: 'Badan Penanggulangan Bencana Daerah',
        SETDA: 'Sekretariat Daerah',
      }),
    );
  });

  it('does not contain the Inspektorat (a unit type of its own)', () => {
    for (const opd of OPD_CATALOG) {
      expect(opd.key).not.toMatch(/INSPEKTORAT/);
      expect(opd.name.toLowerCase()).not.toContain('inspektorat');
    }
  });

  it('has non-empty, trimmed text fields and unique names', () => {
    for (const opd of OPD_CATALOG) {
      for (const text of [opd.name, opd.short_name, opd.description]) {
        expect(text.trim()).toBe(text);
        expect(text.length).toBeGreaterThan(0);
      }
    }
    const names = OPD_CATALOG.map((opd) => opd.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(OPD_CATALOG)).toBe(true);
    for (const opd of OPD_CATALOG) expect(Object.isFrozen(opd)).toBe(true);
  });
});

describe('TENANTS', () => {
  it('has exactly the three Banten tenants with exact codes', () => {
    expect(TENANTS.map((t) => t.code)).toEqual(['36.73', '36.71', '36.04']);
  });

  it('maps codes to name, kind and jurisdiction', () => {
    expect(TENANTS.map(({ code, name, kind, jurisdiction_id }) => ({ code, name, kind, jurisdiction_id }))).toEqual([
      { code: '36.73', name: 'Kota Serang', kind: 'kota', jurisdiction_id: 'serangkota.go.id' },
      { code: '36.71', name: 'Kota Tangerang', kind: 'kota', jurisdiction_id: 'tangerangkota.go.id' },
      { code: '36.04', name: 'Kabupaten Serang', kind: 'kabupaten', jurisdiction_id: 'serangkab.go.id' },
    ]);
  });

  it('uses Asia/Jakarta everywhere and a name matching the kind', () => {
    for (const tenant of TENANTS) {
      expect(tenant.timezone).toBe('Asia/Jakarta');
      expect(tenant.name.startsWith(tenant.kind === 'kota' ? 'Kota ' : 'Kabupaten ')).toBe(true);
    }
  });

  it('has unique codes and jurisdiction ids', () => {
    expect(new Set(TENANTS.map((t) => t.code)).size).toBe(TENANTS.length);
    expect(new Set(TENANTS.map((t) => t.jurisdiction_id)).size).toBe(TENANTS.length);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(TENANTS)).toBe(true);
    for (const tenant of TENANTS) expect(Object.isFrozen(tenant)).toBe(true);
  });
});
