import { isEnvelope } from '@aduan/platform';
import type { Job } from 'bullmq';

/** The outbox message ids some BullMQ jobs carry: an envelope's messages, else the job's own id. */
export function carriedMessageIds(jobs: readonly Job[]): string[] {
  return jobs.flatMap((j) => (isEnvelope(j.data) ? j.data.envelope.map((m) => m.messageId) : [String(j.id)])).sort();
}
