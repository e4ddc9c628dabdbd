import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ComplaintEntity } from './complaint.entity';

export type MessageKind = 'question' | 'reply' | 'resolution' | 'rejection' | 'note' | 'feedback';

/** Words exchanged about a complaint: an officer's question, the resident's reply, a resolution. */
@Entity('complaint_message')
@Index('complaint_message_complaint_idx', ['complaintId', 'createdAt'])
export class ComplaintMessageEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'complaint_id', type: 'uuid' })
  complaintId: string;

  @ManyToOne(() => ComplaintEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'complaint_id' })
  complaint?: ComplaintEntity;

  @Column({ name: 'author_type', type: 'text' })
  authorType: 'resident' | 'official';

  @Column({ name: 'official_id', type: 'uuid', nullable: true })
  officialId: string | null;

  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId: string | null;

  @Column({ type: 'text' })
  kind: MessageKind;

  @Column({ type: 'text' })
  body: string;

  /** shown to the resident on the tracking page */
  @Column({ type: 'boolean' })
  public: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
