// `npm start`: install, build, configure (.env), check PostgreSQL and Redis, create the database and
// its roles, migrate (as the owner), seed, then run the api and the worker (as the app's role) until Ctrl-C. Plain Node so it works before anything is installed.
import { execFileSync, execSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';

const log = (msg) => console.log(`[aduan] ${msg}`);

execSync('node scripts/ensure-install.mjs', { stdio: 'inherit' });

// Built first: the CLI makes the audit checkpoint key for a new .env.
log('building…');
execSync('npm run --silent build', { stdio: 'inherit' });

const secret = () => randomBytes(32).toString('base64url');
const cli = (args, env = process.env) => execFileSync(process.execPath, ['dist/apps/cli/src/main.js', ...args], { env, encoding: 'utf8' });
/** A fresh AUDIT_SIGNING_KEY (C2SP signed-note key) named after this install. */
const auditKey = () => /^AUDIT_SIGNING_KEY=(.+)$/m.exec(cli(['audit-keygen', `localhost/aduan/${randomBytes(4).toString('hex')}`]))[1];

if (!existsSync('.env')) {
  const filled = readFileSync('.env.example', 'utf8')
    .replace(/^(ADMIN_PASSWORD)=__GENERATED__$/m, `$1=${randomBytes(12).toString('base64url')}`)
    .replace(/^(PRIVACY_KEY)=__GENERATED__$/m, `$1=${randomBytes(32).toString('base64')}`)
    .replace(/^(AUDIT_SIGNING_KEY)=__GENERATED__$/m, () => `AUDIT_SIGNING_KEY=${auditKey()}`)
    .replace(/__GENERATED_PASSWORD__/g, () => randomBytes(18).toString('hex'))
    .replace(/^(\w+)=__GENERATED__$/gm, (_, name) => `${name}=${secret()}`);
  writeFileSync('.env', filled, { mode: 0o600 });
  log('created .env with fresh secrets (the admin password is in it)');
} else {
  upgradeEnvFile();
}

/**
 * An .env from before the database roles and the audit checkpoints gets what it lacks: the apps'
 * role and the owner's (the superuser it used becomes DATABASE_ADMIN_URL, for setup-db only) and
 * a checkpoint signing key.
 */
function upgradeEnvFile() {
  let text = readFileSync('.env', 'utf8');
  const added = [];
  const current = /^DATABASE_URL=(.*)$/m.exec(text)?.[1]?.trim();
  if (current && !/^DATABASE_OWNER_URL=/m.test(text)) {
    const admin = new URL(current);
    const database = decodeURIComponent(admin.pathname.slice(1));
    const as = (role) => {
      const u = new URL(current);
      u.username = `${database}_${role}`;
      u.password = randomBytes(18).toString('hex');
      return u.toString();
    };
    admin.pathname = '/postgres';
    text = text.replace(/^DATABASE_URL=.*$/m, `DATABASE_URL=${as('app')}\nDATABASE_OWNER_URL=${as('owner')}\n# the superuser the apps used before; only setup-db uses it now\nDATABASE_ADMIN_URL=${admin}`);
    added.push(`the roles ${database}_app and ${database}_owner (DATABASE_URL, DATABASE_OWNER_URL)`);
  }
  if (!/^AUDIT_SIGNING_KEY(_FILE)?=/m.test(text)) {
    text += `\n# The audit log's checkpoint signing key (never in the database; keep a copy safe)\nAUDIT_SIGNING_KEY=${auditKey()}\n`;
    added.push('an audit checkpoint key (AUDIT_SIGNING_KEY)');
  }
  if (added.length) {
    writeFileSync('.env', text, { mode: 0o600 });
    log(`updated .env with ${added.join(' and ')}`);
  }
}

const fileEnv = Object.fromEntries(
  readFileSync('.env', 'utf8')
    .split('\n')
    .filter((l) => /^\s*[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]),
);
// The environment wins over .env, so PORT=4000 npm start works.
const env = { ...process.env, ...Object.fromEntries(Object.entries(fileEnv).filter(([k]) => process.env[k] === undefined)) };

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

// The database and its two roles (setup-db; see docs/architecture.md, "Database roles"). pg is installed by now.
const { default: pg } = await import('pg');
/** Whether `url` logs in, and as a superuser. */
async function probe(url) {
  const u = new URL(url);
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    return { ok: true, superuser: rows[0].rolsuper };
  } catch (error) {
    return { ok: false, error: error.message };
  } finally {
    await client.end().catch(() => undefined);
  }
}
/** `url` with another user and password (the database, host and options stay). */
function asRole(url, role, password) {
  const u = new URL(url);
  u.username = role;
  u.password = password ?? '';
  return u.toString();
}

let appUrl = env.DATABASE_URL;
let ownerUrl = env.DATABASE_OWNER_URL;
let adminUrl = env.DATABASE_ADMIN_URL;
if (process.env.DATABASE_URL && !process.env.DATABASE_OWNER_URL) {
  // DATABASE_URL given on the command line: that database, on that server. A superuser URL is
  // used to create the roles; the apps still run as <db>_app.
  const given = await probe(process.env.DATABASE_URL);
  const database = decodeURIComponent(new URL(process.env.DATABASE_URL).pathname.slice(1));
  if (given.ok && given.superuser) {
    adminUrl = process.env.DATABASE_URL;
    appUrl = asRole(process.env.DATABASE_URL, `${database}_app`, new URL(fileEnv.DATABASE_URL ?? 'postgres://x').password || secret());
    ownerUrl = asRole(process.env.DATABASE_URL, `${database}_owner`, new URL(fileEnv.DATABASE_OWNER_URL ?? 'postgres://x').password || secret());
  } else if (!ownerUrl || decodeURIComponent(new URL(ownerUrl).pathname.slice(1)) !== database || new URL(ownerUrl).host !== new URL(appUrl).host) {
    console.error('[aduan] DATABASE_URL names another database than DATABASE_OWNER_URL in .env: set DATABASE_OWNER_URL for it too');
    process.exit(1);
  }
}
if (!ownerUrl) {
  console.error('[aduan] DATABASE_OWNER_URL is not set (the role that owns the schema; see .env.example)');
  process.exit(1);
}
adminUrl ??= (() => {
  const u = new URL(appUrl);
  u.username = 'postgres';
  u.password = '';
  u.pathname = '/postgres';
  return u.toString();
})();
const admin = await probe(adminUrl);
if (admin.ok && admin.superuser) {
  process.stdout.write(cli(['setup-db'], { ...env, DATABASE_ADMIN_URL: adminUrl, DATABASE_URL: appUrl, DATABASE_OWNER_URL: ownerUrl }).replace(/^(?=.)/gm, '[aduan] '));
} else {
  const [app, owner] = [await probe(appUrl), await probe(ownerUrl)];
  if (!app.ok || !owner.ok) {
    console.error(`[aduan] cannot log in as the database roles (${!app.ok ? `app: ${app.error}` : `owner: ${owner.error}`}), and no superuser to create them (DATABASE_ADMIN_URL: ${admin.ok ? 'not a superuser' : admin.error}).`);
    console.error('[aduan] Set DATABASE_ADMIN_URL to a superuser, or have one run `npm run cli -- setup-db` (see docs/architecture.md, "Database roles").');
    process.exit(1);
  }
}
// The apps get their own role only: never the owner's or the superuser's URL.
const appEnv = { ...env, DATABASE_URL: appUrl };
delete appEnv.DATABASE_OWNER_URL;
delete appEnv.DATABASE_ADMIN_URL;

execSync('node dist/apps/cli/src/main.js migrate', { stdio: 'inherit', env: { ...appEnv, DATABASE_OWNER_URL: ownerUrl } });
execSync('node dist/apps/cli/src/main.js seed', { stdio: 'inherit', env: appEnv });

const children = [
  spawn(process.execPath, ['dist/apps/api/src/main.js'], { stdio: 'inherit', env: appEnv }),
  spawn(process.execPath, ['dist/apps/worker/src/main.js'], { stdio: 'inherit', env: appEnv }),
];
const port = env.PORT || '3000';
log(`API:      http://localhost:${port}/api/v1   docs: http://localhost:${port}/api/docs   health: http://localhost:${port}/health`);
log(`admin:    ${env.ADMIN_USERNAME} (password in .env: ADMIN_PASSWORD)`);
// Signals: npm hands SIGTERM and SIGINT to this process (package.json's `exec`, so no shell sits
// between and swallows them); each goes on to the api and the worker, which drain (the api stops
// taking requests first, the worker finishes its jobs) and exit. This process exits when both have.
const STOP_GRACE_MS = 60_000;
let stopping = false;
let exitCode = 0;
const running = new Set(children);
const stop = (signal, code) => {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  log(`${signal}: stopping the api and the worker (they finish what is in flight)`);
  for (const c of running) c.kill(signal);
  setTimeout(() => {
    for (const c of running) {
      log(`pid ${c.pid} still running after ${STOP_GRACE_MS / 1000} s; SIGKILL`);
      c.kill('SIGKILL');
    }
  }, STOP_GRACE_MS).unref();
};
process.on('SIGINT', () => stop('SIGINT', 0));
process.on('SIGTERM', () => stop('SIGTERM', 0));
for (const c of children) {
  c.on('exit', (code, signal) => {
    running.delete(c);
    if (!stopping) {
      log(`a process exited (${code ?? signal}); stopping the other`);
      stop('SIGTERM', code || 1);
    }
    if (running.size === 0) {
      log('stopped');
      process.exit(exitCode);
    }
  });
}
