import { APP_CONFIG, AppConfig, metricsAuthorized, MetricsRegistry } from '@aduan/platform';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * The worker's `/metrics`, on WORKER_METRICS_HOST:WORKER_METRICS_PORT (loopback by default: only
 * the host or a sidecar can scrape it). With METRICS_TOKEN set it also asks for that bearer token.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly metrics: MetricsRegistry) {}

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method !== 'GET' || path !== '/metrics') return void response.writeHead(404).end();
      if (this.config.METRICS_TOKEN && !metricsAuthorized(request.headers.authorization, this.config.METRICS_TOKEN)) {
        return void response.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
      }
      this.metrics.text().then(
        (text) => response.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' }).end(text),
        (error: unknown) => {
          this.logger.error(`metrics failed: ${error instanceof Error ? error.message : String(error)}`);
          response.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.WORKER_METRICS_PORT, this.config.WORKER_METRICS_HOST, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on http://${this.config.WORKER_METRICS_HOST}:${this.port}/metrics`);
  }

  /** The port it listens on (WORKER_METRICS_PORT, or the one picked for 0). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
