import { ComplaintEvent, isComplaintEvent } from '../domain/complaint-events';

export type Language = 'id' | 'en';

export interface TimelineItem {
  at: string;
  type: string;
  message: string;
}

export interface AuditRow {
  at: Date;
  event: string;
  data: Record<string, unknown>;
}

export interface MessageRow {
  at: Date;
  kind: string;
  body: string;
  public: boolean;
  author_type: string;
}

type Render = (data: Record<string, unknown>, unit: (key: string) => string) => string;

/** The year of the holiday table whose revision moved a deadline. */
const yearOf = (data: Record<string, unknown>) => String((data.holiday_revision as { year?: number } | undefined)?.year ?? '');

const REJECTION: Record<Language, Record<string, string>> = {
  id: { duplicate: 'sama dengan pengaduan lain', invalid: 'tidak dapat ditindaklanjuti', out_of_scope: 'di luar kewenangan pemerintah daerah' },
  en: { duplicate: 'it duplicates another complaint', invalid: 'it cannot be acted on', out_of_scope: 'it is outside the local government’s remit' },
};

/** What residents read about each event, Bahasa Indonesia first; null: an internal event, for officials only. */
const PUBLIC_EVENTS: Record<Language, Record<ComplaintEvent, Render | null>> = {
  id: {
    'complaint.submitted': () => 'Pengaduan diterima.',
    'complaint.routed': () => 'Pengaduan sedang diarahkan ke unit yang berwenang.',
    'complaint.assigned': (d, u) => `Pengaduan diteruskan ke ${u('unit_id')}.`,
    'complaint.acknowledged': () => 'Pengaduan sedang ditangani.',
    'complaint.info_requested': () => 'Petugas meminta keterangan tambahan dari Anda.',
    'complaint.forwarded': (d, u) => `Pengaduan didisposisikan ke ${u('to_unit_id')}.`,
    'complaint.returned': (d, u) => `Pengaduan dikembalikan ke ${u('to_unit_id')} untuk diteruskan ke unit yang berwenang.`,
    'complaint.escalated': (d, u) => `Batas waktu tanggapan terlewati; pengaduan dinaikkan ke ${u('to_unit_id')}.`,
    'complaint.resolved': () => 'Petugas menyatakan pengaduan selesai. Mohon beri tanggapan Anda.',
    'complaint.rejected': (d) => `Pengaduan ditolak karena ${REJECTION.id[String(d.reason)] ?? 'alasan lain'}.`,
    'complaint.reopened': () => 'Anda menyatakan belum selesai; pengaduan dibuka kembali.',
    'complaint.closed': (d) => (d.auto ? 'Pengaduan ditutup karena tidak ada tanggapan.' : 'Pengaduan ditutup.'),
    'complaint.photo_added': () => 'Foto ditambahkan.',
    'complaint.rerouted': () => 'Pengaduan ditelaah ulang dan sedang diarahkan kembali ke unit yang berwenang.',
    'complaint.deadline_moved': (d) => `Batas waktu disesuaikan dengan kalender hari libur resmi ${yearOf(d)}.`,
    'complaint.resident_replied': null,
    'complaint.deadline_missed': null,
    'complaint.deadline_recounted': null,
    'complaint.accused_flagged': null,
    'complaint.accused_confirmed': null,
    'complaint.accused_cleared': null,
    'complaint.reporter_revealed': null,
    'complaint.reporter_erased': null,
  },
  en: {
    'complaint.submitted': () => 'Complaint received.',
    'complaint.routed': () => 'The complaint is being routed to the responsible office.',
    'complaint.assigned': (d, u) => `Complaint passed to ${u('unit_id')}.`,
    'complaint.acknowledged': () => 'The complaint is being handled.',
    'complaint.info_requested': () => 'The officer asks you for more information.',
    'complaint.forwarded': (d, u) => `Complaint forwarded to ${u('to_unit_id')}.`,
    'complaint.returned': (d, u) => `Complaint returned to ${u('to_unit_id')} to be passed to the responsible office.`,
    'complaint.escalated': (d, u) => `The response deadline passed; the complaint was escalated to ${u('to_unit_id')}.`,
    'complaint.resolved': () => 'The officer marked the complaint as resolved. Please tell us whether it is.',
    'complaint.rejected': (d) => `The complaint was rejected because ${REJECTION.en[String(d.reason)] ?? 'of another reason'}.`,
    'complaint.reopened': () => 'You said it is not resolved; the complaint is open again.',
    'complaint.closed': (d) => (d.auto ? 'The complaint was closed after no reply.' : 'The complaint is closed.'),
    'complaint.photo_added': () => 'A photo was added.',
    'complaint.rerouted': () => 'The complaint was reviewed and is being routed again to the responsible office.',
    'complaint.deadline_moved': (d) => `The deadline was adjusted to the official ${yearOf(d)} holiday calendar.`,
    'complaint.resident_replied': null,
    'complaint.deadline_missed': null,
    'complaint.deadline_recounted': null,
    'complaint.accused_flagged': null,
    'complaint.accused_confirmed': null,
    'complaint.accused_cleared': null,
    'complaint.reporter_revealed': null,
    'complaint.reporter_erased': null,
  },
};

/**
 * The timeline of a complaint: audit events in words plus the messages exchanged. Residents see
 * the public events and public messages; officials see every event (by its name) and every message.
 */
export function buildTimeline(
  audits: readonly AuditRow[],
  messages: readonly MessageRow[],
  unitNames: ReadonlyMap<string, string>,
  lang: Language,
  audience: 'resident' | 'official',
): TimelineItem[] {
  const renders = PUBLIC_EVENTS[lang];
  const fallback = lang === 'id' ? 'unit yang berwenang' : 'the responsible office';
  const items: (TimelineItem & { t: number })[] = [];
  for (const a of audits) {
    const render = isComplaintEvent(a.event) ? renders[a.event] : null;
    const unit = (key: string) => unitNames.get(String(a.data[key])) ?? fallback;
    if (render) items.push({ t: a.at.getTime(), at: a.at.toISOString(), type: a.event.replace(/^complaint\./, ''), message: render(a.data, unit) });
    else if (audience === 'official') items.push({ t: a.at.getTime(), at: a.at.toISOString(), type: a.event.replace(/^complaint\./, ''), message: a.event });
  }
  for (const msg of messages) {
    if (audience === 'resident' && !msg.public) continue;
    items.push({ t: msg.at.getTime(), at: msg.at.toISOString(), type: msg.kind, message: msg.body });
  }
  // Stable: an event and the message it carries share a timestamp; the event comes first.
  return items.sort((x, y) => x.t - y.t).map(({ t: _t, ...item }) => item);
}

/** Unit ids an audit trail mentions, to resolve into names. */
export function mentionedUnitIds(audits: readonly AuditRow[]): string[] {
  const ids = new Set<string>();
  for (const a of audits) for (const key of ['unit_id', 'to_unit_id']) if (typeof a.data[key] === 'string') ids.add(a.data[key] as string);
  return [...ids];
}

/** The public events alone, in words (Open311's service request updates use these). */
export function publicTimeline(audits: readonly AuditRow[], unitNames: ReadonlyMap<string, string>, lang: Language): TimelineItem[] {
  return buildTimeline(audits, [], unitNames, lang, 'resident');
}
