import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { Backoff } from './connection-errors';

export interface ChannelListenerOptions {
  connectionString: string;
  /** a fixed identifier: it is interpolated into LISTEN */
  channel: string;
  /** pg_stat_activity's application_name of the dedicated connection */
  applicationName: string;
  /** a NOTIFY arrived on the channel */
  onNotify: () => void;
  /** listening again after a lost connection: notifications sent in between are gone */
  onReconnect: () => void;
}

/**
 * LISTENs on one channel over a connection of its own, outside any pool. A lost connection (a
 * terminated backend, a restart) is reconnected with backoff until it is back, and the owner is
 * told, since what was announced meanwhile was missed.
 */
export class ChannelListener {
  private readonly logger: Logger;
  private client: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly backoff = new Backoff(100, 5_000);
  private stopped = true;

  constructor(private readonly options: ChannelListenerOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) throw new Error(`not a plain channel name: ${options.channel}`);
    this.logger = new Logger(options.applicationName);
  }

  /** Resolves once listening, or after the first failure, which is left to the reconnection. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  /** true while the connection is up and LISTENing */
  get listening(): boolean {
    return this.client !== null;
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const { connectionString, channel, applicationName } = this.options;
    const client = new Client({ connectionString, application_name: applicationName });
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      const delay = this.backoff.next();
      this.logger.warn(`${channel} listener lost (${error?.message ?? 'connection ended'}); reconnecting in ${delay} ms`);
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.listen();
      }, delay);
    };
    client.on('notification', (n) => n.channel === channel && this.options.onNotify());
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      onLost(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (lost) return;
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.backoff.failures > 0) {
      this.logger.log(`${channel} listener reconnected`);
      this.options.onReconnect();
    }
    this.backoff.reset();
  }
}
