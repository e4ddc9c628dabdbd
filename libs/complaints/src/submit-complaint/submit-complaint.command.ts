import type { Channel } from '@aduan/audit';
import { Command } from '@nestjs/cqrs';
import type { SubmitComplaintInput } from './submit-complaint.schema';

export interface SubmitComplaintResult {
  trackingNumber: string;
  accessCode: string;
  status: 'submitted';
  submittedAt: Date;
  /** true when this is the stored answer to an earlier request with the same idempotency key */
  replayed: boolean;
}

/** Makes a retried submission return the first answer instead of filing twice. */
export interface IntakeIdempotency {
  /** whose keys these are: `idempotency-key` (the JSON API), `fixmystreet:<api key id>` (Open311) */
  scope: string;
  key: string;
  /** how long the key holds, in milliseconds; null: for ever */
  ttlMs: number | null;
}

/** How long an `Idempotency-Key` holds: a client retrying within a day gets the first answer. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600_000;

/** A resident files a complaint through some channel. */
export class SubmitComplaintCommand extends Command<SubmitComplaintResult> {
  constructor(
    readonly input: SubmitComplaintInput,
    readonly channel: Channel,
    readonly requestId: string | null,
    readonly idempotency: IntakeIdempotency | null = null,
    /** the Open311 client (API key id) that files it; reads with that key see it */
    readonly apiKeyId: string | null = null,
  ) {
    super();
  }
}
