import 'reflect-metadata';
import { APP_CONFIG, AppConfig, ConfigError } from '@aduan/platform';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApi } from './create-api';

const logger = new Logger('Aduan');

async function main(): Promise<void> {
  const app = await createApi({ shutdownHooks: false });
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.log(`API listening on http://localhost:${config.PORT} (docs: /api/docs)`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(app, signal));
}

/**
 * A clean stop, in this order: stop accepting connections and let the requests in flight finish
 * (Fastify closes idle keep-alive sockets), then the app's hooks close the queues, Redis and the
 * database pools, so no request meets a closed pool.
 */
async function shutdown(app: NestFastifyApplication, signal: string): Promise<void> {
  logger.log(`${signal}: no new requests; finishing those in flight`);
  try {
    await app.getHttpAdapter().getInstance().close();
    await app.close();
    logger.log('stopped');
    process.exit(0);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  // A configuration problem is a list for a person, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
