import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OfficialEntity } from '../officials/official.entity';

/**
 * A signed-in official's session. Access tokens are short-lived and name their session; every
 * request checks the session, so logout and a password change end it at once. The refresh token
 * is stored only as a hash and rotates on every use; the tokens it replaced are kept (hashed) in
 * `retired_refresh_token`, so that one coming back is recognised as reuse.
 */
@Entity('official_session')
@Index('official_session_official_idx', ['officialId'])
export class OfficialSessionEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'official_id', type: 'uuid' })
  officialId: string;

  @ManyToOne(() => OfficialEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'official_id' })
  official?: OfficialEntity;

  @Column({ name: 'refresh_hash', type: 'text', unique: true })
  refreshHash: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** why the session ended early (SessionEndReason); null while it lives or once it simply expired */
  @Column({ name: 'revoked_reason', type: 'text', nullable: true })
  revokedReason: string | null;

  @Column({ name: 'created_from', type: 'text', nullable: true })
  createdFrom: string | null;
}
