import type { UnitType } from './unit.entity';

/**
 * The kind of unit a complaint sits with: the kelurahan/desa head (`lurah`), the camat, a
 * sectoral OPD (`opd`, the Sekretariat Daerah included), or the Inspektorat.
 */
export const TIERS = ['lurah', 'camat', 'opd', 'inspektorat'] as const;
export type Tier = (typeof TIERS)[number];

/** The tier of a unit, by its type. */
export const TIER_OF_UNIT: Readonly<Record<UnitType, Tier>> = { kelurahan: 'lurah', kecamatan: 'camat', opd: 'opd', inspektorat: 'inspektorat' };
