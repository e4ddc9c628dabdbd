import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ComplaintEntity } from '../persistence/complaint.entity';
import type { PhotoMediaType } from './image-metadata';

/**
 * A resident's photo of a complaint, stored in PostgreSQL (the only system of record) after its
 * metadata was stripped. Small by rule: at most MAX_PHOTOS_PER_COMPLAINT of MAX_PHOTO_BYTES each.
 */
@Entity('attachment')
@Index('attachment_complaint_idx', ['complaintId', 'createdAt'])
@Index('attachment_complaint_sha256_key', ['complaintId', 'sha256'], { unique: true })
@Check('attachment_media_type_check', `media_type IN ('image/jpeg', 'image/png', 'image/webp')`)
@Check('attachment_size_check', `size = octet_length(bytes)`)
export class AttachmentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'complaint_id', type: 'uuid' })
  complaintId: string;

  @ManyToOne(() => ComplaintEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'complaint_id' })
  complaint?: ComplaintEntity;

  /** from the magic bytes, never from the client's name or Content-Type */
  @Column({ name: 'media_type', type: 'text' })
  mediaType: PhotoMediaType;

  /** the image as stored: metadata already stripped */
  @Column({ type: 'bytea' })
  bytes: Buffer;

  /** hex SHA-256 of `bytes`; unique per complaint, so a retried upload is not stored twice */
  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
