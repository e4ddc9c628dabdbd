import { ComplaintStatus, Tier } from './complaint-status';

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
  status: ComplaintStatus;
  channel: string;
  currentUnitId: string | null;
  currentTier: Tier | null;
  submittedAt: Date;
  dueAt: Date | null;
  version: number;
}

/** A refusal of a lifecycle step; the caller maps it to a 409. */
export class IllegalTransition extends Error {
  constructor(readonly from: ComplaintStatus, readonly action: string) {
    super(`cannot ${action} a complaint that is ${from}`);
  }
}

/**
 * The Complaint aggregate: plain TypeScript, no persistence. It decides which lifecycle steps
 * are allowed; handlers persist what it decided.
 */
export class Complaint {
  private constructor(private props: ComplaintProps) {}

  static restore(props: ComplaintProps): Complaint {
    return new Complaint({ ...props });
  }

  /** A new complaint. Complaints about an official are always anonymous and confidential. */
  static submit(input: Omit<ComplaintProps, 'status' | 'currentUnitId' | 'currentTier' | 'dueAt' | 'version'>, aboutOfficial: boolean): Complaint {
    const protect = aboutOfficial || input.accused !== null;
    return new Complaint({
      ...input,
      anonymous: protect || input.anonymous,
      confidential: protect || input.confidential,
      status: 'submitted',
      currentUnitId: null,
      currentTier: null,
      dueAt: null,
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

  /**
   * Puts a newly submitted complaint in a unit's inbox. Only from `submitted`: a stale or repeated
   * dispatch for a complaint already in an inbox must not move it.
   */
  assign(unitId: string, tier: Tier, dueAt: Date): void {
    if (this.props.status !== 'submitted') {
      throw new IllegalTransition(this.props.status, 'assign');
    }
    this.props = { ...this.props, status: 'routed', currentUnitId: unitId, currentTier: tier, dueAt, version: this.props.version + 1 };
  }
}
