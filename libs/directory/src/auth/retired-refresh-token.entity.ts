import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OfficialSessionEntity } from './official-session.entity';

/**
 * A refresh token that has been rotated away, by its hash. Presenting one again means the token
 * was copied: past a few seconds' leeway it ends the session (OAuth 2.0 Security BCP, refresh
 * token rotation). Rows go with their session.
 */
@Entity('retired_refresh_token')
@Index('retired_refresh_token_session_idx', ['sessionId'])
export class RetiredRefreshTokenEntity {
  @PrimaryColumn({ name: 'refresh_hash', type: 'text' })
  refreshHash: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => OfficialSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: OfficialSessionEntity;

  @Column({ name: 'retired_at', type: 'timestamptz' })
  retiredAt: Date;
}
