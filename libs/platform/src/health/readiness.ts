/** ok; warn: serving, but someone must act (ready still); fail: not ready (503). */
export type ReadinessStatus = 'ok' | 'warn' | 'fail';

export interface ReadinessResult {
  status: ReadinessStatus;
  /** what an operator needs to know, in a sentence */
  detail?: string;
}

/** One check of `GET /health/ready`; every check is listed with its status and detail. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<ReadinessResult>;
}

/** The checks `/health/ready` runs, in order: provide this token with a list (`useFactory`). */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

const RANK: Record<ReadinessStatus, number> = { ok: 0, warn: 1, fail: 2 };

/** The worst of the results: one failure fails readiness, one warning makes it `warn`. */
export function overallStatus(results: readonly { status: ReadinessStatus }[]): ReadinessStatus {
  return results.reduce<ReadinessStatus>((worst, r) => (RANK[r.status] > RANK[worst] ? r.status : worst), 'ok');
}
