import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type Audience = 'resident' | 'unit' | 'inspektorat';
export type NotificationStatus = 'pending' | 'rendered' | 'sent' | 'failed';

/**
 * A message someone must receive about a complaint, written in the same transaction as the
 * change it announces; the `notification` queue renders it and hands it to a channel.
 */
@Entity('notification')
@Index('notification_complaint_idx', ['complaintId', 'createdAt'])
export class NotificationEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'complaint_id', type: 'uuid', nullable: true })
  complaintId: string | null;

  @Column({ type: 'text' })
  audience: Audience;

  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId: string | null;

  @Column({ type: 'text' })
  template: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ type: 'text' })
  status: NotificationStatus;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
