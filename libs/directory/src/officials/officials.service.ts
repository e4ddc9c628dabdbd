import { Injectable } from '@nestjs/common';
import { preparedQuery } from '@aduan/platform';
import { DataSource } from 'typeorm';
import { Principal } from '../access/principal';
import { OfficialEntity, Role } from './official.entity';
import { hashPassword, verifyPassword } from './passwords';

/** Officials' credentials: sign-in checks and the principal behind a session. Changes to accounts: OfficialAccounts. */
@Injectable()
export class OfficialsService {
  /** Verifying against this when the user does not exist keeps login timing uniform. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** A read of an official for the login response. */
  async describe(officialId: string): Promise<{ username: string; name: string; roles: Role[]; unitCode: string | null } | null> {
    const rows: { username: string; name: string; roles: Role[]; unitCode: string | null }[] = await this.dataSource.query(
      `SELECT o.username, o.name, o.roles, u.code AS "unitCode" FROM official o LEFT JOIN unit u ON u.id = o.unit_id WHERE o.id = $1`,
      [officialId],
    );
    return rows[0] ?? null;
  }

  /** The official if the credentials are right and the account is active; null otherwise. */
  async verifyCredentials(username: string, password: string): Promise<OfficialEntity | null> {
    const official = await this.dataSource.getRepository(OfficialEntity).findOneBy({ username: username.toLowerCase() });
    if (!official) {
      this.dummyHash ??= hashPassword('not-a-real-password');
      await verifyPassword(await this.dummyHash, password);
      return null;
    }
    const ok = await verifyPassword(official.passwordHash, password);
    return ok && official.active ? official : null;
  }

  /** The principal for an official and one of their live sessions; null if either is gone, ended or deactivated. */
  async principal(officialId: string, sessionId: string): Promise<Principal | null> {
    // Prepared: every authenticated request asks it.
    const rows = await preparedQuery<Principal & { active: boolean }>(
      this.dataSource,
      'official-principal',
      `SELECT o.id AS "officialId", o.username, o.name, o.roles, o.tenant_code AS "tenantCode",
              o.unit_id AS "unitId", u.code AS "unitCode", o.active
         FROM official o
         JOIN official_session s ON s.id = $2 AND s.official_id = o.id AND s.revoked_at IS NULL AND s.expires_at > now()
         LEFT JOIN unit u ON u.id = o.unit_id
        WHERE o.id = $1`,
      [officialId, sessionId],
    );
    const row = rows[0];
    if (!row || !row.active) return null;
    const { active: _active, ...principal } = row;
    return principal;
  }
}
