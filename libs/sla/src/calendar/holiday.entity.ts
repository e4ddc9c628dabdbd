import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { HolidayTableEntity } from './holiday-table.entity';

/** libur nasional and cuti bersama make up the national (SKB) table; `lokal` a tenant's own. */
export type HolidayKind = 'libur_nasional' | 'cuti_bersama' | 'lokal';
export const NATIONAL_KINDS = ['libur_nasional', 'cuti_bersama'] as const;
export const LOCAL_KINDS = ['lokal'] as const;

/** One day off in one table: the national one (`scope` = 'national') or a tenant's local one (its code). */
@Entity('holiday')
@Check('holiday_year_check', `year = EXTRACT(year FROM date)`)
@Check('holiday_kind_check', `(scope = 'national' AND kind IN ('libur_nasional', 'cuti_bersama')) OR (scope <> 'national' AND kind = 'lokal')`)
export class HolidayEntity {
  @PrimaryColumn({ type: 'text', default: 'national' })
  scope: string;

  @PrimaryColumn({ type: 'date' })
  date: string;

  /** the table's year (the year of `date`, checked) */
  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'text' })
  kind: HolidayKind;

  @Column({ type: 'text' })
  name: string;

  @ManyToOne(() => HolidayTableEntity, { onDelete: 'CASCADE' })
  @JoinColumn([{ name: 'scope', referencedColumnName: 'scope' }, { name: 'year', referencedColumnName: 'year' }])
  table?: HolidayTableEntity;
}
