import { CategoryEntity, TenantEntity } from '@aduan/directory';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** A clock: so many hari kerja, or (for drills and tests) a wall-clock ISO 8601 duration. */
export type ClockSetting = { working_days: number } | { duration: string };

/** Deadlines of one category in one tenant; absent rows fall back to the defaults. */
@Entity('sla_policy')
export class SlaPolicyEntity {
  @PrimaryColumn({ name: 'tenant_code', type: 'text' })
  tenantCode: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenant_code' })
  tenant?: TenantEntity;

  @PrimaryColumn({ name: 'category_code', type: 'text' })
  categoryCode: string;

  @ManyToOne(() => CategoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_code' })
  category?: CategoryEntity;

  @Column({ name: 'first_response', type: 'jsonb' })
  firstResponse: ClockSetting;

  @Column({ type: 'jsonb' })
  resolution: ClockSetting;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
