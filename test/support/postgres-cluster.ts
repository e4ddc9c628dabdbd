import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server';

/** The newest PostgreSQL server binaries installed (Debian keeps them under /usr/lib/postgresql/<major>/bin). */
export function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (majors.length === 0) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
  return join(root, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

export interface OwnPostgres {
  port: number;
  /** the superuser `postgres` on this cluster, database `postgres` */
  url: string;
  start(): void;
  /** `pg_ctl stop -m fast`: every connection is cut, as in a restart or failover */
  stop(): void;
  /** stops the cluster and removes its files */
  destroy(): void;
}

/**
 * A PostgreSQL cluster of a test's own (initdb + pg_ctl on a free port, fsync off, trust on
 * 127.0.0.1), for drills that stop and restart the server, which the shared one must never see.
 * As root it runs as the `postgres` user, as initdb requires.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBinaries();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aduan-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : {};
  if (asRoot) {
    chownSync(dir, ids.uid as number, ids.gid as number);
    chmodSync(dir, 0o700);
  }
  const run = (tool: string, args: string[]): void => {
    const r = spawnSync(join(bin, tool), args, { ...ids, cwd: dir, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr || r.stdout || r.error}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const own: OwnPostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start() {
      const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
      run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    },
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    },
    destroy() {
      try {
        own.stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  own.start();
  return own;
}
