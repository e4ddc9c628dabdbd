import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A job waiting to be published to BullMQ; written in the same transaction as the change that
 * causes it. Two partial indexes serve the relay: jobs due at once, in order of writing, and
 * timers, in order of when they fall due (most sit unpublished for days; see OutboxRelay). A third
 * serves the reconciler: published rows by when they were published, so a pass reads only the
 * rows since its watermark (see OutboxReconciler).
 */
@Entity('outbox_message')
@Index('outbox_message_unpublished_idx', ['createdAt'], { where: 'published_at IS NULL AND deliver_at IS NULL' })
@Index('outbox_message_unpublished_timer_idx', ['deliverAt'], { where: 'published_at IS NULL AND deliver_at IS NOT NULL' })
@Index('outbox_message_published_idx', ['publishedAt'], { where: 'published_at IS NOT NULL' })
export class OutboxMessageEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** BullMQ job id when it must be deterministic (timers); the outbox id otherwise */
  @Column({ name: 'job_id', type: 'text', nullable: true })
  jobId: string | null;

  /** when the job becomes due (a BullMQ delayed job); null: at once */
  @Column({ name: 'deliver_at', type: 'timestamptz', nullable: true })
  deliverAt: Date | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
