import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TenantEntity } from '../areas/tenant.entity';

export type UnitType = 'kelurahan' | 'kecamatan' | 'opd' | 'inspektorat';

/** An office that handles complaints. `code` is stable and readable: `KEL.36.73.01.1001`, `OPD.36.73.PUPR`. */
@Entity('unit')
@Index('unit_tenant_idx', ['tenantCode', 'type'])
@Index('unit_area_idx', ['areaCode'])
export class UnitEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ name: 'tenant_code', type: 'text' })
  tenantCode: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenant_code' })
  tenant?: TenantEntity;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  type: UnitType;

  /** the wilayah an area office serves; null for OPDs and the Inspektorat */
  @Column({ name: 'area_code', type: 'text', nullable: true })
  areaCode: string | null;

  /** the unit above on the escalation ladder (kelurahan office → kecamatan office) */
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent?: UnitEntity;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}

/** Unit codes are derived, so seeding is idempotent and clients can name units readably. */
export const unitCode = {
  kelurahan: (areaCode: string) => `KEL.${areaCode}`,
  kecamatan: (areaCode: string) => `KEC.${areaCode}`,
  opd: (tenantCode: string, key: string) => `OPD.${tenantCode}.${key}`,
  inspektorat: (tenantCode: string) => `INSP.${tenantCode}`,
};
