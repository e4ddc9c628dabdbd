import { CATEGORY_CATALOG, type CategoryDefinition, type ResolutionClass, type Tier } from './category-catalog';

/**
 * The directory's OPD catalog, loaded at test time only: routing must not
 * import the directory library, so the shape is declared structurally here.
 */
const { OPD_CATALOG } = jest.requireActual<{ OPD_CATALOG: readonly { readonly key: string }[] }>(
  '../../../directory/src/seed/opd-catalog',
);

const TIERS: readonly Tier[] = ['lurah', 'camat', 'opd', 'inspektorat'];
const RESOLUTION_CLASSES: readonly ResolutionClass[] = ['ringan', 'normatif', 'tanpa_pemeriksaan', 'dengan_pemeriksaan'];
const GROUPS: readonly string[] = [
  'infrastruktur',
  'sosial',
  'kesehatan',
  'administrasi_kependudukan',
  'lingkungan',
  'ketertiban',
  'pelayanan_publik',
  'pendidikan',
  'integritas',
];

const byCode = new Map<string, CategoryDefinition>(CATEGORY_CATALOG.map((c) => [c.code, c]));

describe('CATEGORY_CATALOG', () => {
  it('has at least 12 categories', () => {
    expect(CATEGORY_CATALOG.length).toBeGreaterThanOrEqual(12);
  });

  it('has unique codes matching [A-Z0-9_]+', () => {
    expect(byCode.size).toBe(CATEGORY_CATALOG.length);
    for (const { code } of CATEGORY_CATALOG) expect(code).toMatch(/^[A-Z0-9_]+$/);
  });

  it('has unique names in both languages', () => {
    expect(new Set(CATEGORY_CATALOG.map((c) => c.name)).size).toBe(CATEGORY_CATALOG.length);
    expect(new Set(CATEGORY_CATALOG.map((c) => c.name_en)).size).toBe(CATEGORY_CATALOG.length);
  });

  it('has non-empty, trimmed texts, a known group, tier and resolution class', () => {
    for (const c of CATEGORY_CATALOG) {
      for (const text of [c.name, c.name_en, c.description, c.description_en]) {
        expect(text.length).toBeGreaterThan(0);
        expect(text.trim()).toBe(text);
      }
      expect(GROUPS).toContain(c.group);
      expect(TIERS).toContain(c.rule.tier);
      expect(RESOLUTION_CLASSES).toContain(c.resolution_class);
    }
  });

  it('names an existing OPD key in every opd rule', () => {
    const opdKeys = new Set(OPD_CATALOG.map((o) => o.key));
    expect(opdKeys.size).toBeGreaterThan(0);
    for (const c of CATEGORY_CATALOG.filter((x) => x.rule.tier === 'opd')) {
      expect({ code: c.code, opdKnown: c.rule.opd !== undefined && opdKeys.has(c.rule.opd) }).toEqual({
        code: c.code,
        opdKnown: true,
      });
    }
  });

  it('has no opd on non-opd rules', () => {
    for (const c of CATEGORY_CATALOG.filter((x) => x.rule.tier !== 'opd')) {
      expect(Object.keys(c.rule)).toEqual(['tier']);
    }
  });

  it('routes every about_official category to the Inspektorat', () => {
    const aboutOfficial = CATEGORY_CATALOG.filter((c) => c.about_official);
    expect(aboutOfficial.length).toBeGreaterThan(0);
    for (const c of aboutOfficial) expect(c.rule).toEqual({ tier: 'inspektorat' });
  });

  it('contains the expected categories with their default rules', () => {
    const expected: Record<string, CategoryDefinition['rule']> = {
      JALAN_RUSAK: { tier: 'opd', opd: 'PUPR' },
      LAMPU_JALAN_MATI: { tier: 'opd', opd: 'DISHUB' },
      SAMPAH: { tier: 'lurah' },
      TPS_LIAR: { tier: 'opd', opd: 'DLH' },
      DRAINASE_BANJIR: { tier: 'opd', opd: 'PUPR' },
      KUOTA_BPJS_PBI: { tier: 'opd', opd: 'DINSOS' },
      LAYANAN_PUSKESMAS: { tier: 'opd', opd: 'DINKES' },
      KTP_KK: { tier: 'opd', opd: 'DISDUKCAPIL' },
      LAYANAN_KELURAHAN_LAMBAT: { tier: 'camat' },
      PUNGLI: { tier: 'inspektorat' },
      PENYALAHGUNAAN_WEWENANG: { tier: 'inspektorat' },
      KETERTIBAN_UMUM: { tier: 'lurah' },
      BANTUAN_SOSIAL: { tier: 'lurah' },
      PENCEMARAN_LINGKUNGAN: { tier: 'opd', opd: 'DLH' },
      PEDAGANG_KAKI_LIMA: { tier: 'opd', opd: 'SATPOLPP' },
      LAINNYA: { tier: 'lurah' },
    };
    for (const [code, rule] of Object.entries(expected)) {
      expect({ code, rule: byCode.get(code)?.rule }).toEqual({ code, rule });
    }
  });

  it('marks PUNGLI and PENYALAHGUNAAN_WEWENANG as about_official and nothing unexpected', () => {
    expect(
      CATEGORY_CATALOG.filter((c) => c.about_official)
        .map((c) => c.code)
        .sort(),
    ).toEqual(['PENYALAHGUNAAN_WEWENANG', 'PUNGLI']);
  });

  it('uses realistic resolution classes for the anchor categories', () => {
    expect(byCode.get('LAMPU_JALAN_MATI')?.resolution_class).toBe('ringan');
    expect(byCode.get('JALAN_RUSAK')?.resolution_class).toBe('tanpa_pemeriksaan');
    expect(byCode.get('PUNGLI')?.resolution_class).toBe('dengan_pemeriksaan');
    expect(byCode.get('PENYALAHGUNAAN_WEWENANG')?.resolution_class).toBe('dengan_pemeriksaan');
  });

  it('is frozen, including rules', () => {
    expect(Object.isFrozen(CATEGORY_CATALOG)).toBe(true);
    for (const c of CATEGORY_CATALOG) {
      expect(Object.isFrozen(c)).toBe(true);
      expect(Object.isFrozen(c.rule)).toBe(true);
    }
  });
});
