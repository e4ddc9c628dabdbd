import 'reflect-metadata';
import { ConfigError, JsonLogger, loadConfig } from '@aduan/platform';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: new JsonLogger(loadConfig().LOG_LEVEL) });
  app.enableShutdownHooks();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
