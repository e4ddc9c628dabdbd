import { APP_CONFIG, AppConfig, REDIS } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { isIPv4 } from 'node:net';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { DirectoryAuditTrail, directoryStream } from '../audit/directory-audit-trail';

export type SignInOutcome = 'success' | 'failure' | 'throttled';

/**
 * The network a sign-in came from, not the address: /24 for IPv4, /48 for IPv6. Enough to tell an
 * office from a foreign botnet, and no one's device is named in a log that cannot forget.
 */
export function signInNetwork(address: string): string {
  const v4 = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  const groups = expandIPv6(address);
  return groups ? `${groups.slice(0, 3).join(':')}::/48` : 'unknown';
}

function expandIPv6(address: string): string[] | null {
  if (!/^[0-9a-f:]+$/i.test(address)) return null;
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  const groups = [...left, ...fill, ...right];
  return groups.length === 8 ? groups.map((g) => (g || '0').toLowerCase().replace(/^0+(?=.)/, '')) : null;
}

/**
 * Sign-ins of officials in the audit log (stream `sign-ins:<tenant>`): each success; a failure
 * only for a username that exists (what was typed into an unknown one is never written); and
 * bounded per account and window so a flood cannot fill the log: at most
 * AUTH_LOGIN_FAILURES_PER_ACCOUNT failures, then one `throttled` entry for the rest of the window.
 */
@Injectable()
export class SignInAudit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: DirectoryAuditTrail,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `officialId` when known (a success); otherwise the username is looked up, and an unknown one writes nothing. */
  async record(outcome: SignInOutcome, who: { officialId?: string; username?: string }, address: string, requestId: string | null): Promise<void> {
    const rows: { id: string; tenant_code: string | null }[] = who.officialId
      ? await this.dataSource.query(`SELECT id, tenant_code FROM official WHERE id = $1`, [who.officialId])
      : await this.dataSource.query(`SELECT id, tenant_code FROM official WHERE username = $1`, [(who.username ?? '').toLowerCase()]);
    const account = rows[0];
    if (!account) return;
    if (outcome !== 'success' && !(await this.withinBudget(outcome, account.id))) return;
    await this.dataSource.transaction((m) =>
      this.audit.append(m, [
        {
          stream: directoryStream.signIns(account.tenant_code),
          actor: outcome === 'success' ? { type: 'official', id: account.id } : { type: 'system', id: 'sign-in' },
          event: 'officials.signed_in',
          data: { official_id: account.id, network: signInNetwork(address) },
          channel: 'api',
          requestId,
          outcome,
        },
      ]),
    );
  }

  /** Whether this refusal still gets its own entry in the account's current window. */
  private async withinBudget(outcome: Exclude<SignInOutcome, 'success'>, officialId: string): Promise<boolean> {
    const key = `${this.config.QUEUE_PREFIX}:sign-in-audit:${outcome}:${officialId}`;
    const windowMs = this.config.AUTH_LOGIN_WINDOW_SECONDS * 1000;
    const limit = outcome === 'failure' ? this.config.AUTH_LOGIN_FAILURES_PER_ACCOUNT : 1;
    try {
      const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec()) as [[unknown, number]];
      return count <= limit;
    } catch {
      // Without Redis nothing is throttled either, so each refusal is one entry, as before.
      return true;
    }
  }
}
