// `npm start`: install, build, configure, check PostgreSQL and Redis, migrate, seed, then run the
// api and the worker until Ctrl-C. Plain Node so it works before anything is installed.
import { execSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';

const log = (msg) => console.log(`[aduan] ${msg}`);

execSync('node scripts/ensure-install.mjs', { stdio: 'inherit' });

if (!existsSync('.env')) {
  const secret = () => randomBytes(32).toString('base64url');
  const filled = readFileSync('.env.example', 'utf8')
    .replace(/^(ADMIN_PASSWORD)=__GENERATED__$/m, `$1=${randomBytes(12).toString('base64url')}`)
    .replace(/^(PRIVACY_KEY)=__GENERATED__$/m, `$1=${randomBytes(32).toString('base64')}`)
    .replace(/^(\w+)=__GENERATED__$/gm, (_, name) => `${name}=${secret()}`);
  writeFileSync('.env', filled, { mode: 0o600 });
  log('created .env with fresh secrets (the admin password is in it)');
}
const fileEnv = Object.fromEntries(
  readFileSync('.env', 'utf8')
    .split('\n')
    .filter((l) => /^\s*[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
);
// The environment wins over .env, so PORT=4000 npm start works.
const env = { ...process.env, ...Object.fromEntries(Object.entries(fileEnv).filter(([k]) => process.env[k] === undefined)) };

log('building…');
execSync('npm run --silent build', { stdio: 'inherit' });

function reachable(url, defaultPort) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort), timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}
const down = [];
if (!(await reachable(env.DATABASE_URL, 5432))) {
  down.push(`PostgreSQL is not reachable at ${new URL(env.DATABASE_URL).host}. Start it, e.g.:\n    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
}
if (!(await reachable(env.REDIS_URL, 6379))) {
  down.push(`Redis is not reachable at ${new URL(env.REDIS_URL).host}. Start it, e.g.:\n    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --appendonly yes`);
}
if (down.length) {
  for (const d of down) console.error(`[aduan] ${d}`);
  process.exit(1);
}

// Create the database if it does not exist yet (the server is there; the database may not be).
// pg is installed by now (ensure-install above), so it can be loaded here.
{
  const { default: pg } = await import('pg');
  const name = decodeURIComponent(new URL(env.DATABASE_URL).pathname.slice(1));
  const adminUrl = new URL(env.DATABASE_URL);
  adminUrl.pathname = '/postgres';
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      log(`created database ${name}`);
    }
  } catch (error) {
    console.error(`[aduan] cannot create database ${name}: ${error.message}`);
    process.exit(1);
  } finally {
    await client.end().catch(() => undefined);
  }
}

execSync('node dist/apps/cli/src/main.js migrate', { stdio: 'inherit', env });
execSync('node dist/apps/cli/src/main.js seed', { stdio: 'inherit', env });

const children = [
  spawn(process.execPath, ['dist/apps/api/src/main.js'], { stdio: 'inherit', env }),
  spawn(process.execPath, ['dist/apps/worker/src/main.js'], { stdio: 'inherit', env }),
];
const port = env.PORT || '3000';
log(`API:      http://localhost:${port}/api/v1   docs: http://localhost:${port}/api/docs   health: http://localhost:${port}/health`);
log(`admin:    ${env.ADMIN_USERNAME} (password in .env: ADMIN_PASSWORD)`);
let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
for (const c of children) c.on('exit', (code) => { if (!stopping) { log(`a process exited (${code}); stopping`); stop(code ?? 1); } });
