import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { Principal } from '../access/principal';
import { UnitEntity } from '../units/unit.entity';
import { OfficialEntity, Role } from './official.entity';

/** OWASP's argon2id baseline (19 MiB, 2 passes). */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface NewOfficial {
  username: string;
  name: string;
  password: string;
  unit: string;
  roles: Role[];
  /** for notices to the official's unit (new complaints, reminders, breaches) */
  email?: string | null;
}

/** Officials: creation, the bootstrap admin, and credential checks. */
@Injectable()
export class OfficialsService {
  /** Verifying against this when the user does not exist keeps login timing uniform. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** Creates an official in a unit. The caller must administer the unit's tenant. */
  async create(actor: Principal, input: NewOfficial): Promise<OfficialEntity> {
    const unit = await this.dataSource.getRepository(UnitEntity).findOneBy({ code: input.unit });
    if (!unit || !unit.active) throw new DomainError('invalid', 'The unit does not exist.', [{ field: 'unit', message: 'unknown unit' }]);
    if (!AccessPolicy.canAdminister(actor, unit.tenantCode)) {
      throw new DomainError('forbidden', 'You may only create officials in your own tenant.');
    }
    if (input.roles.includes('inspector') && unit.type !== 'inspektorat') {
      throw new DomainError('invalid', 'Inspectors belong to the Inspektorat.', [{ field: 'roles', message: 'inspector needs an inspektorat unit' }]);
    }
    const passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
    const rows: OfficialEntity[] = await this.dataSource.query(
      `INSERT INTO official (username, name, password_hash, tenant_code, unit_id, roles, email)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING
       RETURNING id, username, name, tenant_code AS "tenantCode", unit_id AS "unitId", roles, active, email`,
      [input.username.toLowerCase(), input.name, passwordHash, unit.tenantCode, unit.id, [...new Set(input.roles)], input.email ?? null],
    );
    if (rows.length === 0) {
      throw new DomainError('conflict', 'That username is taken.', [{ field: 'username', message: 'already exists' }]);
    }
    return rows[0];
  }

  /** Creates the bootstrap admin once; an existing account is left exactly as it is. */
  async ensureBootstrapAdmin(username: string, password: string): Promise<boolean> {
    const passwordHash = await argon2.hash(password, ARGON2_OPTIONS);
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO official (username, name, password_hash, tenant_code, unit_id, roles)
       VALUES ($1, 'Administrator', $2, NULL, NULL, ARRAY['admin']) ON CONFLICT (username) DO NOTHING RETURNING 1`,
      [username.toLowerCase(), passwordHash],
    );
    return rows.length === 1;
  }

  /** Sets a new password after checking the current one; the caller ends the official's sessions. */
  async changePassword(officialId: string, current: string, next: string): Promise<boolean> {
    const official = await this.dataSource.getRepository(OfficialEntity).findOneBy({ id: officialId });
    if (!official || !(await argon2.verify(official.passwordHash, current).catch(() => false))) return false;
    await this.dataSource.query(`UPDATE official SET password_hash = $2, updated_at = now() WHERE id = $1`, [officialId, await argon2.hash(next, ARGON2_OPTIONS)]);
    return true;
  }

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
      this.dummyHash ??= argon2.hash('not-a-real-password', ARGON2_OPTIONS);
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      return null;
    }
    const ok = await argon2.verify(official.passwordHash, password).catch(() => false);
    return ok && official.active ? official : null;
  }

  /** The principal for an official and one of their live sessions; null if either is gone, ended or deactivated. */
  async principal(officialId: string, sessionId: string): Promise<Principal | null> {
    const rows: (Principal & { active: boolean })[] = await this.dataSource.query(
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
