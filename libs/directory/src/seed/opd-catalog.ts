/**
 * Reference catalogs used to seed the directory: the regional work units
 * (Organisasi Perangkat Daerah, OPD) that a kota or kabupaten in Banten
 * typically has, and the tenants (local governments) Aduan serves.
 *
 * Plain typed data on purpose: no Nest or TypeORM imports, so seeders,
 * migrations, tests and tooling can all read it.
 *
 * @packageDocumentation
 */

/**
 * One kind of OPD. Names follow the official naming pattern used across
 * Banten; an individual tenant may use a slightly different nomenclature
 * (e.g. "Dinas Pendidikan dan Kebudayaan"), which the seeder may override per
 * tenant while keeping the stable {@link OpdDefinition.key}.
 *
 * The Inspektorat is deliberately absent: it is a unit type of its own, not
 * an OPD a complaint is routed to by category.
 */
export interface OpdDefinition {
  /** Short stable key, `[A-Z0-9_]+`, e.g. `'PUPR'`. Never rename: categories and data refer to it. */
  readonly key: string;
  /** Official name pattern, e.g. `'Dinas Pekerjaan Umum dan Penataan Ruang'`. */
  readonly name: string;
  /** Common short name used in correspondence, e.g. `'Dinas PUPR'`. */
  readonly short_name: string;
  /** What it handles, in Bahasa Indonesia. */
  readonly description: string;
}

/**
 * A local government served by Aduan. `code` is the Kemendagri region code
 * (kode wilayah) of the kota or kabupaten.
 *
 * The head of the regional secretariat (Sekretaris Daerah, OPD key `SETDA`
 * in {@link OPD_CATALOG}) is the top of each tenant's escalation ladder.
 */
export interface TenantDefinition {
  /** Kemendagri region code of the kota/kabupaten. */
  readonly code: '36.73' | '36.71' | '36.04';
  /** Official name, e.g. `'Kota Serang'`. */
  readonly name: string;
  /** Kota or kabupaten. */
  readonly kind: 'kota' | 'kabupaten';
  /** IANA time zone used for SLA and working-day calculations. */
  readonly timezone: 'Asia/Jakarta';
  /** Stable jurisdiction identifier: the government's official domain. */
  readonly jurisdiction_id: string;
}

/** Freezes an array and each of its (flat) elements. */
function freezeAll<T extends object>(items: T[]): readonly Readonly<T>[] {
  for (const item of items) Object.freeze(item);
  return Object.freeze(items);
}

/**
 * OPD kinds found in a typical kota/kabupaten in Banten, keyed by a short
 * stable key. Order is the display order used by the seeder.
 */
export const OPD_CATALOG: readonly OpdDefinition[] = freezeAll<OpdDefinition>([
  {
    key: 'SETDA',
    name: 'Sekretariat Daerah',
    short_name: 'Setda',
    description:
      'Mengoordinasikan perangkat daerah dan administrasi pemerintahan daerah. Dipimpin Sekretaris Daerah, puncak jenjang eskalasi pengaduan yang tidak tertangani.',
  },
  {
    key: 'PUPR',
    name: 'Dinas Pekerjaan Umum dan Penataan Ruang',
    short_name: 'Dinas PUPR',
    description:
      'Jalan dan jembatan kota/kabupaten, saluran drainase dan pengendalian genangan, irigasi, serta penataan ruang dan persetujuan bangunan gedung (PBG).',
  },
  {
    key: 'DINSOS',
    name: 'Dinas Sosial',
    short_name: 'Dinsos',
    description:
      'Bantuan sosial, pengelolaan data terpadu kesejahteraan sosial (DTKS), usulan peserta PBI JKN, serta penanganan gelandangan, pengemis, dan penyandang masalah kesejahteraan sosial.',
  },
  {
    key: 'DINKES',
    name: 'Dinas Kesehatan',
    short_name: 'Dinkes',
    description:
      'Puskesmas dan layanan kesehatan dasar, imunisasi, pengendalian penyakit menular seperti DBD, serta pembinaan dan pengawasan fasilitas pelayanan kesehatan.',
  },
  {
    key: 'DISDUKCAPIL',
    name: 'Dinas Kependudukan dan Pencatatan Sipil',
    short_name: 'Disdukcapil',
    description:
      'KTP elektronik, Kartu Keluarga, Kartu Identitas Anak, akta kelahiran dan kematian, serta surat pindah datang penduduk.',
  },
  {
    key: 'DLH',
    name: 'Dinas Lingkungan Hidup',
    short_name: 'DLH',
    description:
      'Pengangkutan sampah dari TPS ke TPA, penanganan TPS liar, pengawasan pencemaran air, udara, dan tanah, serta pengelolaan ruang terbuka hijau.',
  },
  {
    key: 'DISHUB',
    name: 'Dinas Perhubungan',
    short_name: 'Dishub',
    description:
      'Lalu lintas, rambu, marka, dan lampu lalu lintas, perparkiran, angkutan umum, serta penerangan jalan umum (PJU).',
  },
  {
    key: 'SATPOLPP',
    name: 'Satuan Polisi Pamong Praja',
    short_name: 'Satpol PP',
    description:
      'Penegakan peraturan daerah, ketenteraman dan ketertiban umum, serta penertiban pedagang kaki lima, bangunan liar, dan reklame tanpa izin.',
  },
  {
    key: 'PERKIM',
    name: 'Dinas Perumahan dan Kawasan Permukiman',
    short_name: 'Disperkim',
    description:
      'Perumahan dan rumah tidak layak huni, prasarana, sarana, dan utilitas (PSU) perumahan, serta penanganan kawasan permukiman kumuh.',
  },
  {
    key: 'DINDIK',
    name: 'Dinas Pendidikan',
    short_name: 'Dindik',
    description:
      'PAUD, sekolah dasar dan sekolah menengah pertama, penerimaan murid baru, serta pembinaan pendidik dan tenaga kependidikan.',
  },
  {
    key: 'BPBD',
    name: 'Badan Penanggulangan Bencana Daerah',
    short_name: 'BPBD',
    description:
      'Pencegahan dan penanggulangan bencana seperti banjir, longsor, dan angin puting beliung, tanggap darurat, serta bantuan logistik bagi warga terdampak.',
  },
  {
    key: 'DAMKAR',
    name: 'Dinas Pemadam Kebakaran dan Penyelamatan',
    short_name: 'Damkar',
    description:
      'Pemadaman kebakaran, penyelamatan dan evakuasi (termasuk hewan berbahaya dan sarang tawon), serta pemeriksaan sarana proteksi kebakaran.',
  },
  {
    key: 'DISKOMINFO',
    name: 'Dinas Komunikasi dan Informatika',
    short_name: 'Diskominfo',
    description:
      'Layanan informasi publik, pengelolaan kanal pengaduan dan media pemerintah daerah, serta aplikasi, situs web, dan jaringan internet publik.',
  },
  {
    key: 'DPMPTSP',
    name: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu',
    short_name: 'DPMPTSP',
    description:
      'Perizinan berusaha dan nonberusaha melalui pelayanan terpadu satu pintu, serta promosi dan pengendalian penanaman modal.',
  },
  {
    key: 'DISNAKER',
    name: 'Dinas Tenaga Kerja',
    short_name: 'Disnaker',
    description:
      'Pelatihan dan penempatan tenaga kerja, kartu pencari kerja (AK/I), serta mediasi perselisihan hubungan industrial.',
  },
  {
    key: 'DP3A',
    name: 'Dinas Pemberdayaan Perempuan dan Perlindungan Anak',
    short_name: 'DP3A',
    description:
      'Perlindungan perempuan dan anak dari kekerasan, pendampingan korban melalui UPTD PPA, serta pemenuhan hak anak.',
  },
  {
    key: 'BAPENDA',
    name: 'Badan Pendapatan Daerah',
    short_name: 'Bapenda',
    description:
      'Pajak daerah seperti PBB-P2, BPHTB, pajak reklame, serta pajak hotel dan restoran; penerbitan SPPT dan pengajuan keberatan pajak.',
  },
]);

/** The local governments Aduan serves, all in Banten. */
export const TENANTS: readonly TenantDefinition[] = freezeAll<TenantDefinition>([
  {
    code: '36.73',
    name: 'Kota Serang',
    kind: 'kota',
    timezone: 'Asia/Jakarta',
    jurisdiction_id: 'serangkota.go.id',
  },
  {
    code: '36.71',
    name: 'Kota Tangerang',
    kind: 'kota',
    timezone: 'Asia/Jakarta',
    jurisdiction_id: 'tangerangkota.go.id',
  },
  {
    code: '36.04',
    name: 'Kabupaten Serang',
    kind: 'kabupaten',
    timezone: 'Asia/Jakarta',
    jurisdiction_id: 'serangkab.go.id',
  },
]);
