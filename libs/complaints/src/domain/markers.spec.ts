import { DEFAULT_MARKERS, MarkerSet, validMarker } from './markers';
import { normalizePhrase, normalizeText, PhraseSet } from './phrase-match';

const defaults = new MarkerSet(DEFAULT_MARKERS);
const found = (text: string) => defaults.find(normalizeText(text));

describe('normalizeText', () => {
  it.each([
    ['Pak Lurah Serang, minta UANG-ROKOK!!', 'pak lurah serang minta uang rokok'],
    ['  Sek. Des.  Sukamaju ', 'sek des sukamaju'],
    ['RT03/RW05', 'rt 03 rw 05'],
    ['pungutan2 Rp50rb', 'pungutan 2 rp 50 rb'],
    ['Pungutan liar — “uang pelicin”', 'pungutan liar uang pelicin'],
    ['Kepala Désa', 'kepala desa'],
  ])('%s → %s', (text, normalized) => expect(normalizeText(text)).toBe(normalized));
});

describe('the default markers', () => {
  it.each([
    ['Pak Lurah Serang menolak mengangkut sampah kecuali diberi uang rokok.', ['uang rokok']],
    ['Petugas minta UANG ROKOK 50 ribu', ['minta * uang', 'uang rokok']],
    ['katanya harus ada uangrokok dulu', ['uang rokok']],
    ['uang-rokoknya belum dikasih', ['uang rokok']],
    ['Kami dimintai sejumlah uang untuk surat pengantar', ['dimintai * uang']],
    ['diminta membayar uang administrasi Rp 100.000 tanpa kuitansi', ['diminta * uang', 'tanpa kuitansi']],
    ['Ada PUNGLI di kantor kelurahan', ['pungli']],
    ['pungutan2 tiap bulan untuk kebersihan', ['pungutan']],
    ['pungutannya makin besar', ['pungutan']],
    ['Ada pungutan liar di pasar', ['pungutan liar', 'pungutan']],
    ['Harus kasih uang pelicin supaya cepat', ['uang pelicin', 'pelicin']],
    ['diminta uang damai oleh oknum', ['diminta * uang', 'uang damai']],
    ['ada biaya tambahan di luar tarif', ['biaya tambahan']],
    ['Setoran ke ketua RT tiap minggu', ['setoran']],
    ['katanya wani piro', ['wani piro']],
    ['dia menyuap petugas', ['menyuap']],
  ])('finds a marker in “%s”', (text, markers) => expect(found(text)).toEqual(markers));

  it.each([
    'Sampah menumpuk di pinggir jalan depan pasar sejak seminggu lalu.',
    'Asap rokok di ruang tunggu puskesmas mengganggu pasien.',
    'Warga memungut sampah sendiri karena truk tidak datang.',
    'Uang bantuan belum cair sejak tiga bulan.',
    'Biaya resmi pembuatan KTP adalah gratis.',
    'Anak kami disuapi makanan basi di posyandu.',
    'Sudah lapor ke Pak Lurah tapi belum ada tindakan.',
    'Jalan rusak parah, banyak pengendara jatuh.',
  ])('finds none in “%s”', (text) => expect(found(text)).toEqual([]));

  it('answers quickly with one expression whether any marker occurs', () => {
    expect(defaults.test(normalizeText('ada uang rokok'))).toBe(true);
    expect(defaults.test(normalizeText('sampah menumpuk'))).toBe(false);
    expect(new MarkerSet([]).test('uang rokok')).toBe(false);
  });
});

describe('validMarker', () => {
  it.each([
    ['Uang  Rokok', 'uang rokok'],
    ['minta * uang', 'minta * uang'],
    ['Uang-Parkir Liar', 'uang parkir liar'],
    ['biaya 50rb', 'biaya 50 rb'],
  ])('keeps “%s” as “%s”', (phrase, stored) => expect(validMarker(phrase)).toEqual({ ok: true, phrase: stored }));

  it.each([
    ['', 'must contain words'],
    ['!!!', 'must contain words'],
    ['* uang', '* may only stand between words'],
    ['uang *', '* may only stand between words'],
    ['minta * * uang', '* may only stand between words'],
    ['satu dua tiga empat lima enam tujuh', 'at most 6 words'],
    ['rt rw', 'needs a word of at least 3 letters'],
    ['50 rb', 'needs a word of at least 3 letters'],
  ])('refuses “%s”', (phrase, message) => expect(validMarker(phrase)).toEqual({ ok: false, message }));
});

describe('PhraseSet', () => {
  it('matches whole words only, written apart or together, with a -nya suffix', () => {
    const set = new PhraseSet([{ phrase: 'sek des', value: 'sekdes' }, { phrase: 'lurah', value: 'lurah' }]);
    expect(set.find('sekdes sukamaju').map((h) => h.value)).toEqual(['sekdes']);
    expect(set.find('sek des').map((h) => h.value)).toEqual(['sekdes']);
    expect(set.find('lurahnya').map((h) => h.value)).toEqual(['lurah']);
    expect(set.find('kelurahan')).toEqual([]);
    expect(set.find('lurahan')).toEqual([]);
  });

  it('lets * stand for up to two words, no more', () => {
    const set = new PhraseSet([{ phrase: normalizePhrase('minta * uang'), value: 'x' }]);
    expect(set.test('minta uang')).toBe(true);
    expect(set.test('minta sejumlah uang')).toBe(true);
    expect(set.test('minta sejumlah besar uang')).toBe(true);
    expect(set.test('minta tolong agar sampah dan uang')).toBe(false);
  });
});
