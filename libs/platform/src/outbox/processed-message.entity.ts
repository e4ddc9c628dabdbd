import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The record that makes a consumer idempotent: written in the same transaction as its effect. */
@Entity('processed_message')
export class ProcessedMessageEntity {
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  @PrimaryColumn({ name: 'message_id', type: 'text' })
  messageId: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}
