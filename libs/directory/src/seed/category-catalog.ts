/**
 * The catalog of complaint categories: what residents actually file and how heavy its
 * resolution is expected to be. Seeded into `category` (see seedDirectory); who handles each
 * category by default is routing's (`DEFAULT_ROUTES`).
 *
 * Plain typed data on purpose: no Nest or TypeORM imports.
 *
 * @packageDocumentation
 */

import type { ResolutionClass } from '../areas/category.entity';

/** One complaint category as offered to residents. */
export interface CategoryDefinition {
  /** Stable code, `[A-Z0-9_]+`, e.g. `'JALAN_RUSAK'`. Never rename: complaints refer to it. */
  readonly code: string;
  /** Name in Bahasa Indonesia, e.g. `'Jalan rusak'`. */
  readonly name: string;
  /** Name in English. */
  readonly name_en: string;
  /**
   * Grouping for display and reporting, e.g. `'infrastruktur'`, `'sosial'`,
   * `'kesehatan'`, `'administrasi_kependudukan'`, `'lingkungan'`,
   * `'ketertiban'`, `'pelayanan_publik'`, `'pendidikan'`, `'integritas'`.
   */
  readonly group: string;
  /** One or two sentences in Bahasa Indonesia telling a resident what belongs here. */
  readonly description: string;
  /** English translation of {@link CategoryDefinition.description}. */
  readonly description_en: string;
  /** Expected resolution effort. */
  readonly resolution_class: ResolutionClass;
  /**
   * Complaints about an official's conduct: always anonymous and
   * confidential, routed away from the accused (to the Inspektorat).
   */
  readonly about_official: boolean;
}

/** Freezes the array and each category. */
function freezeCatalog(items: CategoryDefinition[]): readonly CategoryDefinition[] {
  for (const item of items) Object.freeze(item);
  return Object.freeze(items);
}

/** The complaint categories offered to residents, in display order. */
export const CATEGORY_CATALOG: readonly CategoryDefinition[] = freezeCatalog([
  {
    code: 'JALAN_RUSAK',
    name: 'Jalan rusak',
    name_en: 'Damaged road',
    group: 'infrastruktur',
    description:
      'Jalan berlubang, retak, atau amblas dan jembatan yang rusak di jalan kota/kabupaten. Sertakan foto dan patokan lokasi agar mudah ditemukan petugas.',
    description_en:
      'Potholes, cracks or subsidence on city/regency roads, and damaged bridges. Attach a photo and a landmark so the crew can find the spot.',
    resolution_class: 'tanpa_pemeriksaan',
    about_official: false,
  },
  {
    code: 'LAMPU_JALAN_MATI',
    name: 'Lampu jalan mati',
    name_en: 'Street light out',
    group: 'infrastruktur',
    description:
      'Lampu penerangan jalan umum (PJU) yang mati, berkedip, atau tiangnya miring dan rusak. Sebutkan nomor tiang jika ada.',
    description_en:
      'Public street lights (PJU) that are out, flickering, or on a leaning or damaged pole. Give the pole number if there is one.',
    resolution_class: 'ringan',
    about_official: false,
  },
  {
    code: 'SAMPAH',
    name: 'Sampah tidak terangkut',
    name_en: 'Uncollected rubbish',
    group: 'lingkungan',
    description:
      'Sampah rumah tangga di lingkungan RT/RW yang tidak diangkut atau menumpuk berhari-hari. Kelurahan akan berkoordinasi dengan petugas kebersihan setempat.',
    description_en:
      'Household rubbish in your neighbourhood that has not been collected or has piled up for days. The kelurahan will coordinate with the local cleaning crew.',
    resolution_class: 'ringan',
    about_official: false,
  },
  {
    code: 'TPS_LIAR',
    name: 'Tempat pembuangan sampah liar',
    name_en: 'Illegal dumping site',
    group: 'lingkungan',
    description:
      'Tumpukan sampah di lahan kosong, pinggir jalan, atau bantaran sungai yang bukan tempat pembuangan resmi, termasuk TPS resmi yang sudah meluap.',
    description_en:
      'Rubbish dumped on vacant land, roadsides or riverbanks that are not official disposal sites, including official collection points that are overflowing.',
    resolution_class: 'tanpa_pemeriksaan',
    about_official: false,
  },
  {
    code: 'DRAINASE_BANJIR',
    name: 'Saluran tersumbat dan genangan',
    name_en: 'Blocked drains and flooding',
    group: 'infrastruktur',
    description:
      'Saluran air atau gorong-gorong yang tersumbat, rusak, atau meluap sehingga menimbulkan genangan atau banjir di jalan dan permukiman.',
    description_en:
      'Drains or culverts that are blocked, broken or overflowing, causing standing water or flooding on roads and in residential areas.',
    resolution_class: 'tanpa_pemeriksaan',
    about_official: false,
  },
  {
    code: 'KUOTA_BPJS_PBI',
    name: 'Kepesertaan BPJS Kesehatan PBI',
    name_en: 'Government-subsidised BPJS health cover (PBI)',
    group: 'sosial',
    description:
      'Kepesertaan BPJS Kesehatan yang iurannya ditanggung pemerintah (PBI) tiba-tiba nonaktif, belum didaftarkan, atau ditolak dengan alasan kuota penuh.',
    description_en:
      'BPJS Kesehatan membership paid for by the government (PBI) that was suddenly deactivated, never registered, or refused because the quota is said to be full.',
    resolution_class: 'normatif',
    about_official: false,
  },
  {
    code: 'BANTUAN_SOSIAL',
    name: 'Bantuan sosial',
    name_en: 'Social assistance',
    group: 'sosial',
    description:
      'Bantuan sosial seperti PKH, sembako/BPNT, atau BLT yang tidak diterima, salah sasaran, atau data penerimanya keliru. Kelurahan/desa memverifikasi dan mengusulkan perbaikan data DTKS.',
    description_en:
      'Social assistance such as PKH, food aid (BPNT) or cash transfers (BLT) that was not received, went to the wrong people, or has wrong recipient data. The kelurahan/village verifies and proposes corrections to the DTKS welfare data.',
    resolution_class: 'normatif',
    about_official: false,
  },
  {
    code: 'LAYANAN_PUSKESMAS',
    name: 'Layanan puskesmas',
    name_en: 'Community health centre service',
    group: 'kesehatan',
    description:
      'Antrean terlalu lama, petugas tidak ada di tempat, obat kosong, atau pasien ditolak di puskesmas maupun puskesmas pembantu.',
    description_en:
      'Very long queues, staff not on duty, medicines out of stock, or patients turned away at a community health centre (puskesmas) or its sub-centre.',
    resolution_class: 'tanpa_pemeriksaan',
    about_official: false,
  },
  {
    code: 'KTP_KK',
    name: 'KTP elektronik dan Kartu Keluarga',
    name_en: 'Electronic ID card and family card',
    group: 'administrasi_kependudukan',
    description:
      'KTP-el atau Kartu Keluarga yang lama tidak jadi, datanya salah, blangko kosong, atau kendala layanan di Disdukcapil dan anjungan mandiri.',
    description_en:
      'An electronic ID card (KTP-el) or family card (KK) that is long overdue or has wrong data, blank card stock running out, or problems with the civil registry office or its self-service kiosks.',
    resolution_class: 'tanpa_pemeriksaan',
    about_official: false,
  },
  {
    code: 'LAYANAN_KELURAHAN_LAMBAT',
    name: 'Layanan kelurahan/desa lambat',
    name_en: 'Slow kelurahan/village office service',
    group: 'pelayanan_publik',
    description:
      'Surat pengantar atau layanan administrasi di kantor kelurahan/desa yang lambat, berbelit, atau kantor tutup pada jam layanan. Pengaduan diteruskan ke kecamatan sebagai atasan lurah.',
    description_en:
      'Cover letters or other administrative services at the kelurahan/village office that are slow or needlessly complicated, or an office closed during service hours. The complaint goes to the sub-district (kecamatan), the lurah’s superior.',
    resolution_class: 'tanpa_pemeriksaan',
    about_official: false,
  },
  {
    code: 'PUNGLI',
    name: 'Pungutan liar',
    name_en: 'Illegal fees (extortion)',
    group: 'integritas',
    description:
      'Petugas meminta uang atau imbalan di luar tarif resmi untuk layanan yang seharusnya gratis atau sudah ada tarifnya. Identitas pelapor dirahasiakan.',
    description_en:
      'An official asks for money or favours beyond the official fee for a service that should be free or has a set fee. Your identity is kept confidential.',
    resolution_class: 'dengan_pemeriksaan',
    about_official: true,
  },
  {
    code: 'PENYALAHGUNAAN_WEWENANG',
    name: 'Penyalahgunaan wewenang',
    name_en: 'Abuse of authority',
    group: 'integritas',
    description:
      'Pejabat atau pegawai pemerintah daerah yang menyalahgunakan jabatannya, misalnya pilih kasih dalam pelayanan, konflik kepentingan, atau memakai fasilitas dinas untuk kepentingan pribadi. Identitas pelapor dirahasiakan.',
    description_en:
      'A local-government official or employee misusing their position, for example favouritism in services, conflicts of interest, or using official assets for private purposes. Your identity is kept confidential.',
    resolution_class: 'dengan_pemeriksaan',
    about_official: true,
  },
  {
    code: 'KETERTIBAN_UMUM',
    name: 'Gangguan ketertiban umum',
    name_en: 'Public order disturbance',
    group: 'ketertiban',
    description:
      'Gangguan ketenteraman di lingkungan, seperti kebisingan hingga larut malam, ternak berkeliaran, atau fasilitas umum yang dipakai seenaknya. Tindak pidana dan keadaan darurat laporkan ke kepolisian.',
    description_en:
      'Disturbances in the neighbourhood, such as late-night noise, roaming livestock, or misuse of public facilities. Report crimes and emergencies to the police.',
    resolution_class: 'ringan',
    about_official: false,
  },
  {
    code: 'PEDAGANG_KAKI_LIMA',
    name: 'Pedagang kaki lima di trotoar dan badan jalan',
    name_en: 'Street vendors on pavements and roads',
    group: 'ketertiban',
    description:
      'Pedagang kaki lima atau lapak yang menempati trotoar, badan jalan, atau fasilitas umum sehingga mengganggu pejalan kaki dan lalu lintas.',
    description_en:
      'Street vendors or stalls occupying pavements, roadways or public facilities and obstructing pedestrians and traffic.',
    resolution_class: 'tanpa_pemeriksaan',
    about_official: false,
  },
  {
    code: 'PARKIR_LIAR',
    name: 'Parkir liar',
    name_en: 'Illegal parking',
    group: 'ketertiban',
    description:
      'Kendaraan yang parkir di trotoar atau tempat terlarang, atau juru parkir tidak resmi yang memungut bayaran tanpa karcis.',
    description_en:
      'Vehicles parked on pavements or in no-parking zones, or unofficial parking attendants charging without a ticket.',
    resolution_class: 'tanpa_pemeriksaan',
    about_official: false,
  },
  {
    code: 'PENCEMARAN_LINGKUNGAN',
    name: 'Pencemaran lingkungan',
    name_en: 'Environmental pollution',
    group: 'lingkungan',
    description:
      'Limbah pabrik atau usaha yang dibuang ke sungai atau saluran, bau menyengat, asap dan debu berlebihan, atau pembakaran sampah dalam jumlah besar.',
    description_en:
      'Factory or business waste discharged into rivers or drains, strong odours, excessive smoke and dust, or large-scale burning of rubbish.',
    resolution_class: 'dengan_pemeriksaan',
    about_official: false,
  },
  {
    code: 'PENERIMAAN_MURID_BARU',
    name: 'Penerimaan murid baru',
    name_en: 'New student admission',
    group: 'pendidikan',
    description:
      'Masalah pendaftaran murid baru di SD dan SMP negeri, seperti domisili, kuota, atau pengumuman hasil seleksi. SMA/SMK negeri dikelola Pemerintah Provinsi Banten.',
    description_en:
      'Problems with new-student admission to state primary and junior secondary schools, such as residence rules, quotas or published results. State senior high and vocational schools are run by the Banten provincial government.',
    resolution_class: 'normatif',
    about_official: false,
  },
  {
    code: 'LAINNYA',
    name: 'Lainnya',
    name_en: 'Other',
    group: 'pelayanan_publik',
    description:
      'Keluhan lain yang tidak sesuai dengan kategori mana pun. Kelurahan/desa akan menelaah dan meneruskannya ke unit yang berwenang.',
    description_en:
      'Any other complaint that fits no category. The kelurahan/village will review it and forward it to the responsible unit.',
    resolution_class: 'ringan',
    about_official: false,
  },
]);
