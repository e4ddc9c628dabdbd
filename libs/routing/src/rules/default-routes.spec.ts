import { CATEGORY_CATALOG, OPD_CATALOG, TIERS } from '@aduan/directory';
import { CategoryRule, DEFAULT_ROUTES } from './default-routes';

const routes = Object.entries(DEFAULT_ROUTES);

describe('DEFAULT_ROUTES', () => {
  it('has one rule for each category of the catalog, and none for a category it lacks', () => {
    expect(Object.keys(DEFAULT_ROUTES).sort()).toEqual(CATEGORY_CATALOG.map((c) => c.code).sort());
  });

  it('names a known tier, and an existing OPD key in every opd rule and only there', () => {
    const opdKeys = new Set(OPD_CATALOG.map((o) => o.key));
    expect(opdKeys.size).toBeGreaterThan(0);
    for (const [code, rule] of routes) {
      expect(TIERS).toContain(rule.tier);
      if (rule.tier === 'opd') expect({ code, opdKnown: rule.opd !== undefined && opdKeys.has(rule.opd) }).toEqual({ code, opdKnown: true });
      else expect({ code, keys: Object.keys(rule) }).toEqual({ code, keys: ['tier'] });
    }
  });

  it('routes every about_official category to the Inspektorat', () => {
    const aboutOfficial = CATEGORY_CATALOG.filter((c) => c.about_official);
    expect(aboutOfficial.length).toBeGreaterThan(0);
    for (const c of aboutOfficial) expect(DEFAULT_ROUTES[c.code]).toEqual({ tier: 'inspektorat' });
  });

  it('contains the expected default rules', () => {
    const expected: Record<string, CategoryRule> = {
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
    for (const [code, rule] of Object.entries(expected)) expect({ code, rule: DEFAULT_ROUTES[code] }).toEqual({ code, rule });
  });

  it('is frozen, each rule too', () => {
    expect(Object.isFrozen(DEFAULT_ROUTES)).toBe(true);
    for (const [, rule] of routes) expect(Object.isFrozen(rule)).toBe(true);
  });
});
