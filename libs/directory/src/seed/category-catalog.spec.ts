import { RESOLUTION_CLASSES } from '../areas/category.entity';
import { CATEGORY_CATALOG, type CategoryDefinition } from './category-catalog';

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

  it('has non-empty, trimmed texts, a known group and resolution class', () => {
    for (const c of CATEGORY_CATALOG) {
      for (const text of [c.name, c.name_en, c.description, c.description_en]) {
        expect(text.length).toBeGreaterThan(0);
        expect(text.trim()).toBe(text);
      }
      expect(GROUPS).toContain(c.group);
      expect(RESOLUTION_CLASSES).toContain(c.resolution_class);
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

  it('is frozen', () => {
    expect(Object.isFrozen(CATEGORY_CATALOG)).toBe(true);
    for (const c of CATEGORY_CATALOG) expect(Object.isFrozen(c)).toBe(true);
  });
});
