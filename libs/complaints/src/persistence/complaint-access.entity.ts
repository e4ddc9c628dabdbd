import { UnitEntity } from '@aduan/directory';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ComplaintEntity } from './complaint.entity';

/** Read-only access kept by a unit the complaint has left (it escalated or passed it on). */
@Entity('complaint_access')
export class ComplaintAccessEntity {
  @PrimaryColumn({ name: 'complaint_id', type: 'uuid' })
  complaintId: string;

  @ManyToOne(() => ComplaintEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'complaint_id' })
  complaint?: ComplaintEntity;

  @PrimaryColumn({ name: 'unit_id', type: 'uuid' })
  unitId: string;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id' })
  unit?: UnitEntity;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'granted_at', type: 'timestamptz' })
  grantedAt: Date;
}
