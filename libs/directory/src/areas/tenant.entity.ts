import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Pemda (kota or kabupaten government) that runs Aduan. */
@Entity('tenant')
export class TenantEntity {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: 'kota' | 'kabupaten';

  @Column({ type: 'text' })
  timezone: string;

  @Column({ name: 'jurisdiction_id', type: 'text', unique: true })
  jurisdictionId: string;
}
