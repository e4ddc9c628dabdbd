import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A year's official table of one scope: the national table (the SKB's libur nasional and cuti
 * bersama, `scope` = 'national') or a tenant's local holidays (`scope` = its code). A year
 * without a national row has no official table: its deadlines are counted on a fallback list and
 * marked provisional.
 */
@Entity('holiday_table')
@Check('holiday_table_scope_check', `scope = 'national' OR scope ~ '^[0-9]{2}\\.[0-9]{2}$'`)
export class HolidayTableEntity {
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @PrimaryColumn({ type: 'int' })
  year: number;

  /** the decree it follows, e.g. the SKB's number */
  @Column({ type: 'text', nullable: true })
  source: string | null;

  /** 1 when first loaded, one more for every change */
  @Column({ type: 'int' })
  revision: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  /** the official who loaded or last changed it; null for the shipped tables */
  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;
}
