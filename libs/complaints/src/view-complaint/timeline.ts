export type Language = 'id' | 'en';

export interface TimelineItem {
  at: string;
  type: string;
  message: string;
}

interface AuditRow {
  at: Date;
  event: string;
  data: Record<string, unknown>;
}

type Messages = Record<string, (data: Record<string, unknown>, units: ReadonlyMap<string, string>) => string>;

const MESSAGES: Record<Language, Messages> = {
  id: {
    'complaint.submitted': () => 'Pengaduan diterima.',
    'complaint.routed': () => 'Pengaduan sedang diarahkan ke unit yang berwenang.',
    'complaint.assigned': (d, units) => `Pengaduan diteruskan ke ${units.get(String(d.unit_id)) ?? 'unit yang berwenang'}.`,
  },
  en: {
    'complaint.submitted': () => 'Complaint received.',
    'complaint.routed': () => 'The complaint is being routed to the responsible office.',
    'complaint.assigned': (d, units) => `Complaint passed to ${units.get(String(d.unit_id)) ?? 'the responsible office'}.`,
  },
};

/** The public timeline: audit events a resident may see, in the resident's language. */
export function publicTimeline(rows: readonly AuditRow[], units: ReadonlyMap<string, string>, lang: Language): TimelineItem[] {
  const messages = MESSAGES[lang];
  return rows
    .filter((r) => messages[r.event] !== undefined)
    .map((r) => ({ at: r.at.toISOString(), type: r.event.replace(/^complaint\./, ''), message: messages[r.event](r.data, units) }));
}
