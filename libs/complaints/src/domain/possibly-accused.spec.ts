import { DEFAULT_MARKERS, MarkerSet } from './markers';
import { derivePossiblyAccused, DirectoryUnit, PossiblyAccusedInput, withHeadedUnits } from './possibly-accused';

/** A slice of Kota Serang and of Kabupaten Serang, as the seed names them. */
const u = (code: string, type: DirectoryUnit['type'], name: string, parentId: string | null = null): DirectoryUnit => ({ id: code, code, type, name, parentId });
const SETDA = u('OPD.36.73.SETDA', 'opd', 'Sekretariat Daerah Kota Serang');
const SERANG: readonly DirectoryUnit[] = [
  u('INSP.36.73', 'inspektorat', 'Inspektorat Kota Serang'),
  SETDA,
  u('OPD.36.73.DLH', 'opd', 'Dinas Lingkungan Hidup Kota Serang', SETDA.id),
  u('OPD.36.73.PUPR', 'opd', 'Dinas Pekerjaan Umum dan Penataan Ruang Kota Serang', SETDA.id),
  u('OPD.36.73.DISDUKCAPIL', 'opd', 'Dinas Kependudukan dan Pencatatan Sipil Kota Serang', SETDA.id),
  u('KEC.36.73.01', 'kecamatan', 'Kecamatan Serang', SETDA.id),
  u('KEC.36.73.02', 'kecamatan', 'Kecamatan Kasemen', SETDA.id),
  u('KEC.36.73.05', 'kecamatan', 'Kecamatan Cipocok Jaya', SETDA.id),
  u('KEL.36.73.01.1001', 'kelurahan', 'Kelurahan Serang', 'KEC.36.73.01'),
  u('KEL.36.73.01.1002', 'kelurahan', 'Kelurahan Cipare', 'KEC.36.73.01'),
  u('KEL.36.73.01.1004', 'kelurahan', 'Kelurahan Kota Baru', 'KEC.36.73.01'),
  u('KEL.36.73.02.1001', 'kelurahan', 'Kelurahan Kasemen', 'KEC.36.73.02'),
];
const KAB: readonly DirectoryUnit[] = [
  u('INSP.36.04', 'inspektorat', 'Inspektorat Kabupaten Serang'),
  u('OPD.36.04.SETDA', 'opd', 'Sekretariat Daerah Kabupaten Serang'),
  u('KEC.36.04.10', 'kecamatan', 'Kecamatan Cikande', 'OPD.36.04.SETDA'),
  u('KEC.36.04.11', 'kecamatan', 'Kecamatan Kibin', 'OPD.36.04.SETDA'),
  u('KEL.36.04.10.2001', 'kelurahan', 'Desa Mekarsari', 'KEC.36.04.10'),
  u('KEL.36.04.10.2002', 'kelurahan', 'Desa Cikande', 'KEC.36.04.10'),
  u('KEL.36.04.11.2001', 'kelurahan', 'Desa Mekarsari', 'KEC.36.04.11'),
];

const markers = new MarkerSet(DEFAULT_MARKERS);
const inSerang = (over: Partial<PossiblyAccusedInput>): PossiblyAccusedInput => ({
  accused: null,
  accusedUnitId: null,
  text: { source: 'description', body: 'Sampah menumpuk di pinggir jalan depan pasar sejak seminggu lalu.' },
  aboutOfficial: false,
  markers,
  units: SERANG,
  kelurahanOfficeId: 'KEL.36.73.01.1001',
  kecamatanOfficeId: 'KEC.36.73.01',
  ...over,
});
const inDesa = (over: Partial<PossiblyAccusedInput>): PossiblyAccusedInput => ({
  ...inSerang({}),
  units: KAB,
  kelurahanOfficeId: 'KEL.36.04.10.2001',
  kecamatanOfficeId: 'KEC.36.04.10',
  ...over,
});
const described = (body: string) => ({ text: { source: 'description' as const, body } });

/** Every case of the issue, with the set it must give. */
const CASES: [string, PossiblyAccusedInput, string[]][] = [
  ['the issue’s example: position, name and a marker all point at the lurah of Serang', inSerang({
    accused: { name: 'Pak Ahmad', position: 'Lurah Serang' },
    ...described('Pak Lurah Serang menolak mengangkut sampah kecuali diberi uang rokok.'),
  }), ['KEL.36.73.01.1001']],
  ['position only: “Lurah”, the complaint’s own kelurahan', inSerang({ accused: { position: 'Lurah' } }), ['KEL.36.73.01.1001']],
  ['position only, another kelurahan by name', inSerang({ accused: { position: 'lurah cipare' } }), ['KEL.36.73.01.1002']],
  ['position with a two-word place and fillers', inSerang({ accused: { position: 'Lurah Kel. Kota Baru' } }), ['KEL.36.73.01.1004']],
  ['seklur, abbreviated and punctuated', inSerang({ accused: { position: 'Sek. Lur' } }), ['KEL.36.73.01.1001']],
  ['name only, nobody by that name: the complaint’s own offices', inSerang({ accused: { name: 'Pak Ahmad' } }), ['KEC.36.73.01', 'KEL.36.73.01.1001']],
  ['name only, an official’s full name elsewhere in the tenant', inSerang({
    accused: { name: 'Bapak Ahmad Fauzi, S.Sos' },
    officials: [{ unitId: 'OPD.36.73.DLH', name: 'Ahmad Fauzi' }, { unitId: 'OPD.36.73.PUPR', name: 'Ahmad Subagja' }],
  }), ['OPD.36.73.DLH']],
  ['name only, one word, matched only in the complaint’s own offices', inSerang({
    accused: { name: 'Pak Ahmad' },
    officials: [{ unitId: 'KEC.36.73.01', name: 'Ahmad Subagja' }, { unitId: 'OPD.36.73.PUPR', name: 'Ahmad Fauzi' }],
  }), ['KEC.36.73.01']],
  ['a title written in the name field', inSerang({ accused: { name: 'Pak Camat' } }), ['KEC.36.73.01']],
  ['the unit code', inSerang({ accused: { name: 'Oknum staf' }, accusedUnitId: 'KEL.36.73.01.1001' }), ['KEL.36.73.01.1001']],
  ['desa: kades by name of the desa, in the complaint’s kecamatan first', inDesa({ accused: { position: 'Kades Mekarsari' } }), ['KEL.36.04.10.2001']],
  ['desa: sekdes of the complaint’s desa', inDesa({ accused: { position: 'sekdes' } }), ['KEL.36.04.10.2001']],
  ['desa: jaro (Banten) and kepala desa of another desa', inDesa({ accused: { position: 'Jaro' }, ...described('Kepala Desa Cikande juga minta uang rokok') }), ['KEL.36.04.10.2001', 'KEL.36.04.10.2002']],
  ['RT/RW heads work under the kelurahan', inSerang({ ...described('Ketua RT 03 minta setoran tiap bulan') }), ['KEL.36.73.01.1001']],
  ['marker only: the complaint’s own offices', inSerang({ ...described('Petugasnya minta uang rokok baru mau proses') }), ['KEC.36.73.01', 'KEL.36.73.01.1001']],
  ['marker in a reply with no title: the unit holding it, too', inSerang({
    text: { source: 'reply', body: 'Petugas yang datang minta uang bensin.' }, currentUnitId: 'OPD.36.73.DLH',
  }), ['KEC.36.73.01', 'KEL.36.73.01.1001', 'OPD.36.73.DLH']],
  ['marker in a reply to the Inspektorat: its reviewer is no suspect', inSerang({
    text: { source: 'reply', body: 'Mereka minta uang rokok lagi kemarin.' }, currentUnitId: 'INSP.36.73',
  }), ['KEC.36.73.01', 'KEL.36.73.01.1001']],
  ['marker with an OPD named', inSerang({ ...described('Oknum dukcapil minta uang pelicin untuk KTP') }), ['OPD.36.73.DISDUKCAPIL']],
  ['an accused camat', inSerang({ accused: { position: 'Camat Kasemen' } }), ['KEC.36.73.02']],
  ['an accused camat, place with fillers', inSerang({ accused: { position: 'camat kec. cipocok jaya' } }), ['KEC.36.73.05']],
  ['an accused Inspektorat', inSerang({ accused: { position: 'Inspektur Pembantu' } }), ['INSP.36.73']],
  ['an accused Sekda', inSerang({ accused: { position: 'SEKDA' } }), ['OPD.36.73.SETDA']],
  ['the wali kota’s office is in the Setda', inSerang({ ...described('Ajudan wali kota minta uang damai') }), ['OPD.36.73.SETDA']],
  ['Inspektorat and Sekda together', inSerang({ ...described('Sekda dan irban sama-sama minta jatah proyek') }), ['INSP.36.73', 'OPD.36.73.SETDA']],
  ['a category about an official, no title: the own offices', inSerang({ aboutOfficial: true, ...described('Saya dipersulit saat mengurus surat pindah.') }), ['KEC.36.73.01', 'KEL.36.73.01.1001']],
  ['where the resident reported is not whom they accuse', inSerang({ ...described('Sudah lapor ke Pak Lurah, tapi petugas DLH tetap minta uang rokok') }), ['OPD.36.73.DLH']],
];

/** Not about an official: nobody is suspect, nothing changes. */
const NEGATIVES: [string, PossiblyAccusedInput][] = [
  ['an ordinary complaint', inSerang({})],
  ['a title without a marker', inSerang({ ...described('Sudah lapor ke pak lurah dan RT tapi sampah belum diangkut') })],
  ['picking up rubbish is not a levy', inSerang({ ...described('Warga memungut sampah sendiri, truk DLH tidak datang') })],
  ['smoke is not a bribe', inSerang({ ...described('Asap rokok di ruang pelayanan kelurahan mengganggu') })],
  ['an empty accused', inSerang({ accused: { name: '  ', position: '' } })],
];

describe('derivePossiblyAccused', () => {
  it.each(CASES)('%s', (_name, input, expected) => {
    const derived = derivePossiblyAccused(input);
    expect(derived.flagged).toBe(true);
    expect(derived.unitIds).toEqual(expected);
  });

  it.each(NEGATIVES)('%s: not flagged, no units', (_name, input) => {
    expect(derivePossiblyAccused(input)).toEqual({ flagged: false, unitIds: [], markers: [], findings: [] });
  });

  it('says why, in its own catalog’s words and never the resident’s', () => {
    const derived = derivePossiblyAccused(inSerang({
      accused: { name: 'Pak Ahmad', position: 'Lurah Serang' },
      ...described('Pak Lurah Serang menolak mengangkut sampah kecuali diberi uang rokok.'),
    }));
    expect(derived.markers).toEqual(['uang rokok']);
    expect(derived.findings).toEqual([
      { source: 'description', kind: 'marker', phrase: 'uang rokok', unit_ids: [] },
      { source: 'accused.position', kind: 'title', phrase: 'lurah', unit_ids: ['KEL.36.73.01.1001'] },
      { source: 'description', kind: 'title', phrase: 'lurah', unit_ids: ['KEL.36.73.01.1001'] },
    ]);
    expect(JSON.stringify(derived)).not.toMatch(/ahmad|menolak/i);
  });

  it('records an unresolved title and falls back to the local offices', () => {
    const derived = derivePossiblyAccused(inSerang({ accused: { position: 'Kepala Dinas' } }));
    expect(derived.findings).toEqual([
      { source: 'accused.position', kind: 'unresolved', phrase: 'kepala dinas', unit_ids: [] },
      { source: 'description', kind: 'local_offices', unit_ids: ['KEL.36.73.01.1001', 'KEC.36.73.01'] },
    ]);
  });

  it('prefers the longest title at a place (“ketua rt”, not “rt”; “petugas kebersihan”, not “petugas”)', () => {
    const phrases = (body: string) => derivePossiblyAccused(inSerang(described(`${body} minta uang rokok`))).findings.filter((f) => f.kind !== 'marker').map((f) => f.phrase);
    expect(phrases('Ketua RT')).toEqual(['ketua rt']);
    expect(phrases('petugas kebersihan')).toEqual(['petugas kebersihan']);
  });

  it('finds a tenant’s own marker, and only the tenant’s', () => {
    const own = new MarkerSet(['uang parkir liar']);
    expect(derivePossiblyAccused(inSerang({ markers: own, ...described('Ditarik uang parkir liar oleh oknum dishub') })).flagged).toBe(true);
    expect(derivePossiblyAccused(inSerang({ markers: own, ...described('Ada uang rokok') })).flagged).toBe(false);
  });
});

describe('withHeadedUnits', () => {
  it('adds the units directly below each suspect: a camat heads the kecamatan’s kelurahan offices', () => {
    expect(withHeadedUnits(['KEC.36.73.01'], SERANG)).toEqual(['KEC.36.73.01', 'KEL.36.73.01.1001', 'KEL.36.73.01.1002', 'KEL.36.73.01.1004']);
    expect(withHeadedUnits(['KEL.36.73.01.1001'], SERANG)).toEqual(['KEL.36.73.01.1001']);
    expect(withHeadedUnits(['INSP.36.73'], SERANG)).toEqual(['INSP.36.73']);
    expect(withHeadedUnits([], SERANG)).toEqual([]);
  });
});
