import { DEFAULT_MARKERS, derivePossiblyAccused, DirectoryUnit, MarkerSet, PossiblyAccusedInput, withHeadedUnits } from '@aduan/complaints';
import { AccessPolicy, ComplaintAccessFacts, Principal } from '@aduan/directory';
import { decideRoute, RouteFacts } from './decide-route';

const kel = { id: 'kel', active: true };
const kec = { id: 'kec', active: true };
const insp = { id: 'insp', active: true };
const setda = { id: 'setda', active: true };
const pupr = { id: 'pupr', active: true };
const base: RouteFacts = { rule: null, kelurahanOffice: kel, kecamatanOffice: kec, inspektorat: insp, setda, aboutOfficial: false, accusedUnitIds: [] };

describe('decideRoute', () => {
  it('sends a complaint to its kelurahan’s lurah by default', () => {
    expect(decideRoute(base)).toEqual({ unitId: 'kel', tier: 'lurah', reason: 'location' });
    expect(decideRoute({ ...base, rule: { tier: 'lurah', unit: null } })).toEqual({ unitId: 'kel', tier: 'lurah', reason: 'location' });
  });

  it('follows a category rule to an OPD, the camat or the Inspektorat', () => {
    expect(decideRoute({ ...base, rule: { tier: 'opd', unit: pupr } })).toEqual({ unitId: 'pupr', tier: 'opd', reason: 'rule' });
    expect(decideRoute({ ...base, rule: { tier: 'camat', unit: null } })).toEqual({ unitId: 'kec', tier: 'camat', reason: 'rule' });
    expect(decideRoute({ ...base, rule: { tier: 'inspektorat', unit: null } })).toEqual({ unitId: 'insp', tier: 'inspektorat', reason: 'rule' });
  });

  it('sends complaints about officials to the Inspektorat, never to the accused unit', () => {
    expect(decideRoute({ ...base, aboutOfficial: true })).toMatchObject({ unitId: 'insp', reason: 'conflict_of_interest' });
    expect(decideRoute({ ...base, accusedUnitIds: ['kel'] })).toMatchObject({ unitId: 'insp', reason: 'conflict_of_interest' });
    // The Inspektorat suspect or gone: the Sekda's office, whatever the category's rule.
    expect(decideRoute({ ...base, accusedUnitIds: ['insp'] })).toEqual({ unitId: 'setda', tier: 'opd', reason: 'conflict_of_interest_setda' });
    expect(decideRoute({ ...base, inspektorat: null, accusedUnitIds: ['kel'] })).toEqual({ unitId: 'setda', tier: 'opd', reason: 'conflict_of_interest_setda' });
    // Both suspect: the nearest office outside the set, along the ordinary route.
    expect(decideRoute({ ...base, accusedUnitIds: ['insp', 'setda', 'kec'] })).toEqual({ unitId: 'kel', tier: 'lurah', reason: 'conflict_of_interest_nearest' });
    expect(decideRoute({ ...base, rule: { tier: 'opd', unit: pupr }, accusedUnitIds: ['insp', 'setda', 'pupr', 'kec'] })).toEqual({
      unitId: 'kel', tier: 'lurah', reason: 'conflict_of_interest_nearest',
    });
  });

  it('falls back to the camat when the rule names a unit that is gone or inactive', () => {
    expect(decideRoute({ ...base, rule: { tier: 'opd', unit: null } })).toEqual({ unitId: 'kec', tier: 'camat', reason: 'fallback_camat' });
    expect(decideRoute({ ...base, rule: { tier: 'opd', unit: { id: 'pupr', active: false } } })).toMatchObject({ unitId: 'kec' });
    expect(decideRoute({ ...base, kelurahanOffice: null })).toMatchObject({ unitId: 'kec', reason: 'fallback_camat' });
  });

  it('never sends a complaint nowhere while any office is usable, nor anywhere suspect', () => {
    expect(decideRoute({ ...base, kelurahanOffice: null, kecamatanOffice: null })).toEqual({ unitId: 'insp', tier: 'inspektorat', reason: 'fallback_inspektorat' });
    expect(decideRoute({ ...base, kelurahanOffice: null, kecamatanOffice: null, inspektorat: null })).toBeNull();
    expect(decideRoute({ ...base, accusedUnitIds: ['insp', 'setda', 'kec', 'kel'] })).toBeNull();
  });
});

/*
 * The table: what a resident writes → the possibly-accused set → where routing sends it
 * → who may see it. The slice of Kota Serang and Kabupaten Serang below is shaped as the seed
 * shapes it (kelurahan office → kecamatan office → Setda; every OPD → Setda).
 */
const unit = (code: string, type: DirectoryUnit['type'], name: string, parentId: string | null): DirectoryUnit => ({ id: code, code, type, name, parentId });
const UNITS: readonly DirectoryUnit[] = [
  unit('INSP.36.73', 'inspektorat', 'Inspektorat Kota Serang', null),
  unit('OPD.36.73.SETDA', 'opd', 'Sekretariat Daerah Kota Serang', null),
  unit('OPD.36.73.DLH', 'opd', 'Dinas Lingkungan Hidup Kota Serang', 'OPD.36.73.SETDA'),
  unit('OPD.36.73.DISDUKCAPIL', 'opd', 'Dinas Kependudukan dan Pencatatan Sipil Kota Serang', 'OPD.36.73.SETDA'),
  unit('KEC.36.73.01', 'kecamatan', 'Kecamatan Serang', 'OPD.36.73.SETDA'),
  unit('KEC.36.73.02', 'kecamatan', 'Kecamatan Kasemen', 'OPD.36.73.SETDA'),
  unit('KEL.36.73.01.1001', 'kelurahan', 'Kelurahan Serang', 'KEC.36.73.01'),
  unit('KEL.36.73.01.1002', 'kelurahan', 'Kelurahan Cipare', 'KEC.36.73.01'),
  unit('KEL.36.73.02.1001', 'kelurahan', 'Kelurahan Kasemen', 'KEC.36.73.02'),
  unit('INSP.36.04', 'inspektorat', 'Inspektorat Kabupaten Serang', null),
  unit('OPD.36.04.SETDA', 'opd', 'Sekretariat Daerah Kabupaten Serang', null),
  unit('KEC.36.04.10', 'kecamatan', 'Kecamatan Cikande', 'OPD.36.04.SETDA'),
  unit('KEL.36.04.10.2001', 'kelurahan', 'Desa Mekarsari', 'KEC.36.04.10'),
];
const active = (id: string) => ({ id, active: true });
const markers = new MarkerSet(DEFAULT_MARKERS);

interface Case {
  name: string;
  kelurahan?: string;
  accused?: { name?: string; position?: string; unit?: string };
  description: string;
  category?: { aboutOfficial?: boolean; rule?: RouteFacts['rule'] };
  to: string;
  reason: string;
  /** units whose handlers must get a 404 */
  hidden: string[];
}

const CASES: Case[] = [
  {
    name: 'the issue’s example', accused: { name: 'Pak Ahmad', position: 'Lurah Serang' },
    description: 'Pak Lurah Serang menolak mengangkut sampah kecuali diberi uang rokok.',
    to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['KEL.36.73.01.1001'],
  },
  { name: 'name only', accused: { name: 'Bu Sri' }, description: 'Saya dipersulit saat mengurus surat domisili.', to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['KEL.36.73.01.1001', 'KEC.36.73.01', 'KEL.36.73.01.1002'] },
  { name: 'position only', accused: { position: 'lurah' }, description: 'Saya dipersulit saat mengurus surat domisili.', to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['KEL.36.73.01.1001'] },
  { name: 'position of another kelurahan', accused: { position: 'Lurah Cipare' }, description: 'Saya dipersulit saat mengurus surat domisili.', to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['KEL.36.73.01.1002'] },
  { name: 'the unit code', accused: { unit: 'KEL.36.73.01.1001' }, description: 'Saya dipersulit saat mengurus surat domisili.', to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['KEL.36.73.01.1001'] },
  { name: 'desa title (kades)', kelurahan: '36.04.10.2001', accused: { position: 'Kades' }, description: 'Bantuan tidak dibagikan ke warga.', to: 'INSP.36.04', reason: 'conflict_of_interest', hidden: ['KEL.36.04.10.2001'] },
  { name: 'desa title (sekdes) in the text, with a marker', kelurahan: '36.04.10.2001', description: 'Sekdes minta uang administrasi untuk surat pengantar.', to: 'INSP.36.04', reason: 'conflict_of_interest', hidden: ['KEL.36.04.10.2001'] },
  { name: 'marker phrase only', description: 'Petugas minta uang rokok dulu baru surat diproses.', to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['KEL.36.73.01.1001', 'KEC.36.73.01'] },
  { name: 'marker naming an OPD', description: 'Oknum dukcapil minta uang pelicin untuk KTP.', category: { rule: { tier: 'opd', unit: active('OPD.36.73.DISDUKCAPIL') } }, to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['OPD.36.73.DISDUKCAPIL'] },
  { name: 'an accused camat (and the kelurahan offices the camat heads)', accused: { position: 'Camat' }, description: 'Camat tidak mau menandatangani tanpa uang.', to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['KEC.36.73.01', 'KEL.36.73.01.1001', 'KEL.36.73.01.1002'] },
  { name: 'an accused Inspektorat', accused: { position: 'Inspektur Pembantu' }, description: 'Pemeriksa meminta imbalan agar temuan dihapus.', to: 'OPD.36.73.SETDA', reason: 'conflict_of_interest_setda', hidden: ['INSP.36.73'] },
  { name: 'an accused Sekda (and the offices the Sekda heads)', accused: { position: 'Sekda' }, description: 'Sekda meminta setoran dari para lurah.', to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['OPD.36.73.SETDA', 'OPD.36.73.DLH', 'KEC.36.73.01'] },
  {
    name: 'the Inspektorat and the Sekda together', description: 'Sekda dan irban sama-sama minta jatah proyek.',
    to: 'KEL.36.73.01.1001', reason: 'conflict_of_interest_nearest', hidden: ['INSP.36.73', 'OPD.36.73.SETDA', 'KEC.36.73.01', 'OPD.36.73.DLH'],
  },
  { name: 'a category about an official', description: 'Saya diperlakukan kasar saat mengurus surat.', category: { aboutOfficial: true, rule: { tier: 'inspektorat', unit: null } }, to: 'INSP.36.73', reason: 'conflict_of_interest', hidden: ['KEL.36.73.01.1001', 'KEC.36.73.01'] },
  // The negatives: nothing about an official, so the ordinary route and nobody hidden.
  { name: 'negative: an ordinary complaint stays with the lurah', description: 'Sampah menumpuk di pinggir jalan depan pasar sejak seminggu lalu.', to: 'KEL.36.73.01.1001', reason: 'location', hidden: [] },
  { name: 'negative: a title alone is not an accusation', description: 'Sudah lapor ke pak lurah dan RT tapi sampah belum diangkut.', to: 'KEL.36.73.01.1001', reason: 'location', hidden: [] },
  { name: 'negative: picking up rubbish is no levy', description: 'Warga memungut sampah sendiri karena truk tidak datang.', to: 'KEL.36.73.01.1001', reason: 'location', hidden: [] },
  { name: 'negative: an OPD rule is followed', description: 'Truk sampah DLH tidak datang tiga minggu.', category: { rule: { tier: 'opd', unit: active('OPD.36.73.DLH') } }, to: 'OPD.36.73.DLH', reason: 'rule', hidden: [] },
];

function route(c: Case) {
  const kelurahan = c.kelurahan ?? '36.73.01.1001';
  const tenant = kelurahan.slice(0, 5);
  const kecamatan = kelurahan.slice(0, 8);
  const units = UNITS.filter((u) => u.code.includes(`.${tenant}`));
  const input: PossiblyAccusedInput = {
    accused: c.accused ?? null,
    accusedUnitId: c.accused?.unit ?? null,
    text: { source: 'description', body: c.description },
    aboutOfficial: c.category?.aboutOfficial ?? false,
    markers,
    units,
    kelurahanOfficeId: `KEL.${kelurahan}`,
    kecamatanOfficeId: `KEC.${kecamatan}`,
  };
  const set = derivePossiblyAccused(input).unitIds;
  const accusedUnitIds = withHeadedUnits(set, units);
  const decision = decideRoute({
    rule: c.category?.rule ?? null,
    kelurahanOffice: active(`KEL.${kelurahan}`),
    kecamatanOffice: active(`KEC.${kecamatan}`),
    inspektorat: active(`INSP.${tenant}`),
    setda: active(`OPD.${tenant}.SETDA`),
    aboutOfficial: c.category?.aboutOfficial ?? false,
    accusedUnitIds,
  });
  const facts: ComplaintAccessFacts = { tenantCode: tenant, currentUnitId: decision?.unitId ?? null, accusedUnitIds };
  return { set, decision, facts, tenant };
}

const official = (unitId: string, roles: Principal['roles'], tenantCode: string): Principal => ({
  officialId: 'o', username: 'u', name: 'n', roles, tenantCode, unitId, unitCode: unitId,
});

describe('the conflict-of-interest table: words → set → route → who sees it', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { decision, facts, tenant } = route(c);
    expect(decision).toMatchObject({ unitId: c.to, reason: c.reason });
    // The holder sees and acts; each hidden unit neither sees, acts, nor may receive it.
    expect(AccessPolicy.canView(official(c.to, ['handler'], tenant), facts)).toBe(true);
    expect(AccessPolicy.canAct(official(c.to, ['handler'], tenant), facts)).toBe(true);
    for (const hidden of c.hidden) {
      expect(AccessPolicy.canView(official(hidden, ['handler'], tenant), facts)).toBe(false);
      expect(AccessPolicy.canAct(official(hidden, ['handler'], tenant), facts)).toBe(false);
      expect(AccessPolicy.mayReceive(facts, hidden)).toBe(false);
    }
    // Inspectors read it unless their own Inspektorat is suspect; only then they cannot triage it.
    const inspector = official(`INSP.${tenant}`, ['inspector'], tenant);
    const inspektoratSuspect = facts.accusedUnitIds.includes(`INSP.${tenant}`);
    expect(AccessPolicy.canView(inspector, facts)).toBe(!inspektoratSuspect);
    expect(AccessPolicy.canTriage(inspector, facts)).toBe(!inspektoratSuspect);
    if (c.hidden.length === 0) expect(facts.accusedUnitIds).toEqual([]);
  });
});
