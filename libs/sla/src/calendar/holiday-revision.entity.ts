import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type RearmStatus = 'pending' | 'done';

/**
 * One change of one holiday table (loaded, revised or withdrawn), with the dates before and after
 * and the progress of the re-arm it started: every running deadline of the scope is counted again
 * in batches, `rearm_cursor` being the last complaint done. `seq` orders every change: a process
 * whose calendar is older than the highest `seq` reloads it.
 */
@Entity('holiday_revision')
@Index('holiday_revision_table_idx', ['scope', 'year', 'createdAt'])
export class HolidayRevisionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', unique: true })
  seq: string;

  @Column({ type: 'text' })
  scope: string;

  @Column({ type: 'int' })
  year: number;

  /** the table's revision after the change (the last one, for a withdrawal) */
  @Column({ type: 'int' })
  revision: number;

  /** replaced (loaded or changed) or withdrawn */
  @Column({ type: 'text' })
  action: 'replaced' | 'withdrawn';

  /** null: there was no official table (national: the fallback list was in force) */
  @Column({ name: 'before_dates', type: 'date', array: true, nullable: true })
  beforeDates: string[] | null;

  @Column({ name: 'after_dates', type: 'date', array: true, nullable: true })
  afterDates: string[] | null;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: string;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'rearm_status', type: 'text', default: 'pending' })
  rearmStatus: RearmStatus;

  @Column({ name: 'rearm_cursor', type: 'uuid', nullable: true })
  rearmCursor: string | null;

  /** running deadlines counted again so far, and how many of them moved */
  @Column({ name: 'rearm_checked', type: 'int', default: 0 })
  rearmChecked: number;

  @Column({ name: 'rearm_moved', type: 'int', default: 0 })
  rearmMoved: number;

  @Column({ name: 'rearm_finished_at', type: 'timestamptz', nullable: true })
  rearmFinishedAt: Date | null;
}
