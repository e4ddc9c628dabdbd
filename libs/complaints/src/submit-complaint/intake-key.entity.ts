import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ComplaintEntity } from '../persistence/complaint.entity';

/**
 * One idempotency key of intake (an `Idempotency-Key` header, an Open311 `fixmystreet_id`).
 * Written in the same statement as the complaint it names; the primary key is what makes a
 * concurrent duplicate fail instead of filing twice.
 */
@Entity('intake_key')
export class IntakeKeyEntity {
  /** whose key it is: `idempotency-key` for the JSON API, `fixmystreet:<api key id>` for Open311 */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'intake_key_pkey' })
  scope: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'intake_key_pkey' })
  key: string;

  /** SHA-256 of the canonical request: a reuse with another body is refused */
  @Column({ name: 'body_sha256', type: 'text' })
  bodySha256: string;

  @Column({ name: 'complaint_id', type: 'uuid' })
  complaintId: string;

  @ManyToOne(() => ComplaintEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'complaint_id' })
  complaint?: ComplaintEntity;

  /** the first answer, access code included, AES-256-GCM sealed; see IntakeResponseCipher */
  @Column({ name: 'response_ciphertext', type: 'text' })
  responseCiphertext: string;

  @Column({ name: 'response_key_id', type: 'text' })
  responseKeyId: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
