import { CategoryEntity, TenantEntity, Tier, UnitEntity } from '@aduan/directory';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** Who handles a category in a tenant: the first tier and, for `opd`, which OPD. Data, not code. */
@Entity('routing_rule')
export class RoutingRuleEntity {
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

  @Column({ type: 'text' })
  tier: Tier;

  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId: string | null;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id' })
  unit?: UnitEntity;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
