import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Principal } from '../access/principal';
import { OfficialsService } from '../officials/officials.service';

interface AccessClaims {
  sub: string;
  typ: 'access';
}

/**
 * Signed (HS256), expiring access tokens. A token names only the official; roles, unit and the
 * active flag are read fresh on every request, so deactivation takes effect at once.
 */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly officials: OfficialsService) {
    this.jwt = new JwtService({
      secret: config.AUTH_TOKEN_SECRET,
      signOptions: { algorithm: 'HS256', expiresIn: config.AUTH_TOKEN_TTL_SECONDS, issuer: 'aduan' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'aduan' },
    });
  }

  get ttlSeconds(): number {
    return this.config.AUTH_TOKEN_TTL_SECONDS;
  }

  issue(officialId: string): string {
    const claims: AccessClaims = { sub: officialId, typ: 'access' };
    return this.jwt.sign(claims);
  }

  /** The principal behind a token, or null for a bad, expired or revoked one. */
  async authenticate(token: string): Promise<Principal | null> {
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token);
    } catch {
      return null;
    }
    if (claims.typ !== 'access' || typeof claims.sub !== 'string') return null;
    return this.officials.principal(claims.sub);
  }
}
