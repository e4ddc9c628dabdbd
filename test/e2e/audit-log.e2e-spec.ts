import { hashLeaf, NoteSigner, openCheckpoint, parseVerifierKey, readOutsideCheckpoints, signCheckpoint, verifyConsistency, verifyInclusion } from '@aduan/audit';
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runCli, startCli, stopCli } from '../support/cli';
import { call, complaintBody, eventually, Harness, loginAdmin, officialIn, startHarness } from '../support/harness';
import { TEST_AUDIT_SIGNING_KEY, TEST_AUDIT_VERIFIER_KEY, testRoleUrls } from '../support/test-env';

const b = (s: string) => Buffer.from(s, 'base64');

/**
 * The audit log's transparency end to end: the worker seals and signs, a witness (the CLI as a
 * C2SP tlog-witness) receives every checkpoint and cosigns it, anyone fetches checkpoints, the
 * public key and consistency proofs, the Inspektorat gets inclusion proofs and runs verify.
 */
describe('audit log: checkpoints, proofs, witness, verify', () => {
  let h: Harness;
  let witness: ChildProcess;
  let witnessDir: string;
  let pulledDir: string;
  let base: string;
  let inspector: string;
  let handler: string;
  const logKey = parseVerifierKey(TEST_AUDIT_VERIFIER_KEY);

  beforeAll(async () => {
    witnessDir = mkdtempSync(join(tmpdir(), 'aduan-witness-'));
    pulledDir = mkdtempSync(join(tmpdir(), 'aduan-witness-pull-'));
    const started = await startCli(['audit-witness', '--dir', witnessDir, '--listen', '127.0.0.1:0', '--key', TEST_AUDIT_VERIFIER_KEY, '--name', 'test.aduan.invalid/witness'], {}, /at http:\/\/([\d.]+:\d+)\/add-checkpoint; cosignature key: (\S+)/);
    witness = started.child;
    h = await startHarness({
      env: { AUDIT_SEAL_INTERVAL_MS: '200', AUDIT_CHECKPOINT_INTERVAL_SECONDS: '1', AUDIT_WITNESS_URLS: `http://${started.match[1]}`, AUDIT_WITNESS_KEYS: started.match[2] },
    });
    await h.api.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.api.getHttpServer().address() as AddressInfo).port}`;
    const admin = await loginAdmin(h);
    inspector = (await officialIn(h, admin, 'INSP.36.73', ['inspector'])).token;
    handler = (await officialIn(h, admin, 'KEL.36.73.01.1001')).token;
  });
  afterAll(async () => {
    await h.close();
    await stopCli(witness);
    rmSync(witnessDir, { recursive: true, force: true });
    rmSync(pulledDir, { recursive: true, force: true });
  });

  it('publishes the log\u2019s public key as a signed-note verifier key, without a token', async () => {
    const json = await call(h, 'GET', '/api/v1/audit/checkpoints/public-key');
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ verifier_key: TEST_AUDIT_VERIFIER_KEY, name: 'test.aduan.invalid/audit', key_hash: 'bfe9d625', algorithm: 'Ed25519' });
    const text = await call(h, 'GET', '/api/v1/audit/checkpoints/public-key', { headers: { accept: 'text/plain' } });
    expect(text.body).toBe(`${TEST_AUDIT_VERIFIER_KEY}\n`);
  });

  it('seals a new complaint\u2019s entries into a signed, witnessed checkpoint; its inclusion proof checks against it', async () => {
    const filed = await call(h, 'POST', '/api/v1/complaints', { body: complaintBody() });
    await h.quiet();
    const [entry]: { id: string }[] = await h.db.query(
      `SELECT a.id FROM audit_entry a JOIN complaint c ON a.stream = 'complaint:' || c.id WHERE c.tracking_number = $1 AND a.seq = 1`,
      [filed.body.tracking_number],
    );
    const proof = await eventually(async () => {
      const res = await call(h, 'GET', `/api/v1/audit/proofs/inclusion?entry=${entry.id}`, { token: inspector });
      return res.status === 200 ? res.body : null;
    }, 20_000, 'a checkpoint that includes the entry');
    expect(JSON.parse(proof.leaf_data)).toMatchObject({ id: entry.id, seq: 1 });
    expect(verifyInclusion(proof.leaf_index, proof.tree_size, hashLeaf(proof.leaf_data), proof.proof.map(b), b(proof.root_hash))).toBe(true);
    const checkpoint = openCheckpoint(proof.checkpoint, [logKey]);
    expect(checkpoint).toMatchObject({ signedByLog: true, treeSize: proof.tree_size });

    const cosigned = await eventually(async () => {
      const list = (await call(h, 'GET', `/api/v1/audit/checkpoints?after=${proof.tree_size - 1}&limit=1`)).body;
      return list[0]?.cosigned_by.length ? list[0] : null;
    }, 20_000, 'the witness\u2019s cosignature');
    expect(cosigned.cosigned_by).toEqual(['test.aduan.invalid/witness']);
  });

  it('lists checkpoints oldest first, each signed, and proves each one a prefix of the next', async () => {
    const list: { tree_size: number; root_hash: string; note: string }[] = (await call(h, 'GET', '/api/v1/audit/checkpoints')).body;
    expect(list.length).toBeGreaterThan(0);
    const sizes = list.map((c) => c.tree_size);
    expect([...sizes].sort((x, y) => x - y)).toEqual(sizes);
    for (const c of list) expect(openCheckpoint(c.note, [logKey]).signedByLog).toBe(true);
    for (let i = 1; i < list.length; i += 1) {
      const res = await call(h, 'GET', `/api/v1/audit/proofs/consistency?first=${list[i - 1].tree_size}&second=${list[i].tree_size}`);
      expect(verifyConsistency(list[i - 1].tree_size, list[i].tree_size, b(list[i - 1].root_hash), b(list[i].root_hash), res.body.proof.map(b))).toBe(true);
    }
    const latest = await call(h, 'GET', '/api/v1/audit/checkpoint');
    expect(latest.headers['content-type']).toMatch(/^text\/plain/);
    expect(openCheckpoint(latest.body, [logKey]).signedByLog).toBe(true);
  });

  it('refuses bad proof requests clearly', async () => {
    expect((await call(h, 'GET', '/api/v1/audit/proofs/consistency?first=5&second=2')).status).toBe(422);
    expect((await call(h, 'GET', '/api/v1/audit/proofs/consistency?first=1&second=999999999')).status).toBe(404);
    expect((await call(h, 'GET', '/api/v1/audit/proofs/consistency?first=x&second=2')).status).toBe(422);
    expect((await call(h, 'GET', '/api/v1/audit/proofs/inclusion?entry=00000000-0000-4000-8000-000000000000')).status).toBe(401);
    expect((await call(h, 'GET', '/api/v1/audit/proofs/inclusion?entry=00000000-0000-4000-8000-000000000000', { token: handler })).status).toBe(403);
    expect((await call(h, 'GET', '/api/v1/audit/proofs/inclusion?entry=00000000-0000-4000-8000-000000000000', { token: inspector })).status).toBe(404);
    expect((await call(h, 'GET', '/api/v1/audit/proofs/inclusion?entry=nope', { token: inspector })).status).toBe(422);
  });

  it('verifies the log in the background for the Inspektorat, with progress to poll', async () => {
    expect((await call(h, 'GET', '/api/v1/audit/verify', { token: handler })).status).toBe(403);
    expect((await call(h, 'GET', '/api/v1/audit/verify')).status).toBe(401);
    const first = await call(h, 'GET', '/api/v1/audit/verify', { token: inspector });
    expect([200, 202]).toContain(first.status);
    if (first.status === 202) expect(first.headers.location).toBe(`/api/v1/audit/verify/${first.body.id}`);
    const done = await eventually(async () => {
      const res = await call(h, 'GET', `/api/v1/audit/verify/${first.body.id}`, { token: inspector });
      return res.status === 200 ? res.body : null;
    }, 30_000, 'verify to finish');
    expect(done).toMatchObject({ id: first.body.id, status: 'done', ok: true, first_invalid: null, findings: [] });
    expect(done.entries_checked).toBeGreaterThan(0);
    expect(done.checkpoints_checked).toBeGreaterThan(0);
    expect((await call(h, 'GET', '/api/v1/audit/verify/00000000-0000-4000-8000-000000000000', { token: inspector })).status).toBe(404);
  });

  it('keeps copies outside: the push witness and a pulling witness hold the checkpoints, and verify-audit checks the log against them', async () => {
    const pulled = await runCli(['audit-witness', '--dir', pulledDir, '--url', base, '--key', TEST_AUDIT_VERIFIER_KEY], {});
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    const dbSizes = (await h.db.query(`SELECT tree_size FROM audit_checkpoint ORDER BY tree_size`)).map((r: { tree_size: string }) => Number(r.tree_size));
    const held = readOutsideCheckpoints(pulledDir).map((c) => openCheckpoint(c.note, [logKey]).treeSize);
    expect(held).toEqual(dbSizes.slice(0, held.length));
    expect(held.length).toBeGreaterThan(0);
    expect(readOutsideCheckpoints(witnessDir).length).toBeGreaterThan(0);

    const env = { DATABASE_URL: testRoleUrls().app, AUDIT_VERIFIER_KEY: TEST_AUDIT_VERIFIER_KEY };
    for (const dir of [witnessDir, pulledDir]) {
      const verified = await runCli(['verify-audit', '--checkpoints', dir], env);
      expect(verified.stdout).toMatch(/^OK: /);
      expect(verified.code).toBe(0);
    }
  });

  it('verify-audit names the interval and the fork when a copy held outside disagrees with the log (exit 2)', async () => {
    // A checkpoint the log's key signed over another history: what a witness would hold had the
    // log been rewritten after it took its copy.
    const [latest]: { tree_size: string }[] = await h.db.query(`SELECT tree_size FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1`);
    const earlier = readOutsideCheckpoints(pulledDir).map((c) => openCheckpoint(c.note, [logKey]).treeSize).filter((n) => n < Number(latest.tree_size)).pop() ?? 0;
    const signer = NoteSigner.parse(TEST_AUDIT_SIGNING_KEY);
    const file = join(pulledDir, '..', `${basename(pulledDir)}-forged.txt`);
    try {
      const held = readOutsideCheckpoints(pulledDir).map((c) => c.note).filter((note) => openCheckpoint(note, [logKey]).treeSize < Number(latest.tree_size)).join('');
      writeFileSync(file, held + signCheckpoint(signer, { origin: signer.name, treeSize: Number(latest.tree_size), rootHash: Buffer.alloc(32, 1) }));
      const verified = await runCli(['verify-audit', '--checkpoints', file, '--json'], { DATABASE_URL: testRoleUrls().app, AUDIT_VERIFIER_KEY: TEST_AUDIT_VERIFIER_KEY });
      expect(verified.code).toBe(2);
      const result = JSON.parse(verified.stdout);
      expect(result.ok).toBe(false);
      // (null when no copy held outside is older than the forged one: then nothing vouches for any leaf)
      expect(result.outside).toEqual({ last_matching: earlier > 0 ? earlier : null, first_mismatch: Number(latest.tree_size) });
      expect(result.first_invalid).toMatchObject({ kind: 'log_rewritten', interval: { from_leaf: earlier, to_leaf: Number(latest.tree_size) } });
      expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'checkpoint_fork', checkpoint: expect.objectContaining({ tree_size: Number(latest.tree_size) }) }));
    } finally {
      rmSync(file, { force: true });
    }
  });
});
