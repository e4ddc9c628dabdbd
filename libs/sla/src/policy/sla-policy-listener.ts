import { APP_CONFIG, AppConfig, ChannelListener } from '@aduan/platform';
import { Inject, Injectable } from '@nestjs/common';
import { SlaDeadlinePolicy } from '../calendar/sla-deadline-policy';
import { SLA_POLICY_CHANNEL } from './policy-change';

/**
 * Drops this process's cached policies and calendars when a change is announced, or when its
 * listening connection comes back (a change may have been missed meanwhile). The cache's own
 * expiry (POLICY_CACHE_MS) stays the backstop.
 */
@Injectable()
export class SlaPolicyListener {
  private readonly listener: ChannelListener;

  constructor(policy: SlaDeadlinePolicy, @Inject(APP_CONFIG) config: AppConfig) {
    this.listener = new ChannelListener({
      connectionString: config.DATABASE_URL,
      channel: SLA_POLICY_CHANNEL,
      applicationName: 'aduan-sla-policy-listener',
      onNotify: () => policy.invalidate(),
      onReconnect: () => policy.invalidate(),
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }

  get listening(): boolean {
    return this.listener.listening;
  }
}
