import { DomainError } from '@aduan/platform';
import { Injectable } from '@nestjs/common';
import { createHash, randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../access/access-policy';
import { hasRole, Principal } from '../access/principal';
import { DirectoryAuditTrail, directoryStream } from '../audit/directory-audit-trail';
import { ApiKeyEntity } from './api-key.entity';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_PREFIX = 'adn_';
const KEY_PATTERN = /^adn_[0-9A-Za-z]{32}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key as it is handed out: the only moment the plain key exists outside the client. */
export interface IssuedApiKey {
  id: string;
  name: string;
  tenantCode: string | null;
  apiKey: string;
}

/** A key as administrators list it: never the key itself. */
export interface ApiKeySummary {
  id: string;
  name: string;
  tenant: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** The client behind a valid, unrevoked key. */
export interface VerifiedApiKey {
  id: string;
  name: string;
  /** the only tenant the client may file into; null: any */
  tenantCode: string | null;
}

/** `adn_` and 32 base62 characters (190 bits), drawn without modulo bias. */
export function newApiKey(): string {
  let out = KEY_PREFIX;
  for (let i = 0; i < 32; i += 1) out += BASE62[randomInt(BASE62.length)];
  return out;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * API keys for Open311 clients: issue (shown once), list, revoke, verify. Issuing and revoking are
 * audited on the `api-keys:<tenant>` chain (`api-keys:platform` for keys valid in every tenant);
 * no entry holds a key or its hash.
 */
@Injectable()
export class ApiKeysService {
  constructor(private readonly dataSource: DataSource, private readonly audit: DirectoryAuditTrail) {}

  /**
   * Issues a key. A tenant's admin issues keys for that tenant only; the bootstrap admin may
   * name a tenant or leave the key valid for every tenant.
   */
  async issue(actor: Principal, input: { name: string; tenant?: string }, requestId: string | null): Promise<IssuedApiKey> {
    if (!hasRole(actor, 'admin')) throw new DomainError('forbidden', 'Only administrators issue API keys.');
    const tenantCode = input.tenant ?? actor.tenantCode;
    if (tenantCode !== null) {
      const known: unknown[] = await this.dataSource.query(`SELECT 1 FROM tenant WHERE code = $1`, [tenantCode]);
      if (known.length === 0) throw new DomainError('invalid', 'The tenant does not exist.', [{ field: 'tenant', message: 'unknown tenant' }]);
      if (!AccessPolicy.canAdminister(actor, tenantCode)) throw new DomainError('forbidden', 'You may only issue keys for your own tenant.');
    }
    const apiKey = newApiKey();
    const id = await this.dataSource.transaction(async (m) => {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO api_key (name, key_hash, tenant_code, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
        [input.name, hashApiKey(apiKey), tenantCode, actor.officialId],
      );
      await this.audit.append(m, [
        {
          stream: directoryStream.apiKeys(tenantCode),
          actor: { type: 'official', id: actor.officialId },
          event: 'api_keys.issued',
          data: { api_key_id: rows[0].id, name: input.name, tenant: tenantCode },
          channel: 'api',
          requestId,
        },
      ]);
      return rows[0].id;
    });
    return { id, name: input.name, tenantCode, apiKey };
  }

  /** The keys the actor administers, newest first. */
  async list(actor: Principal): Promise<ApiKeySummary[]> {
    if (!hasRole(actor, 'admin')) throw new DomainError('forbidden', 'Only administrators list API keys.');
    const keys = await this.dataSource.getRepository(ApiKeyEntity).find({
      where: actor.tenantCode === null ? {} : { tenantCode: actor.tenantCode },
      order: { createdAt: 'DESC' },
    });
    return keys.map((k) => ({
      id: k.id,
      name: k.name,
      tenant: k.tenantCode,
      created_at: k.createdAt.toISOString(),
      revoked_at: k.revokedAt?.toISOString() ?? null,
    }));
  }

  /** Revokes a key at once; revoking a revoked key changes nothing. Unknown or not the actor's: not_found. */
  async revoke(actor: Principal, id: string, requestId: string | null): Promise<void> {
    if (!hasRole(actor, 'admin')) throw new DomainError('forbidden', 'Only administrators revoke API keys.');
    const key = UUID_PATTERN.test(id) ? await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ id }) : null;
    const mine = key && (key.tenantCode === null ? actor.tenantCode === null : AccessPolicy.canAdminister(actor, key.tenantCode));
    if (!key || !mine) throw new DomainError('not_found', 'No such API key.');
    await this.dataSource.transaction(async (m) => {
      const revoked: unknown[] = await m.query(
        `WITH r AS (UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING 1) SELECT * FROM r`,
        [id],
      );
      if (revoked.length === 0) return;
      await this.audit.append(m, [
        {
          stream: directoryStream.apiKeys(key.tenantCode),
          actor: { type: 'official', id: actor.officialId },
          event: 'api_keys.revoked',
          data: { api_key_id: key.id, name: key.name, tenant: key.tenantCode },
          channel: 'api',
          requestId,
        },
      ]);
    });
  }

  /** The client behind a key, or null for a malformed, unknown or revoked one. */
  async verify(key: string): Promise<VerifiedApiKey | null> {
    if (!KEY_PATTERN.test(key)) return null;
    const rows: VerifiedApiKey[] = await this.dataSource.query(
      `SELECT id, name, tenant_code AS "tenantCode" FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hashApiKey(key)],
    );
    return rows[0] ?? null;
  }
}
