import { AccusedReview, ComplaintStatus, Tier } from './complaint-status';

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
  resolutionDueAt: Date | null;
  pausedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  version: number;
}

/** A refusal of a lifecycle step; the caller maps it to a 409. */
export class IllegalTransition extends Error {
  constructor(readonly from: ComplaintStatus, readonly action: string) {
    super(`cannot ${action} a complaint that is ${from}`);
  }
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
    input: Omit<ComplaintProps, 'status' | 'currentUnitId' | 'currentTier' | 'dueAt' | 'version' | 'resolutionDueAt' | 'pausedAt' | 'resolvedAt' | 'closedAt' | 'accusedUnitIds' | 'accusedReview'> & {
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
      dueAt: null,
      resolutionDueAt: null,
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
  assign(unitId: string, tier: Tier, firstResponseDueAt: Date): void {
    this.require('assign', ['submitted']);
    this.change({ status: 'routed', currentUnitId: unitId, currentTier: tier, dueAt: firstResponseDueAt });
  }

  /** The unit takes it on: the resolution clock starts. */
  acknowledge(resolutionDueAt: Date): void {
    this.require('acknowledge', ['routed']);
    this.change({ status: 'in_progress', resolutionDueAt, dueAt: resolutionDueAt });
  }

  /**
   * Asks the resident; the clocks stand still until the resident answers. Asking is a first
   * response, so an unacknowledged complaint gets its resolution deadline now.
   */
  requestInfo(now: Date, resolutionDueAtIfUnset: Date): void {
    this.require('request information on', ['routed', 'in_progress']);
    const resolutionDueAt = this.props.resolutionDueAt ?? resolutionDueAtIfUnset;
    this.change({ status: 'awaiting_info', pausedAt: now, resolutionDueAt, dueAt: resolutionDueAt });
  }

  /**
   * The resident writes. An answer to a question resumes the work and moves the resolution
   * deadline by the time spent waiting; otherwise it is an addition and changes no state.
   * Returns whether it resumed the work.
   */
  residentWrites(now: Date): boolean {
    this.require('add to', ['submitted', 'routed', 'in_progress', 'awaiting_info']);
    const { status, pausedAt, resolutionDueAt } = this.props;
    if (status !== 'awaiting_info' || !pausedAt) return false;
    const shifted = resolutionDueAt ? new Date(resolutionDueAt.getTime() + (now.getTime() - pausedAt.getTime())) : null;
    this.change({ status: 'in_progress', pausedAt: null, resolutionDueAt: shifted, dueAt: shifted });
    return true;
  }

  /** Another unit takes over: by disposisi, by return, or by escalation (only while unanswered). */
  handOver(unitId: string, tier: Tier, firstResponseDueAt: Date, via: HandOverVia): void {
    if (unitId === this.props.currentUnitId) throw new IllegalTransition(this.props.status, `${via.replace(/ed$/, '')} to its own unit`);
    this.require(via === 'escalated' ? 'escalate' : via.replace(/ed$/, ''), via === 'escalated' ? ['routed'] : ['routed', 'in_progress']);
    this.change({ status: 'routed', currentUnitId: unitId, currentTier: tier, dueAt: firstResponseDueAt, resolutionDueAt: null });
  }

  resolve(now: Date): void {
    this.require('resolve', ['routed', 'in_progress']);
    this.change({ status: 'resolved', resolvedAt: now, dueAt: null });
  }

  reject(now: Date): void {
    this.require('reject', ['routed', 'in_progress', 'awaiting_info']);
    this.change({ status: 'rejected', closedAt: now, dueAt: null, pausedAt: null });
  }

  /** The resident's verdict on a resolution: satisfied closes it, not satisfied reopens it. */
  feedback(satisfied: boolean, now: Date, reopenedResolutionDueAt: Date): void {
    this.require('give feedback on', ['resolved']);
    if (satisfied) this.change({ status: 'closed', closedAt: now });
    else this.change({ status: 'in_progress', resolvedAt: null, resolutionDueAt: reopenedResolutionDueAt, dueAt: reopenedResolutionDueAt });
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
    this.change({ status: 'submitted', currentUnitId: null, currentTier: null, dueAt: null, resolutionDueAt: null, pausedAt: null });
  }

  /** Closes a resolution the resident left unanswered; only the resolution the timer was armed for. */
  autoClose(now: Date, resolvedAt: Date): void {
    this.require('close', ['resolved']);
    if (this.props.resolvedAt?.getTime() !== resolvedAt.getTime()) throw new IllegalTransition(this.props.status, 'close a later resolution of');
    this.change({ status: 'closed', closedAt: now });
  }
}
