import { DomainError } from '@aduan/platform';
import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AccessPolicy, AccountFacts } from '../access/access-policy';
import { hasRole, Principal } from '../access/principal';
import { DirectoryAuditTrail, directoryStream } from '../audit/directory-audit-trail';
import { TokenService } from '../auth/token.service';
import { Role } from './official.entity';
import { hashPassword, verifyPassword } from './passwords';

export interface NewOfficial {
  username: string;
  name: string;
  password: string;
  unit: string;
  roles: Role[];
  /** for notices to the official's unit (new complaints, reminders, breaches) */
  email?: string | null;
}

/** What an administrator may change; an absent field stays as it is, `email: null` removes it. */
export interface OfficialChanges {
  name?: string;
  email?: string | null;
  unit?: string;
  roles?: Role[];
  active?: boolean;
}

/** An official as administrators see them (never the password hash). */
export interface OfficialView {
  id: string;
  username: string;
  name: string;
  email: string | null;
  tenant: string | null;
  unit: string | null;
  roles: Role[];
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface OfficialsPage {
  items: OfficialView[];
  page: number;
  page_size: number;
  total: number;
}

export interface OfficialsFilter {
  tenant?: string;
  unit?: string;
  page: number;
  page_size: number;
}

interface AccountRow {
  id: string;
  username: string;
  name: string;
  email: string | null;
  tenant_code: string | null;
  unit_id: string | null;
  unit_code: string | null;
  unit_type: string | null;
  roles: Role[];
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

interface UnitRow {
  id: string;
  code: string;
  type: string;
  tenant_code: string;
}

const ACCOUNT_COLUMNS = `o.id, o.username, o.name, o.email, o.tenant_code, o.unit_id, u.code AS unit_code, u.type AS unit_type,
  o.roles, o.active, o.created_at, o.updated_at`;
const ACCOUNT_SELECT = `SELECT ${ACCOUNT_COLUMNS} FROM official o LEFT JOIN unit u ON u.id = o.unit_id`;
const LIST_WHERE = `WHERE ($1::text IS NULL OR o.tenant_code = $1) AND ($2::text IS NULL OR u.code = $2)`;

const PRIVILEGED =
  'Only the platform administrator may grant the inspector or admin role, or create, change or reset an account that has one or sits in the Inspektorat.';

/** What an erased official is called from then on. */
export const ERASED_NAME = '(dihapus / erased)';

const facts = (row: Pick<AccountRow, 'tenant_code' | 'roles' | 'unit_type'>): AccountFacts => ({ tenantCode: row.tenant_code, roles: row.roles, unitType: row.unit_type });

function view(row: AccountRow): OfficialView {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    tenant: row.tenant_code,
    unit: row.unit_code,
    roles: row.roles,
    active: row.active,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/**
 * Officials' accounts as administrators and their owners change them: create, list, change,
 * reset or change a password. Separation of duties (AccessPolicy.canManageAccount) keeps the
 * accounts that can read complaints about officials or administer others in the platform admin's
 * hands. Every change is one transaction with its audit entry on the tenant's `officials:<tenant>`
 * chain (`officials:platform` for the bootstrap admin); no entry holds a password or its hash.
 */
@Injectable()
export class OfficialAccounts {
  private readonly logger = new Logger(OfficialAccounts.name);

  constructor(private readonly dataSource: DataSource, private readonly tokens: TokenService, private readonly audit: DirectoryAuditTrail) {}

  /** Creates an official in a unit of a tenant the actor administers. */
  async create(actor: Principal, input: NewOfficial, requestId: string | null): Promise<OfficialView> {
    if (!hasRole(actor, 'admin')) throw new DomainError('forbidden', 'Only administrators create officials.');
    const unit = await this.unitByCode(this.dataSource.manager, input.unit);
    const roles = [...new Set(input.roles)];
    if (!AccessPolicy.canAdminister(actor, unit.tenant_code)) throw new DomainError('forbidden', 'You may only create officials in your own tenant.');
    this.requireManage(actor, null, { tenantCode: unit.tenant_code, roles, unitType: unit.type }, `create ${input.username}`);
    this.requireRolesFit(roles, unit.type);
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (m) => {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO official (username, name, password_hash, tenant_code, unit_id, roles, email)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username) DO NOTHING RETURNING id`,
        [input.username.toLowerCase(), input.name, passwordHash, unit.tenant_code, unit.id, roles, input.email ?? null],
      );
      if (rows.length === 0) throw new DomainError('conflict', 'That username is taken.', [{ field: 'username', message: 'already exists' }]);
      const created = (await this.read(m, rows[0].id))!;
      await this.audit.append(m, [
        {
          stream: directoryStream.officials(created.tenant_code),
          actor: { type: 'official', id: actor.officialId },
          event: 'officials.created',
          data: { official_id: created.id, unit: created.unit_code, roles: created.roles, active: created.active, email_on_file: created.email !== null },
          channel: 'api',
          requestId,
        },
      ]);
      return view(created);
    });
  }

  /** The officials of one tenant (the actor's by default; the platform admin without one: everyone), by username. */
  async list(actor: Principal, filter: OfficialsFilter): Promise<OfficialsPage> {
    if (!hasRole(actor, 'admin')) throw new DomainError('forbidden', 'Only administrators list officials.');
    const tenant = filter.tenant ?? actor.tenantCode;
    if (tenant !== null) {
      if (!AccessPolicy.canAdminister(actor, tenant)) throw new DomainError('forbidden', 'You may only list the officials of your own tenant.');
      const known: unknown[] = await this.dataSource.query(`SELECT 1 FROM tenant WHERE code = $1`, [tenant]);
      if (known.length === 0) throw new DomainError('not_found', 'No such tenant.');
    }
    const params = [tenant, filter.unit ?? null];
    const [rows, [count]]: [AccountRow[], { n: string }[]] = await Promise.all([
      this.dataSource.query(`${ACCOUNT_SELECT} ${LIST_WHERE} ORDER BY o.username LIMIT $3 OFFSET $4`, [...params, filter.page_size, (filter.page - 1) * filter.page_size]),
      this.dataSource.query(`SELECT count(*) AS n FROM official o LEFT JOIN unit u ON u.id = o.unit_id ${LIST_WHERE}`, params),
    ]);
    return { items: rows.map(view), page: filter.page, page_size: filter.page_size, total: Number(count.n) };
  }

  /**
   * Changes an official's name, email, unit, roles or active flag. Deactivation also ends every
   * session (roles and unit are read fresh on each request, so those take effect at once anyway).
   * The audit entry lists each changed field as `{from, to}`; a change that changes nothing
   * writes nothing.
   */
  async update(actor: Principal, username: string, changes: OfficialChanges, requestId: string | null): Promise<OfficialView> {
    if (!hasRole(actor, 'admin')) throw new DomainError('forbidden', 'Only administrators change officials.');
    return this.dataSource.transaction(async (m) => {
      const before = await this.account(m, actor, username, 'lock');
      const unit = changes.unit !== undefined && changes.unit !== before.unit_code
        ? await this.unitByCode(m, changes.unit)
        : { id: before.unit_id!, code: before.unit_code!, type: before.unit_type!, tenant_code: before.tenant_code! };
      const roles = changes.roles ? [...new Set(changes.roles)] : before.roles;
      if (!AccessPolicy.canAdminister(actor, unit.tenant_code)) throw new DomainError('forbidden', 'You may only move officials within your own tenant.');
      this.requireManage(actor, facts(before), { tenantCode: unit.tenant_code, roles, unitType: unit.type }, `change ${before.username}`);
      this.requireRolesFit(roles, unit.type);

      const diff: Record<string, { from: unknown; to: unknown } | { changed: true }> = {};
      // Names and addresses stay in the directory, where erasure reaches them: the log says only that they changed.
      const personal = new Set(['name', 'email']);
      const note = (field: string, from: unknown, to: unknown) => {
        if (JSON.stringify(from) !== JSON.stringify(to)) diff[field] = personal.has(field) ? { changed: true } : { from, to };
      };
      note('name', before.name, changes.name ?? before.name);
      note('email', before.email, changes.email === undefined ? before.email : changes.email);
      note('tenant', before.tenant_code, unit.tenant_code);
      note('unit', before.unit_code, unit.code);
      note('roles', before.roles, roles);
      note('active', before.active, changes.active ?? before.active);
      if (Object.keys(diff).length === 0) return view(before);

      await m.query(
        `UPDATE official SET name = $2, email = $3, tenant_code = $4, unit_id = $5, roles = $6, active = $7, updated_at = now() WHERE id = $1`,
        [before.id, changes.name ?? before.name, changes.email === undefined ? before.email : changes.email, unit.tenant_code, unit.id, roles, changes.active ?? before.active],
      );
      const sessionsEnded = diff.active && changes.active === false ? await this.tokens.revokeAll(before.id, 'deactivated', m) : undefined;
      // A move between tenants is recorded in both tenants' chains, locked in name order.
      const streams = [...new Set([directoryStream.officials(before.tenant_code), directoryStream.officials(unit.tenant_code)])].sort();
      for (const stream of streams) {
        await this.audit.append(m, [
          {
            stream,
            actor: { type: 'official', id: actor.officialId },
            event: 'officials.updated',
            data: { official_id: before.id, changes: diff, ...(sessionsEnded === undefined ? {} : { sessions_ended: sessionsEnded }) },
            channel: 'api',
            requestId,
          },
        ]);
      }
      return view((await this.read(m, before.id))!);
    });
  }

  /** An administrator sets a new password for an official; every session of theirs ends. */
  async resetPassword(actor: Principal, username: string, password: string, requestId: string | null): Promise<void> {
    if (!hasRole(actor, 'admin')) throw new DomainError('forbidden', 'Only administrators reset passwords.');
    // Authorised before the (deliberately slow) hash, and again under the lock in case the account changed meanwhile.
    const seen = await this.account(this.dataSource.manager, actor, username);
    this.requireManage(actor, facts(seen), facts(seen), `reset ${seen.username}`);
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (m) => {
      const account = await this.account(m, actor, username, 'lock');
      this.requireManage(actor, facts(account), facts(account), `reset ${account.username}`);
      await m.query(`UPDATE official SET password_hash = $2, updated_at = now() WHERE id = $1`, [account.id, passwordHash]);
      const sessionsEnded = await this.tokens.revokeAll(account.id, 'password_reset', m);
      await this.audit.append(m, [
        {
          stream: directoryStream.officials(account.tenant_code),
          actor: { type: 'official', id: actor.officialId },
          event: 'officials.password_reset',
          data: { official_id: account.id, sessions_ended: sessionsEnded },
          channel: 'api',
          requestId,
        },
      ]);
    });
  }

  /**
   * Erasure of an official's personal data (UU 27/2022): the directory row keeps its id, tenant,
   * unit and roles, and loses its name, username and email, and can never sign in again. The log
   * names officials only by id, so every entry about them stays verifiable and now points to an
   * erased account. Audited (by id) in the tenant's chain.
   */
  async erase(actor: Principal, username: string, requestId: string | null): Promise<OfficialView> {
    if (!hasRole(actor, 'admin')) throw new DomainError('forbidden', 'Only administrators erase officials.');
    const unusable = await hashPassword(randomBytes(32).toString('base64'));
    return this.dataSource.transaction(async (m) => {
      const account = await this.account(m, actor, username, 'lock');
      if (account.id === actor.officialId) throw new DomainError('conflict', 'You cannot erase your own account.');
      this.requireManage(actor, facts(account), facts(account), `erase ${account.username}`);
      await m.query(
        `UPDATE official SET username = $2, name = $3, email = NULL, password_hash = $4, active = false, updated_at = now() WHERE id = $1`,
        [account.id, `erased-${account.id.replace(/-/g, '').slice(0, 16)}`, ERASED_NAME, unusable],
      );
      const sessionsEnded = await this.tokens.revokeAll(account.id, 'erased', m);
      await this.audit.append(m, [
        {
          stream: directoryStream.officials(account.tenant_code),
          actor: { type: 'official', id: actor.officialId },
          event: 'officials.erased',
          data: { official_id: account.id, sessions_ended: sessionsEnded },
          channel: 'api',
          requestId,
        },
      ]);
      return view((await this.read(m, account.id))!);
    });
  }

  /** An official changes their own password; false when `current` is wrong. Every session of theirs ends. */
  async changeOwnPassword(official: Principal, current: string, next: string, requestId: string | null): Promise<boolean> {
    const [row]: { password_hash: string }[] = await this.dataSource.query(`SELECT password_hash FROM official WHERE id = $1`, [official.officialId]);
    if (!row || !(await verifyPassword(row.password_hash, current))) return false;
    const passwordHash = await hashPassword(next);
    await this.dataSource.transaction(async (m) => {
      await m.query(`UPDATE official SET password_hash = $2, updated_at = now() WHERE id = $1`, [official.officialId, passwordHash]);
      const sessionsEnded = await this.tokens.revokeAll(official.officialId, 'password_changed', m);
      await this.audit.append(m, [
        {
          stream: directoryStream.officials(official.tenantCode),
          actor: { type: 'official', id: official.officialId },
          event: 'officials.password_changed',
          data: { official_id: official.officialId, sessions_ended: sessionsEnded },
          channel: 'api',
          requestId,
        },
      ]);
    });
    return true;
  }

  /** Creates the bootstrap admin once; an existing account is left exactly as it is. */
  async ensureBootstrapAdmin(username: string, password: string): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (m) => {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO official (username, name, password_hash, tenant_code, unit_id, roles)
         VALUES ($1, 'Administrator', $2, NULL, NULL, ARRAY['admin']) ON CONFLICT (username) DO NOTHING RETURNING id`,
        [username.toLowerCase(), passwordHash],
      );
      if (rows.length === 0) return false;
      await this.audit.append(m, [
        {
          stream: directoryStream.officials(null),
          actor: { type: 'system' },
          event: 'officials.created',
          data: { official_id: rows[0].id, unit: null, roles: ['admin'], active: true, email_on_file: false },
          channel: 'api',
        },
      ]);
      return true;
    });
  }

  private async read(m: EntityManager, id: string): Promise<AccountRow | null> {
    const rows: AccountRow[] = await m.query(`${ACCOUNT_SELECT} WHERE o.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * The account (with `lock`, locked for the rest of the transaction). One outside the actor's
   * tenants is not_found; the bootstrap admin's account is not managed here (it comes from the
   * environment).
   */
  private async account(m: EntityManager, actor: Principal, username: string, lock?: 'lock'): Promise<AccountRow> {
    const rows: AccountRow[] = await m.query(`${ACCOUNT_SELECT} WHERE o.username = $1${lock ? ' FOR UPDATE OF o' : ''}`, [username.toLowerCase()]);
    const account = rows[0];
    const visible = account && (account.tenant_code === null ? AccessPolicy.isPlatformAdmin(actor) : AccessPolicy.canAdminister(actor, account.tenant_code));
    if (!account || !visible) throw new DomainError('not_found', 'No such official in the tenants you administer.');
    if (account.tenant_code === null) {
      throw new DomainError('forbidden', 'The bootstrap administrator’s account comes from ADMIN_USERNAME and ADMIN_PASSWORD and is not changed here.');
    }
    return account;
  }

  private async unitByCode(m: EntityManager, code: string): Promise<UnitRow> {
    const rows: UnitRow[] = await m.query(`SELECT id, code, type, tenant_code FROM unit WHERE code = $1 AND active`, [code]);
    if (!rows[0]) throw new DomainError('invalid', 'The unit does not exist.', [{ field: 'unit', message: 'unknown unit' }]);
    return rows[0];
  }

  private requireManage(actor: Principal, before: AccountFacts | null, after: AccountFacts, what: string): void {
    if (AccessPolicy.canManageAccount(actor, before, after)) return;
    this.logger.warn(`refused: ${actor.username} (admin of ${actor.tenantCode}) may not ${what}: separation of duties`);
    throw new DomainError('forbidden', PRIVILEGED);
  }

  private requireRolesFit(roles: readonly Role[], unitType: string): void {
    if (roles.includes('inspector') && unitType !== 'inspektorat') {
      throw new DomainError('invalid', 'Inspectors belong to the Inspektorat.', [{ field: 'roles', message: 'inspector needs an inspektorat unit' }]);
    }
  }
}
