import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * A PostgreSQL restart drill (test/faults) once ended the worker with an unhandled 'error' event:
 * a connection that opened just as the server shut down got its FATAL (57P01) in the same packet
 * as ReadyForQuery. pg-pool hands the new client over and drops its own listener while that packet
 * is still being read, so the FATAL was emitted before the borrower had attached a listener.
 * A server of a few lines sends exactly that packet; with guardNewClients the process lives.
 */
const ROOT = join(__dirname, '..', '..');

function run(guarded: boolean): { status: number; output: string } {
  const script = `
    const net = require('node:net');
    const { Pool } = require(${JSON.stringify(require.resolve('pg'))});
    const { guardNewClients } = require(${JSON.stringify(join(ROOT, 'dist/libs/platform/src/database/connection-errors.js'))});
    const msg = (type, body) => { const b = Buffer.alloc(5 + body.length); b.write(type, 0); b.writeInt32BE(4 + body.length, 1); body.copy(b, 5); return b; };
    const server = net.createServer((socket) => socket.once('data', () => {
      const fields = Buffer.from('SFATAL\\0C57P01\\0Mterminating connection due to administrator command\\0\\0');
      socket.write(Buffer.concat([msg('R', Buffer.from([0, 0, 0, 0])), msg('Z', Buffer.from('I')), msg('E', fields)]));
    }));
    server.listen(0, '127.0.0.1', async () => {
      const pool = new Pool({ host: '127.0.0.1', port: server.address().port, user: 'x', database: 'x' });
      pool.on('error', () => undefined);
      if (${guarded}) guardNewClients(pool, (m) => console.log('warned: ' + m));
      const client = await pool.connect();
      await new Promise((r) => setTimeout(r, 100));
      client.on('error', () => undefined);
      await client.query('SELECT 1').then(() => console.log('query ran'), (e) => console.log('query failed: ' + e.message));
      console.log('alive');
      process.exit(0);
    });`;
  try {
    return { status: 0, output: execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe', timeout: 20_000 }) };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

it('a FATAL right behind ReadyForQuery does not end the process when new clients are guarded', () => {
  const guarded = run(true);
  expect(guarded.output).toMatch(/warned: connection lost while unattended: terminating connection/);
  expect(guarded.output).toMatch(/query failed/);
  expect(guarded.output).toMatch(/alive/);
  expect(guarded.status).toBe(0);
});

it('without the guard the same packet is an unhandled error event (what the guard is for)', () => {
  const bare = run(false);
  expect(bare.output).toMatch(/Unhandled 'error' event/);
  expect(bare.status).not.toBe(0);
});
