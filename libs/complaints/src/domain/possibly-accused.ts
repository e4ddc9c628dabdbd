import { MarkerSet } from './markers';
import { normalizeText, PhraseSet } from './phrase-match';

/** A unit of the tenant, as the derivation sees it. */
export interface DirectoryUnit {
  id: string;
  code: string;
  type: 'kelurahan' | 'kecamatan' | 'opd' | 'inspektorat';
  name: string;
  parentId: string | null;
}

/** Where a finding was read. */
export type FindingSource = 'accused.unit' | 'accused.position' | 'accused.name' | 'description' | 'reply' | 'category';

/**
 * One reason a unit is in the set, for the inspector who triages it. `phrase` is a phrase of
 * Aduan's own catalogs (a title or a marker), never the resident's words or a person's name.
 */
export interface Finding {
  source: FindingSource;
  kind: 'unit' | 'title' | 'official' | 'marker' | 'about_official' | 'unresolved' | 'local_offices';
  phrase?: string;
  unit_ids: string[];
}

export interface PossiblyAccusedInput {
  accused: { name?: string; position?: string } | null;
  /** the unit `accused.unit` names, already resolved in the tenant */
  accusedUnitId: string | null;
  /** free text to read: the description at intake, a reply later */
  text: { source: 'description' | 'reply'; body: string };
  /** the category is about an official's conduct */
  aboutOfficial: boolean;
  markers: MarkerSet;
  /** every unit of the complaint's tenant */
  units: readonly DirectoryUnit[];
  /** the complaint's own kelurahan/desa office and kecamatan office */
  kelurahanOfficeId: string | null;
  kecamatanOfficeId: string | null;
  /** the unit that holds the complaint now (a reply's fallback suspect) */
  currentUnitId?: string | null;
  /** active officials of the tenant, for an accused given by name */
  officials?: readonly { unitId: string; name: string }[];
}

export interface PossiblyAccused {
  /** whether the complaint is about an official at all (accused given, category, or a marker) */
  flagged: boolean;
  /** the units that may be the accused's, sorted; empty when not flagged */
  unitIds: string[];
  markers: string[];
  findings: Finding[];
}

export const NOT_ACCUSED: PossiblyAccused = Object.freeze({ flagged: false, unitIds: [], markers: [], findings: [] }) as PossiblyAccused;

type TitleTarget = 'kelurahan' | 'kecamatan' | 'inspektorat' | 'setda' | 'opd' | 'unresolved';
interface Title {
  target: TitleTarget;
  /** the OPD's key (unit code `OPD.<tenant>.<key>`) */
  opd?: string;
}

/**
 * Titles and offices residents name, by the unit they point to. Kelurahan and desa titles
 * (and RT/RW heads, who work under the kelurahan) point to the kelurahan/desa office, kecamatan
 * titles to the kecamatan office; a place name after the title picks that office instead of the
 * complaint's own ("Lurah Cipare", "Camat Kasemen").
 */
const TITLES: readonly { phrase: string; value: Title }[] = [
  // Abbreviations are written apart ("sek des") so that "sekdes" and "Sek. Des." both match.
  ...[
    'lurah', 'kepala kelurahan', 'plt lurah', 'pj lurah', 'sekretaris kelurahan', 'sekretaris lurah', 'sek lur', 'sekel',
    'kepala desa', 'ka des', 'pj ka des', 'pjs ka des', 'plt ka des', 'kuwu', 'jaro', 'kepala dusun', 'ka dus', 'kepala lingkungan',
    'sekretaris desa', 'sek des', 'carik', 'kaur', 'kepala urusan', 'perangkat desa', 'perangkat kelurahan',
    'aparat desa', 'aparat kelurahan', 'aparatur desa', 'aparatur kelurahan',
    ...['staf', 'staff', 'pegawai', 'petugas', 'pihak', 'oknum', 'orang', 'kantor', 'operator'].flatMap((w) => [`${w} kelurahan`, `${w} desa`]),
    'rt', 'rw', 'ketua rt', 'ketua rw', 'pengurus rt', 'pengurus rw',
  ].map((phrase) => ({ phrase, value: { target: 'kelurahan' as const } })),
  ...[
    'camat', 'plt camat', 'pj camat', 'sek cam', 'sekretaris kecamatan', 'sekretaris camat', 'trantib', 'kasi trantib',
    ...['staf', 'staff', 'pegawai', 'petugas', 'pihak', 'oknum', 'orang', 'kantor', 'operator'].map((w) => `${w} kecamatan`),
  ].map((phrase) => ({ phrase, value: { target: 'kecamatan' as const } })),
  ...['inspektorat', 'inspektur', 'inspektur pembantu', 'irban', 'apip', 'auditor inspektorat'].map((phrase) => ({ phrase, value: { target: 'inspektorat' as const } })),
  // The wali kota's or bupati's own office is part of the Sekretariat Daerah.
  ...['sek da', 'sekretaris daerah', 'setda', 'sekretariat daerah', 'asda', 'asisten daerah', 'asisten sekda', 'wali kota', 'walikota', 'wakil wali kota', 'wawali', 'bupati', 'wakil bupati', 'wabup'].map(
    (phrase) => ({ phrase, value: { target: 'setda' as const } }),
  ),
  ...Object.entries({
    PUPR: ['pupr', 'dinas pupr', 'dpupr', 'dinas pu', 'dpu', 'pekerjaan umum', 'bina marga'],
    DINSOS: ['dinsos', 'dinas sosial', 'pendamping pkh', 'tksk'],
    DINKES: ['dinkes', 'dinas kesehatan', 'puskesmas', 'pustu', 'bidan desa'],
    DISDUKCAPIL: ['disdukcapil', 'dukcapil', 'capil', 'catatan sipil', 'dinas kependudukan'],
    DLH: ['dlh', 'dinas lingkungan hidup', 'dinas lh', 'dinas kebersihan', 'dkp', 'petugas kebersihan', 'petugas sampah'],
    DISHUB: ['dishub', 'dinas perhubungan', 'juru parkir', 'jukir'],
    SATPOLPP: ['satpol pp', 'satpol', 'pol pp', 'polisi pamong praja'],
    PERKIM: ['perkim', 'disperkim', 'dinas perumahan'],
    DINDIK: ['dindik', 'disdik', 'diknas', 'dinas pendidikan', 'kepala sekolah', 'kepsek', 'guru', 'operator sekolah', 'panitia ppdb', 'panitia spmb'],
    BPBD: ['bpbd', 'penanggulangan bencana'],
    DAMKAR: ['damkar', 'pemadam kebakaran'],
    DISKOMINFO: ['diskominfo', 'kominfo'],
    DPMPTSP: ['dpmptsp', 'dpmpptsp', 'ptsp', 'dinas perizinan', 'petugas perizinan', 'mal pelayanan publik'],
    DISNAKER: ['disnaker', 'dinas tenaga kerja', 'dinas naker'],
    DP3A: ['dp3a', 'dp3akb', 'uptd ppa'],
    BAPENDA: ['bapenda', 'dispenda', 'badan pendapatan', 'petugas pajak', 'petugas pbb'],
  }).flatMap(([opd, phrases]) => phrases.map((phrase) => ({ phrase, value: { target: 'opd' as const, opd } }))),
  // Someone of the government, but of which office the words do not say.
  ...['kepala dinas', 'ka dis', 'kadin', 'ka bid', 'kepala bidang', 'kasi', 'kasubag', 'pejabat', 'petugas', 'pegawai', 'oknum', 'asn', 'pns', 'honorer', 'aparat'].map(
    (phrase) => ({ phrase, value: { target: 'unresolved' as const } }),
  ),
];

const TITLE_SET = new PhraseSet<Title>(TITLES);

/** Words around a name that are not the name: forms of address, degrees, abbreviations. */
const NOT_NAME = new Set([
  'pak', 'bapak', 'bpk', 'bu', 'ibu', 'mas', 'mbak', 'bang', 'kang', 'teh', 'abah', 'bunda', 'saudara', 'sdr', 'sdri', 'h', 'hj', 'haji', 'hajah',
  'dr', 'drs', 'dra', 'ir', 'prof', 's', 'sh', 'se', 'st', 'si', 'sos', 'ssos', 'sstp', 'sip', 'spd', 'skm', 'mm', 'msi', 'mh', 'mpd', 'mt', 'msc', 'amd', 'ak', 'apt', 'm', 'a', 'md',
  'yang', 'bernama', 'namanya', 'nama', 'inisial',
]);

/** Destinations of a report: "sudah lapor ke Pak Lurah" names where the resident went, not whom they accuse. */
const REPORT_VERBS = new Set(['lapor', 'melapor', 'laporkan', 'melaporkan', 'dilaporkan', 'adukan', 'mengadu', 'mengadukan', 'diadukan', 'menghubungi', 'tembusan', 'bertanya', 'tanya', 'datang', 'mendatangi']);
const TO = new Set(['ke', 'kepada', 'pada']);
const FORMS_OF_ADDRESS = new Set(['pak', 'bapak', 'bpk', 'bu', 'ibu', 'sdr', 'saudara', 'yth']);

/** Words between a title and a place name ("Lurah Kelurahan Serang", "Camat Kec. Kasemen"). */
const PLACE_FILLERS = new Set(['kel', 'kelurahan', 'desa', 'ds', 'des', 'kec', 'kecamatan', 'di', 'dari']);

const TYPE_PREFIX = /^(kelurahan|desa|kecamatan) /;

/**
 * The units that might be the accused's, derived from what the complaint says. One derivation for
 * every way in (intake, a resident's reply), pure and table-tested.
 *
 * Flagged — a complaint about an official — when an accused is given (unit, position or name),
 * the category is about an official's conduct, or the text contains a marker. Then the units are:
 * the unit `accused.unit` names; the offices of the titles in the position, the name and the text
 * (a title after "lapor ke" is where the resident reported, not whom they accuse); the units of
 * officials whose full name the resident gave. When none of that names a unit, the offices the
 * complaint would otherwise meet are suspect: its current unit, its kelurahan/desa office and its
 * kecamatan office. The Inspektorat triages what this cannot tell for sure.
 */
export function derivePossiblyAccused(input: PossiblyAccusedInput): PossiblyAccused {
  const text = normalizeText(input.text.body);
  const markers = input.markers.find(text);
  const position = normalizeText(input.accused?.position ?? '');
  const name = normalizeText(input.accused?.name ?? '');
  const accusedGiven = input.accusedUnitId !== null || position.length > 0 || name.length > 0;
  if (!accusedGiven && !input.aboutOfficial && markers.length === 0) return NOT_ACCUSED;

  const index = unitIndex(input.units);
  const units = index.byId;
  const findings: Finding[] = [];
  if (input.accusedUnitId && units.has(input.accusedUnitId)) findings.push({ source: 'accused.unit', kind: 'unit', unit_ids: [input.accusedUnitId] });
  if (input.aboutOfficial) findings.push({ source: 'category', kind: 'about_official', unit_ids: [] });
  for (const marker of markers) findings.push({ source: input.text.source, kind: 'marker', phrase: marker, unit_ids: [] });
  findings.push(...titleFindings('accused.position', position, input, index, false));
  findings.push(...titleFindings('accused.name', name, input, index, false));
  findings.push(...titleFindings(input.text.source, text, input, index, true));
  const official = officialFinding(name, input);
  if (official) findings.push(official);

  let unitIds = new Set(findings.flatMap((f) => f.unit_ids));
  if (unitIds.size === 0) {
    // The Inspektorat holding a complaint is its reviewer, not a suspect the resident left unnamed.
    const current = input.currentUnitId && units.get(input.currentUnitId)?.type !== 'inspektorat' ? input.currentUnitId : null;
    const local = [current, input.kelurahanOfficeId, input.kecamatanOfficeId].filter((id): id is string => id !== null && units.has(id));
    findings.push({ source: input.text.source, kind: 'local_offices', unit_ids: [...new Set(local)] });
    unitIds = new Set(local);
  }
  return { flagged: true, unitIds: [...unitIds].sort(), markers, findings };
}

/** A tenant's units by id, and its offices by place name, written apart or together ("sumur pecung", "sumurpecung"). */
interface UnitIndex {
  byId: Map<string, DirectoryUnit>;
  kelurahan: Map<string, string[]>;
  kecamatan: Map<string, string[]>;
}

/** Built once per list of units (the references hand out one list until they reload). */
const unitIndexes = new WeakMap<readonly DirectoryUnit[], UnitIndex>();

function unitIndex(units: readonly DirectoryUnit[]): UnitIndex {
  let index = unitIndexes.get(units);
  if (!index) {
    const of = (type: DirectoryUnit['type']) => {
      const byName = new Map<string, string[]>();
      for (const u of units.filter((x) => x.type === type)) {
        const name = normalizeText(u.name).replace(TYPE_PREFIX, '');
        for (const key of new Set([name, name.replace(/ /g, '')])) byName.set(key, [...(byName.get(key) ?? []), u.id]);
      }
      return byName;
    };
    index = { byId: new Map(units.map((u) => [u.id, u])), kelurahan: of('kelurahan'), kecamatan: of('kecamatan') };
    unitIndexes.set(units, index);
  }
  return index;
}

function titleFindings(source: FindingSource, text: string, input: PossiblyAccusedInput, places: UnitIndex, freeText: boolean): Finding[] {
  if (!text) return [];
  const out: Finding[] = [];
  let coveredUntil = -1;
  for (const hit of TITLE_SET.find(text)) {
    // The longest title at a place wins ("ketua rt" over "rt", "kepala dinas" over nothing).
    if (hit.start < coveredUntil) continue;
    coveredUntil = hit.end;
    if (freeText && reportedTo(text.slice(0, hit.start))) continue;
    const unitIds = unitsOfTitle(hit.value, text.slice(hit.end), input, places);
    out.push({ source, kind: hit.value.target === 'unresolved' || unitIds.length === 0 ? 'unresolved' : 'title', phrase: hit.phrase, unit_ids: unitIds });
  }
  return out;
}

/** Whether the words before a title make it the destination of a report. */
function reportedTo(before: string): boolean {
  const words = before.trim().split(' ').filter((w) => w && !FORMS_OF_ADDRESS.has(w));
  const to = words.length - 1;
  if (to < 0 || !TO.has(words[to])) return false;
  return words.slice(Math.max(0, to - 2), to).some((w) => REPORT_VERBS.has(w));
}

function unitsOfTitle(title: Title, after: string, input: PossiblyAccusedInput, places: UnitIndex): string[] {
  const tenant = (type: DirectoryUnit['type'], pick: (u: DirectoryUnit) => boolean) => input.units.filter((u) => u.type === type && pick(u)).map((u) => u.id);
  switch (title.target) {
    case 'kelurahan':
      return placeAfter(after, places.kelurahan, input.kecamatanOfficeId, places.byId) ?? (input.kelurahanOfficeId ? [input.kelurahanOfficeId] : []);
    case 'kecamatan':
      return placeAfter(after, places.kecamatan, null, places.byId) ?? (input.kecamatanOfficeId ? [input.kecamatanOfficeId] : []);
    case 'inspektorat':
      return tenant('inspektorat', () => true);
    case 'setda':
      return tenant('opd', (u) => u.code.endsWith('.SETDA'));
    case 'opd':
      return tenant('opd', (u) => u.code.endsWith(`.${title.opd}`));
    case 'unresolved':
      return [];
  }
}

/**
 * The office a place name right after a title names ("lurah cipare", "camat kec kasemen"): the
 * longest name of up to four words. Of two offices with one name, the one in the complaint's
 * kecamatan; null when no name follows.
 */
function placeAfter(after: string, places: Map<string, string[]>, kecamatanOfficeId: string | null, byId: ReadonlyMap<string, DirectoryUnit>): string[] | null {
  const words = after.trim().split(' ');
  let skip = 0;
  while (skip < words.length && PLACE_FILLERS.has(words[skip])) skip += 1;
  for (let n = Math.min(4, words.length - skip); n >= 1; n -= 1) {
    const name = words.slice(skip, skip + n).join(' ');
    const ids = places.get(name) ?? places.get(name.replace(/ /g, ''));
    if (!ids) continue;
    if (ids.length > 1 && kecamatanOfficeId) {
      const local = ids.filter((id) => byId.get(id)?.parentId === kecamatanOfficeId);
      if (local.length > 0) return local;
    }
    return ids;
  }
  return null;
}

/**
 * Officials whose name contains every word the resident gave: in the complaint's own offices any
 * such name, elsewhere in the tenant only a name of two words or more ("Ahmad" alone is half a city).
 */
function officialFinding(name: string, input: PossiblyAccusedInput): Finding | null {
  const titleWords = new Set(TITLE_SET.find(name).flatMap((h) => name.slice(h.start, h.end).split(' ')));
  const given = name.split(' ').filter((w) => w && !NOT_NAME.has(w) && !titleWords.has(w) && !/^\d+$/.test(w));
  if (given.length === 0 || !input.officials?.length) return null;
  const local = new Set([input.kelurahanOfficeId, input.kecamatanOfficeId].filter((id): id is string => id !== null));
  const ids = new Set<string>();
  for (const o of input.officials) {
    if (given.length < 2 && !local.has(o.unitId)) continue;
    const words = new Set(normalizeText(o.name).split(' '));
    if (given.every((w) => words.has(w))) ids.add(o.unitId);
  }
  return ids.size ? { source: 'accused.name', kind: 'official', unit_ids: [...ids].sort() } : null;
}

/** A set and the units its officials head (the units directly below each on the ladder). */
export function withHeadedUnits(unitIds: readonly string[], units: readonly DirectoryUnit[]): string[] {
  const set = new Set(unitIds);
  return [...new Set([...unitIds, ...units.filter((u) => u.parentId !== null && set.has(u.parentId)).map((u) => u.id)])].sort();
}
