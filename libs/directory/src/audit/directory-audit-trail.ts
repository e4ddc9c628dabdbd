import { EntityManager } from 'typeorm';

/** One audit entry about the directory: an account, an API key, a session. */
export interface DirectoryAuditRecord {
  stream: string;
  actor: { type: 'official' | 'system'; id?: string | null };
  event: string;
  data: Record<string, unknown>;
  channel: 'api' | 'cli';
  requestId?: string | null;
  /** `success` unless said otherwise (a refused sign-in: `failure`, `throttled`) */
  outcome?: string;
}

/**
 * Where the directory writes its audit entries. The hash-chained log lives in `@aduan/audit`,
 * which sits above this lib, so that lib provides the implementation (AuditModule): the
 * directory depends on this port, never on the log itself.
 */
export abstract class DirectoryAuditTrail {
  /** Appends records of one stream to its chain, in the caller's transaction. */
  abstract append(manager: EntityManager, records: readonly DirectoryAuditRecord[]): Promise<void>;
}

/**
 * The chains of directory changes: one per tenant for its officials and for its API keys, and one
 * each for the platform (the bootstrap admin's account, keys valid in every tenant).
 */
export const directoryStream = {
  officials: (tenantCode: string | null): string => `officials:${tenantCode ?? 'platform'}`,
  apiKeys: (tenantCode: string | null): string => `api-keys:${tenantCode ?? 'platform'}`,
  signIns: (tenantCode: string | null): string => `sign-ins:${tenantCode ?? 'platform'}`,
};
