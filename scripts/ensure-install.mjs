// Installs dependencies when node_modules is missing or older than the lock file.
// Plain Node, no dependencies: it runs before anything is installed.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const stamp = 'node_modules/.package-lock.json';
const stale = !existsSync(stamp) || statSync('package-lock.json').mtimeMs > statSync(stamp).mtimeMs;
if (stale) {
  // stderr: `npm run -s bench` keeps stdout for its JSON alone.
  console.error('[aduan] installing dependencies (npm install)…');
  // `npm ci` fails on machines whose registry lacks other platforms' optional binaries.
  execSync('npm install --no-audit --no-fund', { stdio: ['inherit', 2, 'inherit'] });
}
