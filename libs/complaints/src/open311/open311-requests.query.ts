import { complaintStream } from '@aduan/audit';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ComplaintStatus } from '../domain/complaint-status';
import { TRACKING_NUMBER_PATTERN } from '../domain/tracking-number';
import { mentionedUnitIds, publicTimeline } from '../view-complaint/timeline';
import { complaintStatusesFor, Open311Status, open311Status, statusAfter, statusNotes } from './open311-status';
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

/** One entry of mySociety's `servicerequestupdates` extension. */
export interface ServiceRequestUpdateView {
  update_id: string;
  service_request_id: string;
  status: Open311Status;
  updated_datetime: string;
  description: string;
  media_url: string;
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
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SELECT_REQUEST = `
  SELECT c.tracking_number, c.status, c.category_code, cat.name AS category_name, c.description, u.name AS unit_name,
         c.submitted_at, c.updated_at, c.due_at, c.address, c.kelurahan_code, c.lat, c.long,
         CASE k.level WHEN 'desa' THEN 'Desa ' ELSE 'Kelurahan ' END || k.name || ', Kecamatan ' || kc.name AS kelurahan_label
    FROM complaint c
    JOIN category cat ON cat.code = c.category_code
    JOIN area k ON k.code = c.kelurahan_code
    JOIN area kc ON kc.code = c.kecamatan_code
    LEFT JOIN unit u ON u.id = c.current_unit_id`;

/**
 * Public reads of complaints for Open311. Confidential (rahasia) complaints are not there at all,
 * and no read touches the reporter's identity or the accused.
 */
@Injectable()
export class Open311Requests {
  constructor(private readonly dataSource: DataSource) {}

  async list(tenant: Open311Tenant, filter: ServiceRequestFilter): Promise<ServiceRequestView[]> {
    const params: unknown[] = [tenant.code];
    const where = ['c.tenant_code = $1', 'NOT c.confidential'];
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

  /** One request of the tenant; null when unknown, of another tenant, or confidential. */
  async one(tenant: Open311Tenant, trackingNumber: string): Promise<ServiceRequestView | null> {
    if (!TRACKING_NUMBER_PATTERN.test(trackingNumber)) return null;
    const rows: RequestRow[] = await this.dataSource.query(
      `${SELECT_REQUEST} WHERE c.tracking_number = $1 AND c.tenant_code = $2 AND NOT c.confidential`,
      [trackingNumber, tenant.code],
    );
    return rows[0] ? view(rows[0], tenant.timezone) : null;
  }

  /**
   * The public timeline entries of the tenant's public complaints made in [start, end], oldest
   * first, each with the status the complaint had after it. Whole chains are read so the status
   * carries over from entries before the window.
   */
  async updates(tenant: Open311Tenant, start: Date, end: Date, limit: number): Promise<ServiceRequestUpdateView[]> {
    const rows: { complaint_id: string; tracking_number: string; id: string; at: Date; event: string; data: Record<string, unknown> }[] =
      await this.dataSource.query(
        `WITH touched AS (
           -- every audited change also moves updated_at, so older complaints cannot have entries in the window
           SELECT id, tracking_number FROM complaint
            WHERE tenant_code = $1 AND NOT confidential AND updated_at >= $2 AND submitted_at <= $3)
         SELECT t.id AS complaint_id, t.tracking_number, a.id, a.at, a.event, a.data
           FROM touched t
           JOIN audit_entry a ON a.stream = $4 || t.id::text
          WHERE a.at <= $3
          ORDER BY t.id, a.seq`,
        [tenant.code, start, end, complaintStream('')],
      );
    const unitIds = mentionedUnitIds(rows).filter((id) => UUID.test(id));
    const units = new Map<string, string>(
      unitIds.length === 0
        ? []
        : ((await this.dataSource.query(`SELECT id, name FROM unit WHERE id = ANY($1::uuid[])`, [unitIds])) as { id: string; name: string }[]).map((u) => [u.id, u.name]),
    );
    const updates: (ServiceRequestUpdateView & { at: number })[] = [];
    let complaintId: string | null = null;
    let status: ComplaintStatus = 'submitted';
    for (const r of rows) {
      if (complaintId !== r.complaint_id) {
        complaintId = r.complaint_id;
        status = 'submitted';
      }
      status = statusAfter(status, r.event, r.data);
      if (r.at < start) continue;
      const [item] = publicTimeline([r], units, 'id');
      if (!item) continue;
      updates.push({
        update_id: r.id,
        service_request_id: r.tracking_number,
        status: open311Status(status),
        updated_datetime: w3cDateTime(r.at, tenant.timezone),
        description: item.message,
        media_url: '',
        at: r.at.getTime(),
      });
    }
    updates.sort((a, b) => a.at - b.at || a.update_id.localeCompare(b.update_id));
    return updates.slice(0, limit).map(({ at: _at, ...u }) => u);
  }
}

function view(r: RequestRow, timeZone: string): ServiceRequestView {
  return {
    service_request_id: r.tracking_number,
    status: open311Status(r.status),
    status_notes: statusNotes(r.status),
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
