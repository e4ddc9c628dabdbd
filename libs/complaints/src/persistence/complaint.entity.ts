import { ApiKeyEntity, AreaEntity, CategoryEntity, TenantEntity, UnitEntity } from '@aduan/directory';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Accused } from '../domain/complaint';
import type { Tier } from '@aduan/directory';
import type { AccusedReview, ComplaintStatus } from '../domain/complaint-status';

/**
 * Row of a complaint, for the migrations: the statements on it are built from complaint-table.ts,
 * and complaint-table.spec.ts checks that the two agree.
 */
@Entity('complaint')
@Check('complaint_accused_review_check', `accused_review IN ('pending', 'confirmed', 'cleared')`)
@Check('complaint_erased_reporter_check', `reporter_erased_at IS NULL OR (reporter_ciphertext IS NULL AND reporter_key_id IS NULL)`)
/** An expression index with included columns, which TypeORM cannot state: see migrations 1795371000000 and 1795377100001. */
@Index('complaint_inbox_order_idx', { synchronize: false })
@Index('complaint_tenant_submitted_idx', ['tenantCode', 'submittedAt'])
@Index('complaint_running_clock_idx', ['id'], { where: `status IN ('routed', 'in_progress', 'awaiting_info', 'resolved')` })
@Index('complaint_accused_review_idx', ['tenantCode', 'accusedReview', 'submittedAt'], { where: 'accused_review IS NOT NULL' })
@Index('complaint_api_key_updated_idx', ['apiKeyId', 'updatedAt'], { where: 'api_key_id IS NOT NULL' })
@Index('complaint_public_updated_idx', ['tenantCode', 'updatedAt'], { where: 'NOT confidential' })
export class ComplaintEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'tracking_number', type: 'text', unique: true })
  trackingNumber: string;

  @Column({ name: 'access_code_hash', type: 'text' })
  accessCodeHash: string;

  @Column({ name: 'tenant_code', type: 'text' })
  tenantCode: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenant_code' })
  tenant?: TenantEntity;

  @Column({ name: 'category_code', type: 'text' })
  categoryCode: string;

  @ManyToOne(() => CategoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_code' })
  category?: CategoryEntity;

  @Column({ name: 'kelurahan_code', type: 'text' })
  kelurahanCode: string;

  @ManyToOne(() => AreaEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'kelurahan_code' })
  kelurahan?: AreaEntity;

  @Column({ name: 'kecamatan_code', type: 'text' })
  kecamatanCode: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'double precision', nullable: true })
  lat: number | null;

  @Column({ type: 'double precision', nullable: true })
  long: number | null;

  @Column({ type: 'boolean' })
  anonymous: boolean;

  @Column({ type: 'boolean' })
  confidential: boolean;

  /** AES-256-GCM ciphertext of the reporter's name, phone and email; see ReporterCipher */
  @Column({ name: 'reporter_ciphertext', type: 'text', nullable: true })
  reporterCiphertext: string | null;

  @Column({ name: 'reporter_key_id', type: 'text', nullable: true })
  reporterKeyId: string | null;

  /** when the reporter's identity was erased (the ciphertext is then null); see EraseReporterHandler */
  @Column({ name: 'reporter_erased_at', type: 'timestamptz', nullable: true })
  reporterErasedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  accused: Accused | null;

  /** the unit `accused.unit` names, resolved at intake (also in accused_unit_ids) */
  @Column({ name: 'accused_unit_id', type: 'uuid', nullable: true })
  accusedUnitId: string | null;

  /**
   * The possibly-accused units (derived at intake and from the resident's replies, triaged by the
   * Inspektorat): none of them, nor a unit their officials head, may see or receive the complaint.
   */
  @Column({ name: 'accused_unit_ids', type: 'uuid', array: true, default: () => "'{}'" })
  accusedUnitIds: string[];

  /** null: never about an official; then pending until an inspector confirms or clears the set */
  @Column({ name: 'accused_review', type: 'text', nullable: true })
  accusedReview: AccusedReview | null;

  @Column({ type: 'text' })
  status: ComplaintStatus;

  @Column({ type: 'text' })
  channel: string;

  /** the Open311 client that filed it; a read with that key sees it whatever its confidentiality */
  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @ManyToOne(() => ApiKeyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'complaint_api_key_fk' })
  apiKey?: ApiKeyEntity;

  @Column({ name: 'current_unit_id', type: 'uuid', nullable: true })
  currentUnitId: string | null;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'current_unit_id' })
  currentUnit?: UnitEntity;

  @Column({ name: 'current_tier', type: 'text', nullable: true })
  currentTier: Tier | null;

  /** when the current unit received it: its open assignment's `assigned_at`, copied for the inbox's index */
  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt: Date | null;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt: Date;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  /** `due_at` was counted over a year without an official holiday table */
  @Column({ name: 'due_provisional', type: 'boolean', default: false })
  dueProvisional: boolean;

  /** the resolution deadline, set when the handling unit acknowledges */
  @Column({ name: 'resolution_due_at', type: 'timestamptz', nullable: true })
  resolutionDueAt: Date | null;

  /** the resolution deadline is `resolution_working_days` hari kerja from this, plus `resolution_paused_ms` */
  @Column({ name: 'resolution_from', type: 'timestamptz', nullable: true })
  resolutionFrom: Date | null;

  /** null for a wall-clock duration (drills) */
  @Column({ name: 'resolution_working_days', type: 'smallint', nullable: true })
  resolutionWorkingDays: number | null;

  /** time spent waiting for the resident, added to the resolution deadline */
  @Column({ name: 'resolution_paused_ms', type: 'bigint', default: 0 })
  resolutionPausedMs: string;

  /** set while awaiting the resident's answer: the clocks stand still */
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** when a resolution the resident leaves unanswered closes by itself */
  @Column({ name: 'auto_close_at', type: 'timestamptz', nullable: true })
  autoCloseAt: Date | null;

  @Column({ name: 'auto_close_working_days', type: 'smallint', nullable: true })
  autoCloseWorkingDays: number | null;

  @Column({ name: 'auto_close_provisional', type: 'boolean', default: false })
  autoCloseProvisional: boolean;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'integer', default: 1 })
  version: number;
}
