import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { ResponseTimeProjector } from '@aduan/sla';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';

/**
 * Keeps the response-time read model up with the sealed audit log: a catch-up every
 * AUDIT_SEAL_INTERVAL_MS (nothing to read while sealing is off). Every worker runs it; the
 * checkpoint's row lock lets one round run at a time.
 */
@Injectable()
export class ResponseTimeProjection implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ResponseTimes');
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  /** aborted on shutdown: a catch-up of a long backlog stops after its current round */
  private readonly stopping = new AbortController();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly projector: ResponseTimeProjector) {}

  onApplicationBootstrap(): void {
    if (this.config.AUDIT_SEAL_INTERVAL_MS === 0) return;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.round = this.projector
        .catchUp(this.stopping.signal)
        .then(() => undefined, (error: unknown) => this.logger.error(`projection round failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          this.round = null;
          this.schedule(this.config.AUDIT_SEAL_INTERVAL_MS);
        });
    }, delay);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.round;
  }
}
