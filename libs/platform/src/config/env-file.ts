import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

let loaded: string | null | undefined;

/**
 * Fills `process.env` from `.env` in the working directory (or ENV_FILE), once per process, for
 * every entry point (api, worker, CLI). What the environment already sets wins over the file, so
 * `PORT=4000 npm run start:api` works. Tests (NODE_ENV=test) never read it: a developer's `.env`
 * must not turn on mail or change a test's settings. Answers the file read, or null.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (env.NODE_ENV === 'test') return loaded;
  const path = resolve(env.ENV_FILE ?? '.env');
  if (!existsSync(path)) {
    if (env.ENV_FILE) throw new Error(`ENV_FILE names ${path}, which does not exist`);
    return loaded;
  }
  for (const [key, value] of Object.entries(parseEnv(readFileSync(path, 'utf8')))) {
    if (env[key] === undefined && value !== undefined) env[key] = value;
  }
  loaded = path;
  return loaded;
}
