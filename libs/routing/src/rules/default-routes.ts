import type { Tier } from '@aduan/directory';

/** Who handles a category unless a tenant's admin changed it: the first tier and, for `opd`, which OPD. */
export interface CategoryRule {
  readonly tier: Tier;
  /** For tier `'opd'` only: the OPD key from `OPD_CATALOG`. Absent for every other tier. */
  readonly opd?: string;
}

/**
 * The default routing rule of each category of the catalog (seeded per tenant by seedRouting;
 * afterwards the `routing_rule` rows are the truth).
 *
 * The choices reflect practice in Banten kota/kabupaten: street lighting (PJU) sits with the
 * Dinas Perhubungan (a tenant that assigns it to Perkim can override the rule); neighbourhood
 * rubbish goes to the kelurahan first, while illegal dumps and pollution go to the DLH;
 * social-assistance data (DTKS) is verified by the kelurahan/desa.
 */
export const DEFAULT_ROUTES: Readonly<Record<string, CategoryRule>> = freezeRoutes({
  JALAN_RUSAK: { tier: 'opd', opd: 'PUPR' },
  LAMPU_JALAN_MATI: { tier: 'opd', opd: 'DISHUB' },
  SAMPAH: { tier: 'lurah' },
  TPS_LIAR: { tier: 'opd', opd: 'DLH' },
  DRAINASE_BANJIR: { tier: 'opd', opd: 'PUPR' },
  KUOTA_BPJS_PBI: { tier: 'opd', opd: 'DINSOS' },
  BANTUAN_SOSIAL: { tier: 'lurah' },
  LAYANAN_PUSKESMAS: { tier: 'opd', opd: 'DINKES' },
  KTP_KK: { tier: 'opd', opd: 'DISDUKCAPIL' },
  LAYANAN_KELURAHAN_LAMBAT: { tier: 'camat' },
  PUNGLI: { tier: 'inspektorat' },
  PENYALAHGUNAAN_WEWENANG: { tier: 'inspektorat' },
  KETERTIBAN_UMUM: { tier: 'lurah' },
  PEDAGANG_KAKI_LIMA: { tier: 'opd', opd: 'SATPOLPP' },
  PARKIR_LIAR: { tier: 'opd', opd: 'DISHUB' },
  PENCEMARAN_LINGKUNGAN: { tier: 'opd', opd: 'DLH' },
  PENERIMAAN_MURID_BARU: { tier: 'opd', opd: 'DINDIK' },
  LAINNYA: { tier: 'lurah' },});

function freezeRoutes(routes: Record<string, CategoryRule>): Readonly<Record<string, CategoryRule>> {
  for (const rule of Object.values(routes)) Object.freeze(rule);
  return Object.freeze(routes);
}
