import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TenantEntity } from '../areas/tenant.entity';
import { OfficialEntity } from '../officials/official.entity';

/**
 * A key issued to an Open311 client. Only the SHA-256 of the key is stored: keys are 190 bits of
 * randomness, so a fast hash is enough and a database leak yields no usable key.
 */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** hex SHA-256 of the whole key, prefix included */
  @Column({ name: 'key_hash', type: 'text', unique: true })
  keyHash: string;

  /** the only tenant the key may file into; null: every tenant */
  @Column({ name: 'tenant_code', type: 'text', nullable: true })
  tenantCode: string | null;

  @ManyToOne(() => TenantEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tenant_code' })
  tenant?: TenantEntity;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => OfficialEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by' })
  creator?: OfficialEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
