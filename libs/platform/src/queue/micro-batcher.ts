/** What one item of a batch came to: its result, or the error that belongs to it alone. */
export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface MicroBatcherOptions<T, R> {
  /** Handles a whole batch in one go (one transaction); answers one outcome per item, in order. */
  run: (items: readonly T[]) => Promise<BatchOutcome<R>[]>;
  /** Largest batch. */
  maxSize: number;
  /** Batches in flight at once (each holds one database connection). */
  maxInFlight: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for queue consumers: jobs that arrive while earlier ones are being written wait
 * and go together in the next batch, so under load many jobs share one transaction (and one WAL
 * flush), while a lone job still starts at once. There is no timer: a batch starts as soon as a
 * slot is free, and the next one takes whatever queued up meanwhile (up to `maxSize`).
 *
 * When a whole batch fails (a deadlock, a lost connection, one bad item breaking the statement),
 * each of its items is run again on its own, so the error lands on the job it belongs to and the
 * queue retries only that job. `run` must therefore be safe to call again for the same items:
 * the consumers here claim each message in the batch's transaction, which rolled back.
 */
export class MicroBatcher<T, R> {
  private readonly queue: Pending<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly options: MicroBatcherOptions<T, R>) {
    if (options.maxSize < 1 || options.maxInFlight < 1) throw new Error('MicroBatcher needs maxSize and maxInFlight of at least 1');
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Jobs handed over in the same tick of the event loop start in the same batch. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxSize);
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async flush(batch: Pending<T, R>[]): Promise<void> {
    let outcomes: BatchOutcome<R>[];
    try {
      outcomes = await this.options.run(batch.map((p) => p.item));
      if (outcomes.length !== batch.length) throw new Error(`batch of ${batch.length} answered ${outcomes.length} outcomes`);
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // One at a time (still one connection), so each job gets its own error, or succeeds
      // without the item that broke the batch.
      for (const pending of batch) await this.flush([pending]);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.error)));
  }
}
