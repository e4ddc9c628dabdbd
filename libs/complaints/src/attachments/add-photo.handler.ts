import { insertAuditSql, sealOnto } from '@aduan/audit';
import { SqlStatement } from '@aduan/platform';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { complaintAudit } from '../persistence/complaint-audit';
import { lockComplaint } from '../persistence/complaint-loads';
import { AccessCodeHasher } from '../privacy/reporter-cipher';
import { AddPhotoCommand, AddPhotoResult, MAX_PHOTO_BYTES, MAX_PHOTOS_PER_COMPLAINT, PhotoRejected } from './add-photo.command';
import { MalformedImage, PhotoMediaType, sniffImageType, stripImageMetadata } from './image-metadata';
import { residentComplaintId } from './resident-access';

/** A complaint that is over takes no more evidence. */
const CLOSED_STATUSES = new Set(['closed', 'rejected']);

/**
 * Checks the bytes (type from the magic bytes, structure), strips their metadata, then stores the
 * photo and its `complaint.photo_added` audit entry in one transaction, under the complaint's row
 * lock: the lock makes the count limit hold against concurrent uploads and orders the chain.
 */
@CommandHandler(AddPhotoCommand)
export class AddPhotoHandler implements ICommandHandler<AddPhotoCommand, AddPhotoResult> {
  constructor(private readonly dataSource: DataSource, private readonly hasher: AccessCodeHasher) {}

  async execute(cmd: AddPhotoCommand): Promise<AddPhotoResult> {
    if (cmd.bytes.length > MAX_PHOTO_BYTES) throw new PhotoRejected('too_large', `A photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB.`);
    const mediaType = sniffImageType(cmd.bytes);
    if (!mediaType) throw new PhotoRejected('unsupported_type', 'Send a JPEG, PNG or WebP image.');
    let bytes: Buffer;
    try {
      bytes = stripImageMetadata(cmd.bytes, mediaType);
    } catch (error) {
      if (error instanceof MalformedImage) throw new PhotoRejected('malformed', 'The image could not be read as a complete JPEG, PNG or WebP file.');
      throw error;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');

    return this.dataSource.transaction(async (m) => {
      const complaintId = await residentComplaintId(m, this.hasher, cmd.trackingNumber, cmd.accessCode);
      const complaint = complaintId ? await lockComplaint(m, complaintId) : null;
      if (!complaint) throw new PhotoRejected('not_found', 'No complaint matches that tracking number and access code.');
      if (CLOSED_STATUSES.has(complaint.status)) throw new PhotoRejected('closed', 'The complaint is closed; it takes no more photos.');

      const existing: { id: string; media_type: PhotoMediaType; size: number; sha256: string; created_at: Date }[] = await m.query(
        `SELECT id, media_type, size, sha256, created_at FROM attachment WHERE complaint_id = $1`,
        [complaint.id],
      );
      const same = existing.find((e) => e.sha256 === sha256);
      if (same) {
        return { existing: true, photo: { id: same.id, media_type: same.media_type, size: same.size, sha256, created_at: same.created_at.toISOString() } };
      }
      if (existing.length >= MAX_PHOTOS_PER_COMPLAINT) {
        throw new PhotoRejected('too_many', `A complaint has at most ${MAX_PHOTOS_PER_COMPLAINT} photos.`);
      }

      const id = randomUUID();
      const now = new Date();
      const [audit] = await sealOnto(
        m,
        [complaintAudit(complaint.id, {
          actor: { type: 'resident' },
          event: 'complaint.photo_added',
          data: { attachment_id: id, media_type: mediaType, size: bytes.length, sha256 },
          channel: 'web',
          requestId: cmd.requestId,
        })],
        now,
      );
      const s = new SqlStatement();
      // The photo is a change Open311 clients are told of: updated_at moves with it (see Open311Requests.updates).
      await m.query(
        `WITH audited AS (${insertAuditSql(s, [audit])}),
         touched AS (UPDATE complaint SET updated_at = ${s.param(now)} WHERE id = ${s.param(complaint.id)})
         INSERT INTO attachment (id, complaint_id, media_type, bytes, sha256, size, created_at)
         VALUES ${s.row([id, complaint.id, mediaType, bytes, sha256, bytes.length, now])}`,
        s.params,
      );
      return { existing: false, photo: { id, media_type: mediaType, size: bytes.length, sha256, created_at: now.toISOString() } };
    });
  }
}
