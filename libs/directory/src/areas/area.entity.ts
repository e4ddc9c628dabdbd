import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TenantEntity } from './tenant.entity';

export type AreaLevel = 'kota' | 'kabupaten' | 'kecamatan' | 'kelurahan' | 'desa';

/** A wilayah, coded as in Kepmendagri (`36.73`, `36.73.01`, `36.73.01.1001`). */
@Entity('area')
@Index('area_parent_idx', ['parentCode'])
export class AreaEntity {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ name: 'parent_code', type: 'text', nullable: true })
  parentCode: string | null;

  @Column({ type: 'text' })
  level: AreaLevel;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'tenant_code', type: 'text' })
  tenantCode: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenant_code' })
  tenant?: TenantEntity;
}
