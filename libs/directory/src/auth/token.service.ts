import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Principal } from '../access/principal';
import { OfficialsService } from '../officials/officials.service';

interface AccessClaims {
  sub: string;
  sid: string;
  typ: 'access';
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Short-lived signed access tokens (HS256) on top of a revocable session. A token names its
 * official and session; roles, unit, the active flag and the session are read fresh on every
 * request, so deactivation, logout and a password change take effect at once.
 */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly officials: OfficialsService,
    private readonly dataSource: DataSource,
  ) {
    this.jwt = new JwtService({
      secret: config.AUTH_TOKEN_SECRET,
      signOptions: { algorithm: 'HS256', expiresIn: config.AUTH_TOKEN_TTL_SECONDS, issuer: 'aduan' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'aduan' },
    });
  }

  get ttlSeconds(): number {
    return this.config.AUTH_TOKEN_TTL_SECONDS;
  }

  /** Opens a session and issues its first tokens. */
  async startSession(officialId: string, from: string | null): Promise<IssuedTokens> {
    const sessionId = randomUUID();
    const refreshToken = randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO official_session (id, official_id, refresh_hash, created_at, expires_at, created_from)
       VALUES ($1, $2, $3, now(), now() + make_interval(hours => $4), $5)`,
      [sessionId, officialId, hash(refreshToken), this.config.AUTH_SESSION_TTL_HOURS, from],
    );
    return { accessToken: this.sign(officialId, sessionId), refreshToken, expiresIn: this.ttlSeconds };
  }

  /** A new access token for a live session; the refresh token rotates, so each works once. */
  async refresh(refreshToken: string): Promise<IssuedTokens | null> {
    const next = randomBytes(32).toString('base64url');
    // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE, rows for a SELECT.
    const rows: { id: string; official_id: string }[] = await this.dataSource.query(
      `WITH rotated AS (
         UPDATE official_session s SET refresh_hash = $2
           FROM official o
          WHERE s.refresh_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND o.id = s.official_id AND o.active
          RETURNING s.id, s.official_id)
       SELECT id, official_id FROM rotated`,
      [hash(refreshToken), hash(next)],
    );
    const session = rows[0];
    return session ? { accessToken: this.sign(session.official_id, session.id), refreshToken: next, expiresIn: this.ttlSeconds } : null;
  }

  /** Ends one session (logout). */
  async revoke(sessionId: string): Promise<void> {
    await this.dataSource.query(`UPDATE official_session SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
  }

  /** Ends every session of an official (password change, deactivation). */
  async revokeAll(officialId: string): Promise<void> {
    await this.dataSource.query(`UPDATE official_session SET revoked_at = now() WHERE official_id = $1 AND revoked_at IS NULL`, [officialId]);
  }

  /** The principal behind a token, or null for a bad, expired or revoked one. */
  async authenticate(token: string): Promise<(Principal & { sessionId: string }) | null> {
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token);
    } catch {
      return null;
    }
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
    const principal = await this.officials.principal(claims.sub, claims.sid);
    return principal ? { ...principal, sessionId: claims.sid } : null;
  }

  private sign(officialId: string, sessionId: string): string {
    const claims: AccessClaims = { sub: officialId, sid: sessionId, typ: 'access' };
    return this.jwt.sign(claims);
  }
}
