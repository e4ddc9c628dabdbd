import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The channel writers NOTIFY after committing outbox rows; the relay LISTENs on it. */
export const OUTBOX_CHANNEL = 'outbox_message';

/**
 * Wakes the outbox relays after a transaction that wrote outbox rows has committed.
 *
 * Not a trigger: a transaction that NOTIFYs takes PostgreSQL's global notify lock at commit and
 * holds it through the WAL flush, which made every intake commit wait for the one before it.
 * Here the NOTIFY is its own tiny statement, sent after the commit, and bursts coalesce: one
 * NOTIFY in flight per process and at most one queued behind it. A relay that misses a wake-up
 * still polls.
 */
@Injectable()
export class OutboxNotifier {
  private inFlight = false;
  private again = false;

  constructor(private readonly dataSource: DataSource) {}

  poke(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    void this.dataSource
      .query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL])
      .catch(() => undefined)
      .finally(() => {
        this.inFlight = false;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }
}
