import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from '../areas/tenant.entity';
import { UnitEntity } from '../units/unit.entity';

export const ROLES = ['handler', 'inspector', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A person who works in a unit (ASN). The bootstrap admin has no tenant and no unit. */
@Entity('official')
export class OfficialEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** stored lower-case */
  @Column({ type: 'text', unique: true })
  username: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ name: 'tenant_code', type: 'text', nullable: true })
  tenantCode: string | null;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenant_code' })
  tenant?: TenantEntity;

  @Column({ name: 'unit_id', type: 'uuid', nullable: true })
  unitId: string | null;

  @ManyToOne(() => UnitEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'unit_id' })
  unit?: UnitEntity;

  @Column({ type: 'text', array: true })
  roles: Role[];

  /** where notices for the official's unit are mailed; none, none mailed */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
