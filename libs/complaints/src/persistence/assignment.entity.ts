import { UnitEntity } from '@aduan/directory';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Tier } from '@aduan/directory';
import { ComplaintEntity } from './complaint.entity';

/** One stay of a complaint in a unit's inbox; `ended_at` is set when it leaves. */
@Entity('assignment')
@Index('assignment_complaint_idx', ['complaintId', 'assignedAt'])
@Index('assignment_routing_key', ['complaintId', 'routingId'], { unique: true })
@Index('assignment_handed_on_idx', { synchronize: false })
@Index('assignment_unit_assigned_idx', ['unitId', 'assignedAt'])
@Index('assignment_open_due_idx', ['firstResponseDueAt'], { where: 'ended_at IS NULL AND responded_at IS NULL' })
export class AssignmentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'complaint_id', type: 'uuid' })
  complaintId: string;

  @ManyToOne(() => ComplaintEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'complaint_id' })
  complaint?: ComplaintEntity;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId: string;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id' })
  unit?: UnitEntity;

  @Column({ type: 'text' })
  tier: Tier;

  /** the routing decision that caused this assignment; unique per complaint so a replay cannot double it */
  @Column({ name: 'routing_id', type: 'uuid' })
  routingId: string;

  @Column({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt: Date;

  @Column({ name: 'first_response_due_at', type: 'timestamptz' })
  firstResponseDueAt: Date;

  /** the deadline is so many hari kerja from `assigned_at`; null for a wall-clock duration (drills) */
  @Column({ name: 'first_response_working_days', type: 'smallint', nullable: true })
  firstResponseWorkingDays: number | null;

  /** counted over a year without an official holiday table: it may still move */
  @Column({ name: 'first_response_provisional', type: 'boolean', default: false })
  firstResponseProvisional: boolean;

  /** first response given (acknowledged, asked the resident, or passed on) */
  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;

  /** the unit that passed the complaint here by disposisi or escalation; null when routing did */
  @Column({ name: 'from_unit_id', type: 'uuid', nullable: true })
  fromUnitId: string | null;

  /** how the complaint reached this unit: routed, forwarded, returned, escalated */
  @Column({ type: 'text', default: 'routed' })
  via: string;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** why it left: forwarded, returned, escalated, resolved, rejected */
  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: string | null;
}
