import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
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

/** Why a session ended before its time, as `official_session.revoked_reason` records it. */
export type SessionEndReason = 'logout' | 'password_changed' | 'password_reset' | 'deactivated' | 'erased' | 'refresh_token_reused';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
/** Verified access tokens kept (their claims); at most this many, the oldest dropped first. */
const VERIFIED_TOKENS_KEPT = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Short-lived signed access tokens (HS256) on top of a revocable session. A token names its
 * official and session; roles, unit, the active flag and the session are read fresh on every
 * request, so deactivation, logout and a password change take effect at once.
 *
 * Refresh tokens rotate on every use, and a rotated one presented again ends the whole session
 * (OAuth 2.0 Security BCP): one of the two holders is a thief. The exception is a reuse within
 * `AUTH_REFRESH_REUSE_LEEWAY_SECONDS` while its successor is still the live token — two console
 * tabs refreshing together — which gets that same successor. Successors are derived from the token
 * they replace with a keyed hash, so the same one can be handed out again without being stored.
 */
@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);
  private readonly jwt: JwtService;
  private readonly successorKey: Buffer;
  /**
   * Token → its verified claims, so a token's signature is checked once, not on every request
   * (HS256 verification was a tenth of the api's CPU for an inbox page). Only what verified is
   * kept, each until its `exp`; the session and the account are still read on every request.
   */
  private readonly verified = new Map<string, AccessClaims & { exp: number }>();

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
    this.successorKey = createHmac('sha256', config.AUTH_TOKEN_SECRET).update('aduan refresh-token successor').digest();
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
    const presented = hash(refreshToken);
    const successor = this.successorOf(refreshToken);
    // Wrapped in a SELECT: TypeORM returns [rows, count] for a bare UPDATE, rows for a SELECT.
    // Two refreshes with one token serialise on the session's row: the second finds it rotated.
    const rows: { id: string; official_id: string }[] = await this.dataSource.query(
      `WITH rotated AS (
         UPDATE official_session s SET refresh_hash = $2
           FROM official o
          WHERE s.refresh_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND o.id = s.official_id AND o.active
          RETURNING s.id, s.official_id),
       retired AS (INSERT INTO retired_refresh_token (refresh_hash, session_id, retired_at) SELECT $1, id, now() FROM rotated)
       SELECT id, official_id FROM rotated`,
      [presented, hash(successor)],
    );
    const session = rows[0];
    if (session) return { accessToken: this.sign(session.official_id, session.id), refreshToken: successor, expiresIn: this.ttlSeconds };
    return this.reuse(presented, successor);
  }

  /** A token that is not the live one: a retired one gets the leeway or ends its session; any other is refused. */
  private async reuse(presented: string, successor: string): Promise<IssuedTokens | null> {
    const rows: { session_id: string; official_id: string; twin: boolean }[] = await this.dataSource.query(
      `SELECT r.session_id, s.official_id,
              (r.retired_at > now() - make_interval(secs => $3) AND s.refresh_hash = $2
               AND s.revoked_at IS NULL AND s.expires_at > now() AND o.active) AS twin
         FROM retired_refresh_token r
         JOIN official_session s ON s.id = r.session_id
         JOIN official o ON o.id = s.official_id
        WHERE r.refresh_hash = $1`,
      [presented, hash(successor), this.config.AUTH_REFRESH_REUSE_LEEWAY_SECONDS],
    );
    const retired = rows[0];
    if (!retired) return null;
    if (retired.twin) return { accessToken: this.sign(retired.official_id, retired.session_id), refreshToken: successor, expiresIn: this.ttlSeconds };
    if (await this.revoke(retired.session_id, 'refresh_token_reused')) {
      this.logger.warn(`session ${retired.session_id} ended: a rotated refresh token was presented again`);
    }
    return null;
  }

  /** Ends one session; false if it had already ended. */
  async revoke(sessionId: string, reason: SessionEndReason = 'logout'): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH ended AS (UPDATE official_session SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING 1) SELECT * FROM ended`,
      [sessionId, reason],
    );
    return rows.length > 0;
  }

  /** Ends every live session of an official, in the caller's transaction if given; how many ended. */
  async revokeAll(officialId: string, reason: SessionEndReason, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const rows: unknown[] = await manager.query(
      `WITH ended AS (
         UPDATE official_session SET revoked_at = now(), revoked_reason = $2
          WHERE official_id = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING 1)
       SELECT * FROM ended`,
      [officialId, reason],
    );
    return rows.length;
  }

  /** The principal behind a token, or null for a bad, expired or revoked one. */
  async authenticate(token: string): Promise<(Principal & { sessionId: string }) | null> {
    const claims = this.verifiedClaims(token);
    if (!claims) return null;
    // A signed token is still input: ids that are not UUIDs would reach PostgreSQL's uuid type and fail there.
    if (claims.typ !== 'access' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !UUID.test(claims.sub) || !UUID.test(claims.sid)) return null;
    const principal = await this.officials.principal(claims.sub, claims.sid);
    return principal ? { ...principal, sessionId: claims.sid } : null;
  }

  /** The claims of a token signed here and not yet expired; null otherwise. */
  private verifiedClaims(token: string): AccessClaims | null {
    const known = this.verified.get(token);
    if (known) {
      if (known.exp * 1000 > Date.now()) return known;
      this.verified.delete(token);
    }
    let claims: AccessClaims & { exp: number };
    try {
      claims = this.jwt.verify<AccessClaims & { exp: number }>(token);
    } catch {
      return null;
    }
    if (typeof claims.exp !== 'number') return null;
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }

  private sign(officialId: string, sessionId: string): string {
    const claims: AccessClaims = { sub: officialId, sid: sessionId, typ: 'access' };
    return this.jwt.sign(claims);
  }

  private successorOf(refreshToken: string): string {
    return createHmac('sha256', this.successorKey).update(refreshToken).digest('base64url');
  }
}
