import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ComplaintEvent, isComplaintEvent } from '../domain/complaint-events';
import type { ComplaintStatus } from '../domain/complaint-status';
import { TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { mentionedUnitIds, publicTimeline } from '../view-complaint/timeline';
import { MediaGrant, Open311MediaSigner } from './open311-media';
import { complaintStatusesFor, FEED_EVENTS, OFFICIAL_WORDS, Open311Status, open311Status, STATUS_EVENTS, statusNotes, UpdateStatus, updateStatus } from './open311-status';
import { w3cDateTime } from './open311-time';

/** The tenant a read is for: its code and its timezone (for the offsets). */
export interface Open311Tenant {
  code: string;
  timezone: string;
}

/** A service request as GeoReport v2 shows it, in the spec's field order. Never the reporter. */
export interface ServiceRequestView {
  service_request_id: string;
  status: Open311Status;
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** One entry of mySociety's `servicerequestupdates` extension, in the order FixMyStreet's client reads it. */
export interface ServiceRequestUpdateView {
  update_id: string;
  service_request_id: string;
  status: UpdateStatus;
  updated_datetime: string;
  description: string;
  media_url: string;
}

/** Who reads: an Open311 client's API key adds the requests filed with it to what the read sees. */
export interface Open311Reader {
  apiKeyId: string;
  /** where signed photo links start, e.g. `https://aduan.example/open311/v2/media/` */
  mediaBaseUrl: string;
}

/** A window of `updated_datetime`, both ends inclusive to the second (the precision it is shown in). */
export interface UpdateWindow {
  start: Date;
  end: Date;
  limit: number;
}

export interface ServiceRequestFilter {
  /** tracking numbers; when given, every other filter is ignored (as the spec says) */
  ids?: readonly string[];
  serviceCodes?: readonly string[];
  statuses?: readonly Open311Status[];
  start: Date;
  end: Date;
  limit: number;
}

interface RequestRow {
  tracking_number: string;
  status: ComplaintStatus;
  category_code: string;
  category_name: string;
  description: string;
  unit_name: string | null;
  submitted_at: Date;
  updated_at: Date;
  due_at: Date | null;
  address: string | null;
  kelurahan_code: string;
  kelurahan_label: string;
  lat: number | null;
  long: number | null;
  rejection_reason: string | null;
}

interface UpdateRow {
  id: string;
  at: Date;
  event: string;
  data: Record<string, unknown>;
  tracking_number: string;
  /** the officials' public words written with the event (a reader with a key only) */
  words: string | null;
  /** for a photo: the last event before it that set a status */
  before_event: string | null;
  before_data: Record<string, unknown> | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SECOND_MS = 1000;
const MEDIA_EXTENSIONS: Readonly<Record<string, string>> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
/**
 * Where the resident's timeline speaks to the resident ("Anda"), or asks for an answer the
 * tracking page takes, an Open311 client (which shows updates publicly) gets a neutral sentence.
 */
const CLIENT_SENTENCES: Readonly<Partial<Record<ComplaintEvent, string>>> = {
  'complaint.info_requested': 'Petugas meminta keterangan tambahan dari pelapor.',
  'complaint.resolved': 'Petugas menyatakan pengaduan selesai.',
  'complaint.reopened': 'Pelapor menyatakan belum selesai; pengaduan dibuka kembali.',
};

const SELECT_REQUEST = `
  SELECT c.tracking_number, c.status, c.category_code, cat.name AS category_name, c.description, u.name AS unit_name,
         c.submitted_at, c.updated_at, c.due_at, c.address, c.kelurahan_code, c.lat, c.long,
         CASE k.level WHEN 'desa' THEN 'Desa ' ELSE 'Kelurahan ' END || k.name || ', Kecamatan ' || kc.name AS kelurahan_label,
         CASE WHEN c.status = 'rejected' THEN (
           SELECT r.data->>'reason' FROM audit_entry r
            WHERE r.stream = 'complaint:' || c.id::text AND r.event = 'complaint.rejected' ORDER BY r.seq DESC LIMIT 1) END AS rejection_reason
    FROM complaint c
    JOIN category cat ON cat.code = c.category_code
    JOIN area k ON k.code = c.kelurahan_code
    JOIN area kc ON kc.code = c.kecamatan_code
    LEFT JOIN unit u ON u.id = c.current_unit_id`;

/**
 * The updates of the complaints a reader may see, in a window, oldest first. Which complaints is
 * the WHERE clause the caller adds (`$1` tenant, `$2` window start, `$3` window end, exclusive;
 * `$7` the key), written out for each reader so each plan uses its own partial index. A complaint
 * whose last change is before the window has no entry in it: every audited change a feed shows
 * also moves `updated_at`.
 */
function updatesSql(visible: string): string {
  return `SELECT a.id, a.at, a.event, a.data, c.tracking_number, w.body AS words, b.event AS before_event, b.data AS before_data
    FROM complaint c
    JOIN audit_entry a ON a.stream = 'complaint:' || c.id::text
    LEFT JOIN LATERAL (
      SELECT m.body FROM complaint_message m
       WHERE $8 AND m.complaint_id = c.id AND m.created_at = a.at AND m.author_type = 'official' AND m.public
         AND m.kind = ($5::jsonb ->> a.event)
       ORDER BY m.id LIMIT 1) w ON true
    LEFT JOIN LATERAL (
      SELECT p.event, p.data FROM audit_entry p
       WHERE a.event = 'complaint.photo_added' AND p.stream = a.stream AND p.seq < a.seq AND p.event = ANY($6)
         AND (p.event <> 'complaint.resident_replied' OR p.data->>'resumed' = 'true')
       ORDER BY p.seq DESC LIMIT 1) b ON true
   WHERE ${visible} AND c.updated_at >= $2 AND c.submitted_at < $3
     AND a.at >= $2 AND a.at < $3 AND a.event = ANY($4)
   ORDER BY a.at, a.stream, a.seq
   LIMIT $9`;
}

const PUBLIC_UPDATES = updatesSql(`c.tenant_code = $1 AND NOT c.confidential AND $7::uuid IS NULL`);
const CLIENT_UPDATES = updatesSql(`c.api_key_id = $7 AND c.tenant_code = $1`);

/**
 * Open311's reads. Without an API key a read sees the tenant's public complaints only: confidential
 * (rahasia) ones are not there at all. A read with a key also sees every complaint filed with that
 * key, whatever its confidentiality (the client filed it and holds its content). No read touches
 * the reporter's identity, an official's identity, internal notes or the accused.
 */
@Injectable()
export class Open311Requests {
  constructor(
    private readonly dataSource: DataSource,
    private readonly signer: Open311MediaSigner,
  ) {}

  async list(tenant: Open311Tenant, filter: ServiceRequestFilter, apiKeyId: string | null = null): Promise<ServiceRequestView[]> {
    const params: unknown[] = [tenant.code, apiKeyId];
    const where = ['c.tenant_code = $1', '(NOT c.confidential OR c.api_key_id = $2)'];
    if (filter.ids) {
      params.push(filter.ids.filter((id) => TRACKING_NUMBER_PATTERN.test(id)));
      where.push(`c.tracking_number = ANY($${params.length})`);
    } else {
      params.push(filter.start, filter.end);
      where.push(`c.submitted_at >= $${params.length - 1}`, `c.submitted_at <= $${params.length}`);
      if (filter.serviceCodes) {
        params.push(filter.serviceCodes);
        where.push(`c.category_code = ANY($${params.length})`);
      }
      if (filter.statuses) {
        params.push(complaintStatusesFor(filter.statuses));
        where.push(`c.status = ANY($${params.length})`);
      }
    }
    params.push(filter.limit);
    const rows: RequestRow[] = await this.dataSource.query(
      `${SELECT_REQUEST} WHERE ${where.join(' AND ')} ORDER BY c.submitted_at DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => view(r, tenant.timezone));
  }

  /** One request of the tenant; null when unknown, of another tenant, or confidential and not filed with the reader's key. */
  async one(tenant: Open311Tenant, trackingNumber: string, apiKeyId: string | null = null): Promise<ServiceRequestView | null> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) return null;
    const rows: RequestRow[] = await this.dataSource.query(
      `${SELECT_REQUEST} WHERE c.tracking_number = $1 AND c.tenant_code = $2 AND (NOT c.confidential OR c.api_key_id = $3)`,
      [trackingNumber, tenant.code, apiKeyId],
    );
    return rows[0] ? view(rows[0], tenant.timezone) : null;
  }

  /**
   * mySociety's `servicerequestupdates`: the changes a resident should see, oldest first, at most
   * `window.limit`. Without a reader, the updates of the tenant's public complaints, each described
   * by the standard sentence of the resident's timeline; with one, the updates of the complaints
   * filed with its key only, with the officials' own public words (the question, the resolution,
   * the reason for a rejection) and a signed link to each photo added.
   */
  async updates(tenant: Open311Tenant, window: UpdateWindow, reader: Open311Reader | null = null): Promise<ServiceRequestUpdateView[]> {
    // updated_datetime is shown to the second, and both ends hold to the second.
    const from = new Date(Math.ceil(window.start.getTime() / SECOND_MS) * SECOND_MS);
    const until = new Date(Math.floor(window.end.getTime() / SECOND_MS) * SECOND_MS + SECOND_MS);
    const rows: UpdateRow[] = await this.dataSource.query(reader ? CLIENT_UPDATES : PUBLIC_UPDATES, [
      tenant.code,
      from,
      until,
      FEED_EVENTS,
      JSON.stringify(OFFICIAL_WORDS),
      STATUS_EVENTS,
      reader?.apiKeyId ?? null,
      reader !== null,
      window.limit,
    ]);
    const unitIds = mentionedUnitIds(rows).filter((id) => UUID.test(id));
    const units = new Map<string, string>(
      unitIds.length === 0
        ? []
        : ((await this.dataSource.query(`SELECT id, name FROM unit WHERE id = ANY($1::uuid[])`, [unitIds])) as { id: string; name: string }[]).map((u) => [u.id, u.name]),
    );
    const now = new Date();
    return rows.map((r) => {
      const status = r.event === 'complaint.photo_added'
        ? (r.before_event ? updateStatus(r.before_event, r.before_data) : null) ?? 'open'
        : updateStatus(r.event, r.data) ?? 'open';
      const [sentence] = publicTimeline([r], units, 'id');
      let mediaUrl = '';
      const photo = typeof r.data.attachment_id === 'string' ? r.data.attachment_id : null;
      if (reader && r.event === 'complaint.photo_added' && photo && UUID.test(photo)) {
        const grant = this.signer.grant(photo, reader.apiKeyId, now);
        const extension = MEDIA_EXTENSIONS[String(r.data.media_type)] ?? 'jpg';
        mediaUrl = `${reader.mediaBaseUrl}${photo}.${extension}?client=${grant.apiKeyId}&expires=${grant.expires}&signature=${grant.signature}`;
      }
      return {
        update_id: r.id,
        service_request_id: r.tracking_number,
        status,
        updated_datetime: w3cDateTime(r.at, tenant.timezone),
        description: r.words ?? (isComplaintEvent(r.event) ? CLIENT_SENTENCES[r.event] : undefined) ?? sentence?.message ?? '',
        media_url: mediaUrl,
      };
    });
  }

  /**
   * A photo behind a signed link of `updates`: served while the link holds, the client's key is
   * unrevoked and the photo's complaint was filed with that key. Null otherwise, whatever the reason.
   */
  async media(grant: MediaGrant, signature: string): Promise<{ mediaType: string; bytes: Buffer } | null> {
    if (!UUID.test(grant.attachmentId) || !UUID.test(grant.apiKeyId) || !this.signer.verify(grant, signature)) return null;
    const rows: { media_type: string; bytes: Buffer }[] = await this.dataSource.query(
      `SELECT a.media_type, a.bytes FROM attachment a
         JOIN complaint c ON c.id = a.complaint_id
         JOIN api_key k ON k.id = c.api_key_id
        WHERE a.id = $1 AND c.api_key_id = $2 AND k.revoked_at IS NULL`,
      [grant.attachmentId, grant.apiKeyId],
    );
    return rows[0] ? { mediaType: rows[0].media_type, bytes: rows[0].bytes } : null;
  }
}

function view(r: RequestRow, timeZone: string): ServiceRequestView {
  return {
    service_request_id: r.tracking_number,
    status: open311Status(r.status),
    status_notes: statusNotes(r.status, r.rejection_reason),
    service_name: r.category_name,
    service_code: r.category_code,
    description: r.description,
    agency_responsible: r.unit_name,
    service_notice: null,
    requested_datetime: w3cDateTime(r.submitted_at, timeZone),
    updated_datetime: w3cDateTime(r.updated_at, timeZone),
    expected_datetime: r.due_at ? w3cDateTime(r.due_at, timeZone) : null,
    // Most specific first, as the spec asks: the resident's words, then the kelurahan and kecamatan.
    address: [r.address, r.kelurahan_label].filter(Boolean).join(', '),
    address_id: r.kelurahan_code,
    zipcode: null,
    lat: r.lat,
    long: r.long,
    media_url: null,
  };
}
