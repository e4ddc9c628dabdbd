import { complaintStream } from '@aduan/audit';
import { AccessPolicy, Principal } from '@aduan/directory';
import { loadAccessFacts } from '../persistence/access-facts';
import { complaintColumns, ComplaintColumnsRow } from '../persistence/complaint-table';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Accused } from '../domain/complaint';
import type { ComplaintStatus } from '../domain/complaint-status';
import { actionsAllowedFrom, OfficialActionName } from '../domain/official-actions';
import type { Finding } from '../domain/possibly-accused';
import { normalizeAccessCode, TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { AccessCodeHasher, ReporterCipher, ReporterIdentity } from '../privacy/reporter-cipher';
import { AuditRow, buildTimeline, Language, mentionedUnitIds, MessageRow, TimelineItem } from './timeline';

export interface ResidentView {
  tracking_number: string;
  category: string;
  kelurahan: string;
  status: string;
  handler: { name: string; type: string } | null;
  submitted_at: string;
  due_at: string | null;
  /** the deadline counts days of a year whose official holiday table is not loaded yet: it may still move */
  due_provisional: boolean;
  /** a resolved complaint closes by itself then unless the resident answers */
  auto_close_at: string | null;
  auto_close_provisional: boolean;
  timeline: TimelineItem[];
}

export interface OfficialView extends ResidentView {
  kecamatan: string;
  tier: string | null;
  handler: { code: string; name: string; type: string } | null;
  description: string;
  address: string | null;
  lat: number | null;
  long: number | null;
  anonymous: boolean;
  confidential: boolean;
  reporter: ReporterIdentity | null;
  accused: Accused | null;
  /**
   * A complaint about an official: the units that may be the accused's (none of which can see
   * it), the Inspektorat's review of them, and the markers found; null for any other complaint.
   */
  possibly_accused: { review: string; units: { code: string; name: string; type: string }[]; markers: string[] } | null;
  resolution_due_at: string | null;
  /** whether the caller may act on it now (read-only access otherwise) */
  can_act: boolean;
  /** the actions the caller may take now: what the status allows, none without `can_act` */
  actions: OfficialActionName[];
}

/** The complaint's columns, by name, and the unit holding it. */
interface Row extends ComplaintColumnsRow {
  unit_code: string | null;
  unit_name: string | null;
  unit_type: string | null;
}

/** The running deadlines as both views show them; the closing only while a resolution awaits the resident. */
function deadlines(row: Row): Pick<ResidentView, 'due_at' | 'due_provisional' | 'auto_close_at' | 'auto_close_provisional'> {
  const closing = row.status === 'resolved' ? row.auto_close_at : null;
  return {
    due_at: row.due_at?.toISOString() ?? null,
    due_provisional: row.due_at !== null && row.due_provisional,
    auto_close_at: closing?.toISOString() ?? null,
    auto_close_provisional: closing !== null && row.auto_close_provisional,
  };
}

/**
 * Reads of one complaint. Every way in answers `null` for "unknown" and "not yours" alike, so a
 * caller cannot tell them apart (the API turns both into 404).
 */
@Injectable()
export class ComplaintViews {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: AccessCodeHasher,
    private readonly cipher: ReporterCipher,
  ) {}

  async forResident(trackingNumber: string, accessCode: string, lang: Language): Promise<ResidentView | null> {
    const row = await this.load(trackingNumber);
    if (!row || !this.hasher.matches(normalizeAccessCode(accessCode), row.access_code_hash)) return null;
    return {
      tracking_number: row.tracking_number,
      category: row.category_code,
      kelurahan: row.kelurahan_code,
      status: row.status,
      handler: row.unit_name && row.unit_type ? { name: row.unit_name, type: row.unit_type } : null,
      submitted_at: row.submitted_at.toISOString(),
      ...deadlines(row),
      timeline: await this.timeline(row.id, lang, 'resident'),
    };
  }

  async forOfficial(trackingNumber: string, principal: Principal, lang: Language): Promise<OfficialView | null> {
    const row = await this.load(trackingNumber);
    if (!row) return null;
    const facts = await loadAccessFacts(this.dataSource.manager, row.id);
    if (!AccessPolicy.canView(principal, facts)) return null;
    const audits = await this.audits(row.id);
    const canAct = AccessPolicy.canAct(principal, facts);
    const reporter =
      !row.anonymous && row.reporter_ciphertext && row.reporter_key_id
        ? this.cipher.open({ keyId: row.reporter_key_id, ciphertext: row.reporter_ciphertext }, row.id)
        : null;
    return {
      tracking_number: row.tracking_number,
      category: row.category_code,
      kelurahan: row.kelurahan_code,
      kecamatan: row.kecamatan_code,
      status: row.status,
      tier: row.current_tier,
      handler: row.unit_code && row.unit_name && row.unit_type ? { code: row.unit_code, name: row.unit_name, type: row.unit_type } : null,
      description: row.description,
      address: row.address,
      lat: row.lat,
      long: row.long,
      anonymous: row.anonymous,
      confidential: row.confidential,
      reporter,
      accused: row.accused,
      submitted_at: row.submitted_at.toISOString(),
      ...deadlines(row),
      resolution_due_at: row.resolution_due_at?.toISOString() ?? null,
      possibly_accused: row.accused_review ? await this.possiblyAccused(row, audits) : null,
      can_act: canAct,
      actions: canAct ? actionsAllowedFrom(row.status as ComplaintStatus) : [],
      timeline: await this.timeline(row.id, lang, 'official', audits),
    };
  }

  private async possiblyAccused(row: Row, audits: readonly AuditRow[]): Promise<NonNullable<OfficialView['possibly_accused']>> {
    const units: { code: string; name: string; type: string }[] = row.accused_unit_ids.length
      ? await this.dataSource.query(`SELECT code, name, type FROM unit WHERE id = ANY($1::uuid[]) ORDER BY code`, [row.accused_unit_ids])
      : [];
    const markers = new Set<string>();
    for (const a of audits) {
      const findings =
        a.event === 'complaint.submitted' ? (a.data.possibly_accused as { findings?: Finding[] } | undefined)?.findings
        : a.event === 'complaint.accused_flagged' ? (a.data.findings as Finding[] | undefined)
        : undefined;
      for (const f of findings ?? []) if (f.kind === 'marker' && f.phrase) markers.add(f.phrase);
    }
    return { review: row.accused_review!, units, markers: [...markers] };
  }

  private async load(trackingNumber: string): Promise<Row | null> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) return null;
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${complaintColumns('c')}, u.code AS unit_code, u.name AS unit_name, u.type AS unit_type
         FROM complaint c LEFT JOIN unit u ON u.id = c.current_unit_id
        WHERE c.tracking_number = $1`,
      [trackingNumber],
    );
    return rows[0] ?? null;
  }

  private audits(complaintId: string): Promise<AuditRow[]> {
    return this.dataSource.query(`SELECT at, event, data FROM audit_entry WHERE stream = $1 ORDER BY seq`, [complaintStream(complaintId)]);
  }

  private async timeline(complaintId: string, lang: Language, audience: 'resident' | 'official', read?: readonly AuditRow[]): Promise<TimelineItem[]> {
    const audits = read ?? (await this.audits(complaintId));
    const messages: MessageRow[] = await this.dataSource.query(
      `SELECT created_at AS at, kind, body, public, author_type FROM complaint_message WHERE complaint_id = $1 ORDER BY created_at`,
      [complaintId],
    );
    const ids = mentionedUnitIds(audits);
    const units: { id: string; name: string }[] = ids.length ? await this.dataSource.query(`SELECT id, name FROM unit WHERE id = ANY($1::uuid[])`, [ids]) : [];
    return buildTimeline(audits, messages, new Map(units.map((u) => [u.id, u.name])), lang, audience);
  }
}
