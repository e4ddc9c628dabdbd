import { Global, Injectable, Module } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One Prometheus registry per process (per Nest app: the tests run an api and a worker in one
 * process). Each app adds its own metrics to it; Node's runtime metrics come with it.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

@Global()
@Module({ providers: [MetricsRegistry], exports: [MetricsRegistry] })
export class MetricsModule {}

/**
 * Whether an `Authorization` header carries METRICS_TOKEN as a bearer token (compared in constant
 * time). Without a configured token nothing is authorized.
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (!token || !authorization?.startsWith('Bearer ')) return false;
  const given = Buffer.from(authorization.slice('Bearer '.length));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
