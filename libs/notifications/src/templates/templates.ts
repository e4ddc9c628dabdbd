import { isNoticeTemplate, NoticeTemplate } from '@aduan/complaints';

/** What a rendered notice says; Bahasa Indonesia first, English below it. */
export interface RenderedNotice {
  subject: string;
  body: string;
}

export interface NoticeContext {
  trackingNumber: string;
  unitName: string | null;
  /** the tracking page, without the access code: the resident types it in */
  trackingUrl: string;
  data: Record<string, unknown>;
}

type Template = (c: NoticeContext) => { id: [string, string]; en: [string, string] };

const when = (iso: unknown) => (typeof iso === 'string' ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '-');
/** A deadline counted over a year whose official holiday table is not loaded yet. */
const provisional = (c: NoticeContext, lang: 'id' | 'en') => (c.data.due_provisional === true ? (lang === 'id' ? ' (sementara)' : ' (provisional)') : '');

/**
 * Templates per notice. Resident notices carry the tracking link but never the access code.
 * Internal notices (unit, Inspektorat) name the complaint by tracking number only.
 */
export const TEMPLATES: Record<NoticeTemplate, Template> = {
  'resident.routed': (c) => ({
    id: [`Pengaduan ${c.trackingNumber} diteruskan`, `Pengaduan Anda telah diteruskan ke ${c.unitName ?? 'unit yang berwenang'}. Pantau perkembangannya di ${c.trackingUrl}`],
    en: [`Complaint ${c.trackingNumber} passed on`, `Your complaint was passed to ${c.unitName ?? 'the responsible office'}. Follow it at ${c.trackingUrl}`],
  }),
  'resident.acknowledged': (c) => ({
    id: [`Pengaduan ${c.trackingNumber} sedang ditangani`, `${c.unitName ?? 'Petugas'} menangani pengaduan Anda. Target selesai: ${when(c.data.due_at)}${provisional(c, 'id')}. ${c.trackingUrl}`],
    en: [`Complaint ${c.trackingNumber} is being handled`, `${c.unitName ?? 'The office'} is handling your complaint. Target: ${when(c.data.due_at)}${provisional(c, 'en')}. ${c.trackingUrl}`],
  }),
  'resident.info_requested': (c) => ({
    id: [`Petugas bertanya tentang pengaduan ${c.trackingNumber}`, `Petugas membutuhkan keterangan tambahan. Jawab di ${c.trackingUrl}`],
    en: [`A question about complaint ${c.trackingNumber}`, `The officer needs more information. Answer at ${c.trackingUrl}`],
  }),
  'resident.resolved': (c) => ({
    id: [`Pengaduan ${c.trackingNumber} dinyatakan selesai`, `Apakah masalah Anda sudah selesai? Beri tanggapan di ${c.trackingUrl}`],
    en: [`Complaint ${c.trackingNumber} marked resolved`, `Is your problem solved? Tell us at ${c.trackingUrl}`],
  }),
  'resident.rejected': (c) => ({
    id: [`Pengaduan ${c.trackingNumber} ditolak`, `Alasan dan penjelasan dapat dilihat di ${c.trackingUrl}`],
    en: [`Complaint ${c.trackingNumber} rejected`, `See the reason and explanation at ${c.trackingUrl}`],
  }),
  'resident.closed': (c) => ({
    id: [`Pengaduan ${c.trackingNumber} ditutup`, `Terima kasih. Riwayat pengaduan tetap dapat dilihat di ${c.trackingUrl}`],
    en: [`Complaint ${c.trackingNumber} closed`, `Thank you. The history stays available at ${c.trackingUrl}`],
  }),
  'unit.assigned': (c) => ({
    id: [`Pengaduan baru ${c.trackingNumber}`, `Pengaduan baru masuk ke kotak masuk ${c.unitName ?? 'unit Anda'}. Batas tanggapan pertama: ${when(c.data.due_at)}${provisional(c, 'id')}.`],
    en: [`New complaint ${c.trackingNumber}`, `A new complaint is in ${c.unitName ?? 'your unit'}'s inbox. First response due: ${when(c.data.due_at)}${provisional(c, 'en')}.`],
  }),
  'unit.reminder': (c) => ({
    id: [`Pengingat: ${c.trackingNumber} belum ditanggapi`, `Batas tanggapan pertama ${when(c.data.due_at)}. Setelah itu pengaduan dinaikkan ke atasan.`],
    en: [`Reminder: ${c.trackingNumber} has no response yet`, `First response due ${when(c.data.due_at)}. After that the complaint is escalated.`],
  }),
  'unit.escalated_to_you': (c) => ({
    id: [`Eskalasi: ${c.trackingNumber}`, `Unit di bawah Anda tidak menanggapi tepat waktu. Batas tanggapan Anda: ${when(c.data.due_at)}.`],
    en: [`Escalated: ${c.trackingNumber}`, `The unit below you did not respond in time. Your response is due ${when(c.data.due_at)}.`],
  }),
  'unit.resident_replied': (c) => ({
    id: [`Pelapor menjawab: ${c.trackingNumber}`, `Pelapor menambahkan keterangan pada pengaduan ${c.trackingNumber}.`],
    en: [`The resident replied: ${c.trackingNumber}`, `The resident added information to complaint ${c.trackingNumber}.`],
  }),
  'unit.reopened': (c) => ({
    id: [`Dibuka kembali: ${c.trackingNumber}`, `Pelapor menyatakan masalah belum selesai; pengaduan kembali ke kotak masuk Anda.`],
    en: [`Reopened: ${c.trackingNumber}`, `The resident says the problem is not solved; the complaint is back in your inbox.`],
  }),
  'unit.deadline_moved_earlier': (c) => ({
    id: [
      `Batas waktu maju: ${c.trackingNumber}`,
      `Revisi tabel hari libur resmi ${String(c.data.year ?? '')} memajukan batas ${c.data.kind === 'resolution' ? 'penyelesaian' : 'tanggapan pertama'} dari ${when(c.data.from)} menjadi ${when(c.data.due_at)}.`,
    ],
    en: [
      `Deadline brought forward: ${c.trackingNumber}`,
      `A revision of the official ${String(c.data.year ?? '')} holiday table moved the ${c.data.kind === 'resolution' ? 'resolution' : 'first-response'} deadline from ${when(c.data.from)} to ${when(c.data.due_at)}.`,
    ],
  }),
  'unit.resolution_overdue': (c) => ({
    id: [`Lewat batas penyelesaian: ${c.trackingNumber}`, `Batas penyelesaian ${when(c.data.due_at)} terlewati. Inspektorat telah diberi tahu.`],
    en: [`Resolution overdue: ${c.trackingNumber}`, `The resolution deadline ${when(c.data.due_at)} passed. The Inspektorat has been told.`],
  }),
  'inspektorat.breach': (c) => ({
    id: [`Pelanggaran batas waktu: ${c.trackingNumber}`, `Batas ${c.data.kind === 'resolution' ? 'penyelesaian' : 'tanggapan pertama'} ${when(c.data.due_at)} terlewati.${c.data.escalated_to_unit_id ? ' Pengaduan telah dieskalasi.' : ''}`],
    en: [`Deadline breach: ${c.trackingNumber}`, `The ${c.data.kind === 'resolution' ? 'resolution' : 'first-response'} deadline ${when(c.data.due_at)} passed.${c.data.escalated_to_unit_id ? ' The complaint was escalated.' : ''}`],
  }),
};

/** Renders a notice in both languages; null for a template nobody wrote (a bug worth failing on). */
export function renderNotice(template: string, context: NoticeContext): RenderedNotice | null {
  if (!isNoticeTemplate(template)) return null;
  const { id, en } = TEMPLATES[template](context);
  return { subject: `${id[0]} / ${en[0]}`, body: `${id[1]}\n\n${en[1]}` };
}
