import 'reflect-metadata';
import { APP_CONFIG, AppConfig, ConfigError } from '@aduan/platform';
import { Logger } from '@nestjs/common';
import { createApi } from './create-api';

async function main(): Promise<void> {
  const app = await createApi();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen({ port: config.PORT, host: config.HOST });
  new Logger('Aduan').log(`API listening on http://localhost:${config.PORT} (docs: /api/docs)`);
}

main().catch((error: unknown) => {
  // A configuration problem is a list for a person, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
