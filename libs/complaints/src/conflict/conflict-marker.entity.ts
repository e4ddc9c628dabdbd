import { TenantEntity } from '@aduan/directory';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A phrase that reports an official demanding money, per tenant (see domain/markers.ts). Owned by
 * the tenant's Inspektorat; never deleted: a removed marker keeps its row with `removed_at`, so
 * reseeding does not bring it back, and every change is in the `markers:<tenant>` audit chain.
 */
@Entity('conflict_marker')
@Index('conflict_marker_phrase_key', ['tenantCode', 'phrase'], { unique: true })
export class ConflictMarkerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_code', type: 'text' })
  tenantCode: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenant_code' })
  tenant?: TenantEntity;

  /** normalised (domain/phrase-match.ts), `*` for up to two words */
  @Column({ type: 'text' })
  phrase: string;

  /** `default` (seeded) or `inspektorat` (added by an inspector) */
  @Column({ type: 'text' })
  source: 'default' | 'inspektorat';

  @Column({ name: 'added_by', type: 'uuid', nullable: true })
  addedBy: string | null;

  @Column({ name: 'added_at', type: 'timestamptz' })
  addedAt: Date;

  @Column({ name: 'removed_by', type: 'uuid', nullable: true })
  removedBy: string | null;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt: Date | null;
}
