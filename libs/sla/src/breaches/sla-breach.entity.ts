import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type BreachKind = 'first_response' | 'resolution';

/** A deadline that passed, with who held the complaint: the Inspektorat's raw material. */
@Entity('sla_breach')
@Index('sla_breach_once_key', ['complaintId', 'kind', 'dueAt'], { unique: true })
@Index('sla_breach_tenant_idx', ['tenantCode', 'breachedAt'])
export class SlaBreachEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'complaint_id', type: 'uuid' })
  complaintId: string;

  @Column({ name: 'assignment_id', type: 'uuid', nullable: true })
  assignmentId: string | null;

  @Column({ name: 'unit_id', type: 'uuid' })
  unitId: string;

  @Column({ name: 'tenant_code', type: 'text' })
  tenantCode: string;

  @Column({ type: 'text' })
  kind: BreachKind;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ name: 'breached_at', type: 'timestamptz' })
  breachedAt: Date;

  /** the unit it escalated to, if any */
  @Column({ name: 'escalated_to_unit_id', type: 'uuid', nullable: true })
  escalatedToUnitId: string | null;
}
