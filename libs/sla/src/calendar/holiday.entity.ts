import { Column, Entity, PrimaryColumn } from 'typeorm';

export type HolidayKind = 'libur_nasional' | 'cuti_bersama';

/** A national holiday or cuti bersama; the official table per year, editable by an admin. */
@Entity('holiday')
export class HolidayEntity {
  @PrimaryColumn({ type: 'date' })
  date: string;

  @PrimaryColumn({ type: 'text' })
  kind: HolidayKind;

  @Column({ type: 'text' })
  name: string;
}
