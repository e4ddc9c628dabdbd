import { Principal } from '@aduan/directory';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessCodeHasher } from '../privacy/reporter-cipher';
import { ComplaintViews } from '../view-complaint/complaint-views';
import type { PhotoSummary } from './add-photo.command';
import type { PhotoMediaType } from './image-metadata';
import { residentComplaintId } from './resident-access';

/** Who asks: the resident with the access code, or a signed-in official. */
export type PhotoReader = { accessCode: string } | { principal: Principal };

export interface StoredPhoto {
  mediaType: PhotoMediaType;
  bytes: Buffer;
  sha256: string;
}

/**
 * Reads of a complaint's photos. An official sees them exactly when they may see the complaint
 * (the same check as the official's view, AccessPolicy included); a resident with the access
 * code. Every refusal is `null`, as for "unknown".
 */
@Injectable()
export class PhotoReads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: AccessCodeHasher,
    private readonly views: ComplaintViews,
  ) {}

  async list(trackingNumber: string, reader: PhotoReader): Promise<PhotoSummary[] | null> {
    const complaintId = await this.visibleComplaint(trackingNumber, reader);
    if (!complaintId) return null;
    const rows: { id: string; media_type: PhotoMediaType; size: number; sha256: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT id, media_type, size, sha256, created_at FROM attachment WHERE complaint_id = $1 ORDER BY created_at, id`,
      [complaintId],
    );
    return rows.map((r) => ({ id: r.id, media_type: r.media_type, size: r.size, sha256: r.sha256, created_at: r.created_at.toISOString() }));
  }

  async get(trackingNumber: string, photoId: string, reader: PhotoReader): Promise<StoredPhoto | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(photoId)) return null;
    const complaintId = await this.visibleComplaint(trackingNumber, reader);
    if (!complaintId) return null;
    const rows: { media_type: PhotoMediaType; bytes: Buffer; sha256: string }[] = await this.dataSource.query(
      `SELECT media_type, bytes, sha256 FROM attachment WHERE id = $1 AND complaint_id = $2`,
      [photoId, complaintId],
    );
    return rows[0] ? { mediaType: rows[0].media_type, bytes: rows[0].bytes, sha256: rows[0].sha256 } : null;
  }

  private async visibleComplaint(trackingNumber: string, reader: PhotoReader): Promise<string | null> {
    if ('accessCode' in reader) return residentComplaintId(this.dataSource, this.hasher, trackingNumber, reader.accessCode);
    // The official's view applies AccessPolicy (and whatever else decides visibility); reuse it.
    if (!(await this.views.forOfficial(trackingNumber, reader.principal, 'id'))) return null;
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM complaint WHERE tracking_number = $1`, [trackingNumber]);
    return rows[0]?.id ?? null;
  }
}
