import type { Tier } from '@aduan/directory';
import { AccusedReview, ComplaintStatus } from './complaint-status';
import { OFFICIAL_ACTION_FROM } from './official-actions';
import type { Deadline } from './deadline';

/** Someone the resident accuses; such a complaint never reaches that person's unit. */
export interface Accused {
  name?: string;
  position?: string;
  /** a unit code, e.g. `KEL.36.73.01.1001` */
  unit?: string;
}

export interface ComplaintProps {
  id: string;
  trackingNumber: string;
  tenantCode: string;
  categoryCode: string;
  kelurahanCode: string;
  kecamatanCode: string;
  description: string;
  address: string | null;
  lat: number | null;
  long: number | null;
  anonymous: boolean;
  confidential: boolean;
  accused: Accused | null;
  /** the units that may be the accused's (see possibly-accused.ts); none of them may see or receive it */
  accusedUnitIds: readonly string[];
  /** null: never about an official; else pending until an inspector confirms or clears the set */
  accusedReview: AccusedReview | null;
  /** the resident left a name, phone or email: without one there is nobody to send a notice to */
  reporterOnFile: boolean;
  status: ComplaintStatus;
  channel: string;
  currentUnitId: string | null;
  currentTier: Tier | null;
  submittedAt: Date;
  /** the nearest deadline: first response while routed, resolution once acknowledged */
  dueAt: Date | null;
  /** `dueAt` was counted over a year without an official holiday table */
  dueProvisional: boolean;
  resolutionDueAt: Date | null;
  /**
   * How the resolution deadline was counted, so a revised holiday table can count it again:
   * `resolutionWorkingDays` hari kerja from `resolutionFrom`, plus the time spent waiting for the
   * resident (`resolutionPausedMs`). Working days are null for a wall-clock duration.
   */
  resolutionFrom: Date | null;
  resolutionWorkingDays: number | null;
  resolutionPausedMs: number;
  pausedAt: Date | null;
  resolvedAt: Date | null;
  /** when a resolution the resident leaves unanswered closes by itself: `autoCloseWorkingDays` from `resolvedAt` */
  autoCloseAt: Date | null;
  autoCloseWorkingDays: number | null;
  autoCloseProvisional: boolean;
  closedAt: Date | null;
  version: number;
}

/** Which deadline a revised holiday table moved. */
export type MovableDeadline = 'first_response' | 'resolution' | 'auto_close';

/** A refusal of a lifecycle step; the caller maps it to a 409. */
export class IllegalTransition extends Error {
  constructor(readonly from: ComplaintStatus, readonly action: string) {
    super(`cannot ${action} a complaint that is ${from}`);
  }
}

/** A complaint before any clock runs. */
const NO_DEADLINES = {
  dueAt: null,
  dueProvisional: false,
  resolutionDueAt: null,
  resolutionFrom: null,
  resolutionWorkingDays: null,
  resolutionPausedMs: 0,
  autoCloseAt: null,
  autoCloseWorkingDays: null,
  autoCloseProvisional: false,
} as const satisfies Partial<ComplaintProps>;

/** The resolution clock started at `from`, none of it spent waiting yet. */
function resolutionClock(from: Date, due: Deadline): Partial<ComplaintProps> {
  return { resolutionDueAt: due.at, dueAt: due.at, dueProvisional: due.provisional, resolutionFrom: from, resolutionWorkingDays: due.workingDays, resolutionPausedMs: 0 };
}

/** How a complaint reached its current unit. */
export type HandOverVia = 'forwarded' | 'returned' | 'escalated';

/**
 * The Complaint aggregate: plain TypeScript, no persistence. It alone decides which lifecycle
 * steps are allowed from which status; handlers persist what it decided.
 *
 * submitted → routed (assign) → in_progress (acknowledge) ⇄ awaiting_info (request info / reply)
 * routed|in_progress → routed at another unit (forward, return, escalate)
 * routed|in_progress → resolved → closed (confirmed or silent) | in_progress (disputed)
 * routed|in_progress|awaiting_info → rejected
 */
export class Complaint {
  private constructor(private props: ComplaintProps) {}

  static restore(props: ComplaintProps): Complaint {
    return new Complaint({ ...props });
  }

  /**
   * A new complaint. Complaints about an official — an accused given, a category about conduct,
   * or possibly-accused units found in what the resident wrote — are always anonymous and
   * confidential, and their set awaits the Inspektorat's review.
   */
  static submit(
    input: Omit<ComplaintProps, 'status' | 'currentUnitId' | 'currentTier' | 'version' | 'pausedAt' | 'resolvedAt' | 'closedAt' | 'accusedUnitIds' | 'accusedReview' | keyof typeof NO_DEADLINES> & {
      accusedUnitIds?: readonly string[];
    },
    aboutOfficial: boolean,
  ): Complaint {
    const accusedUnitIds = [...new Set(input.accusedUnitIds ?? [])].sort();
    const protect = aboutOfficial || input.accused !== null || accusedUnitIds.length > 0;
    return new Complaint({
      ...input,
      accusedUnitIds,
      accusedReview: accusedUnitIds.length > 0 ? 'pending' : null,
      anonymous: protect || input.anonymous,
      confidential: protect || input.confidential,
      status: 'submitted',
      currentUnitId: null,
      currentTier: null,
      ...NO_DEADLINES,
      pausedAt: null,
      resolvedAt: null,
      closedAt: null,
      version: 1,
    });
  }

  get snapshot(): Readonly<ComplaintProps> {
    return this.props;
  }

  get id(): string {
    return this.props.id;
  }

  get status(): ComplaintStatus {
    return this.props.status;
  }

  private require(action: string, allowed: readonly ComplaintStatus[]): void {
    if (!allowed.includes(this.props.status)) throw new IllegalTransition(this.props.status, action);
  }

  private change(patch: Partial<ComplaintProps>): void {
    this.props = { ...this.props, ...patch, version: this.props.version + 1 };
  }

  /**
   * Puts a newly submitted complaint in a unit's inbox. Only from `submitted`: a stale or repeated
   * dispatch for a complaint already in an inbox must not move it.
   */
  assign(unitId: string, tier: Tier, firstResponse: Deadline): void {
    this.require('assign', ['submitted']);
    this.change({ status: 'routed', currentUnitId: unitId, currentTier: tier, dueAt: firstResponse.at, dueProvisional: firstResponse.provisional });
  }

  /** The unit takes it on at `now`: the resolution clock starts. */
  acknowledge(now: Date, resolution: Deadline): void {
    this.require('acknowledge', OFFICIAL_ACTION_FROM.acknowledge);
    this.change({ status: 'in_progress', ...resolutionClock(now, resolution) });
  }

  /**
   * Asks the resident; the clocks stand still until the resident answers. Asking is a first
   * response, so an unacknowledged complaint gets its resolution deadline now.
   */
  requestInfo(now: Date, resolutionIfUnset: Deadline): void {
    this.require('request information on', OFFICIAL_ACTION_FROM['request-info']);
    const clock = this.props.resolutionDueAt ? { dueAt: this.props.resolutionDueAt } : resolutionClock(now, resolutionIfUnset);
    this.change({ status: 'awaiting_info', pausedAt: now, ...clock });
  }

  /**
   * The resident writes. An answer to a question resumes the work and moves the resolution
   * deadline by the time spent waiting; otherwise it is an addition and changes no state.
   * Returns whether it resumed the work.
   */
  residentWrites(now: Date): boolean {
    this.require('add to', ['submitted', 'routed', 'in_progress', 'awaiting_info']);
    const { status, pausedAt, resolutionDueAt, resolutionPausedMs } = this.props;
    if (status !== 'awaiting_info' || !pausedAt) return false;
    const waited = now.getTime() - pausedAt.getTime();
    const shifted = resolutionDueAt ? new Date(resolutionDueAt.getTime() + waited) : null;
    this.change({ status: 'in_progress', pausedAt: null, resolutionDueAt: shifted, dueAt: shifted, resolutionPausedMs: resolutionPausedMs + waited });
    return true;
  }

  /** Another unit takes over: by disposisi, by return, or by escalation (only while unanswered). */
  handOver(unitId: string, tier: Tier, firstResponse: Deadline, via: HandOverVia): void {
    if (unitId === this.props.currentUnitId) throw new IllegalTransition(this.props.status, `${via.replace(/ed$/, '')} to its own unit`);
    this.require(via === 'escalated' ? 'escalate' : via.replace(/ed$/, ''), via === 'escalated' ? ['routed'] : OFFICIAL_ACTION_FROM[via === 'forwarded' ? 'forward' : 'return']);
    this.change({
      status: 'routed',
      currentUnitId: unitId,
      currentTier: tier,
      ...NO_DEADLINES,
      dueAt: firstResponse.at,
      dueProvisional: firstResponse.provisional,
    });
  }

  /** Resolved at `now`; unanswered, it closes by itself at `autoClose`. */
  resolve(now: Date, autoClose: Deadline): void {
    this.require('resolve', OFFICIAL_ACTION_FROM.resolve);
    this.change({
      status: 'resolved',
      resolvedAt: now,
      dueAt: null,
      dueProvisional: false,
      autoCloseAt: autoClose.at,
      autoCloseWorkingDays: autoClose.workingDays,
      autoCloseProvisional: autoClose.provisional,
    });
  }

  reject(now: Date): void {
    this.require('reject', OFFICIAL_ACTION_FROM.reject);
    this.change({ status: 'rejected', closedAt: now, dueAt: null, dueProvisional: false, pausedAt: null });
  }

  /** The resident's verdict on a resolution: satisfied closes it, not satisfied reopens it with a new resolution clock. */
  feedback(satisfied: boolean, now: Date, reopenedResolution: Deadline): void {
    this.require('give feedback on', ['resolved']);
    if (satisfied) this.change({ status: 'closed', closedAt: now });
    else this.change({ status: 'in_progress', resolvedAt: null, autoCloseAt: null, autoCloseWorkingDays: null, autoCloseProvisional: false, ...resolutionClock(now, reopenedResolution) });
  }

  /**
   * A revised holiday table moved one of the running deadlines (see the `sla` re-arm): the
   * first response of a complaint still waiting for it, the resolution of one being handled or
   * waiting for the resident, or the automatic closing of a resolved one.
   */
  moveDeadline(kind: MovableDeadline, to: Deadline): void {
    if (kind === 'first_response') {
      this.require('move the first-response deadline of', ['routed']);
      this.change({ dueAt: to.at, dueProvisional: to.provisional });
    } else if (kind === 'resolution') {
      this.require('move the resolution deadline of', ['in_progress', 'awaiting_info']);
      this.change({ resolutionDueAt: to.at, dueAt: to.at, dueProvisional: to.provisional, resolutionWorkingDays: to.workingDays });
    } else {
      this.require('move the automatic closing of', ['resolved']);
      this.change({ autoCloseAt: to.at, autoCloseProvisional: to.provisional, autoCloseWorkingDays: to.workingDays });
    }
  }

  /**
   * Later writing names more suspects (a resident's reply): they join the set, the set awaits
   * review again, and the complaint becomes anonymous and confidential. Returns the units added.
   */
  flagAccused(unitIds: readonly string[]): string[] {
    const added = [...new Set(unitIds)].filter((id) => !this.props.accusedUnitIds.includes(id)).sort();
    if (added.length === 0) return [];
    this.change({
      accusedUnitIds: [...this.props.accusedUnitIds, ...added].sort(),
      accusedReview: 'pending',
      anonymous: true,
      confidential: true,
    });
    return added;
  }

  /** An inspector upholds the set, or replaces it with the units they found (never with none). */
  confirmAccused(unitIds?: readonly string[]): void {
    const next = unitIds ? [...new Set(unitIds)].sort() : [...this.props.accusedUnitIds];
    if (next.length === 0) throw new IllegalTransition(this.props.status, 'confirm an empty accused set of');
    this.change({ accusedUnitIds: next, accusedReview: 'confirmed', anonymous: true, confidential: true });
  }

  /**
   * An inspector finds no official accused (a false alarm): the set is emptied. The privacy the
   * complaint got stays: a protective setting is never lowered.
   */
  clearAccused(): void {
    if (this.props.accusedUnitIds.length === 0) throw new IllegalTransition(this.props.status, 'clear the accused set of');
    this.change({ accusedUnitIds: [], accusedReview: 'cleared' });
  }

  /**
   * Back to routing, out of every inbox: after its accused set changed, the complaint is placed
   * again as if newly submitted (clocks included). Only while a unit holds it open.
   */
  returnToRouting(): void {
    this.require('route again', ['routed', 'in_progress', 'awaiting_info']);
    this.change({ status: 'submitted', currentUnitId: null, currentTier: null, ...NO_DEADLINES, pausedAt: null });
  }

  /** Closes a resolution the resident left unanswered; only the resolution the timer was armed for. */
  autoClose(now: Date, resolvedAt: Date): void {
    this.require('close', ['resolved']);
    if (this.props.resolvedAt?.getTime() !== resolvedAt.getTime()) throw new IllegalTransition(this.props.status, 'close a later resolution of');
    this.change({ status: 'closed', closedAt: now });
  }
}
