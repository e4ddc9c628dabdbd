import { appendAudit, auditLeafData, AuditSealer, consistencyProof, inclusionProof, NoteSigner, rootAt } from '@aduan/audit';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Harness, startHarness } from '../support/harness';
import { TEST_AUDIT_SIGNING_KEY, TEST_AUDIT_VERIFIER_KEY } from '../support/test-env';

const ROOT = join(__dirname, '..', '..');
const GOPATH = '/usr/share/gocode';
const haveGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0 && existsSync(join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog'));
const itWithGo = haveGo ? it : it.skip;
const why = haveGo ? '' : ' [skipped: needs Debian\u2019s golang-go and golang-golang-x-mod-dev, which .ci/run installs]';

const b64 = (b: Buffer) => b.toString('base64');

/**
 * Aduan's checkpoints and proofs, checked by Go's golang.org/x/mod/sumdb/note and sumdb/tlog (the
 * Go checksum database's own code, as Debian packages it): note.Open opens every checkpoint with
 * the log's verifier key, tlog rebuilds the tree from the leaf data and gets every signed root,
 * and CheckRecord / CheckTree accept Aduan's proofs, which equal tlog's own ProveRecord / ProveTree.
 */
describe('cross-check with Go\u2019s sumdb/note and sumdb/tlog', () => {
  let h: Harness;
  let db: DataSource;
  let dir: string;
  let binary: string;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    db = h.db;
    dir = mkdtempSync(join(tmpdir(), 'aduan-tlog-'));
    binary = join(dir, 'tlog-crosscheck');
    if (haveGo) {
      execFileSync('go', ['build', '-o', binary, './tools/tlog-crosscheck'], { cwd: ROOT, env: { ...process.env, GO111MODULE: 'off', GOPATH, GOCACHE: join(dir, 'cache'), GOFLAGS: '' }, stdio: 'pipe' });
    }
    const sealer = new AuditSealer(db, NoteSigner.parse(TEST_AUDIT_SIGNING_KEY), 60_000);
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i <= round * 3; i += 1) {
        await db.transaction((m) => appendAudit(m, [{ stream: `test-tlog:${randomUUID()}`, actor: { type: 'system' }, event: 'test.tlog', data: { round, i }, channel: 'cli' }]));
      }
      await sealer.sealRound(true);
    }
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function input(): Promise<Record<string, unknown>> {
    const leaves: { id: string; stream: string; seq: number; hash: string }[] = await db.query(`SELECT e.id, e.stream, e.seq, e.hash FROM audit_leaf l JOIN audit_entry e ON e.id = l.entry_id ORDER BY l.idx`);
    const checkpoints: { tree_size: string; note: string; root_hash: Buffer }[] = await db.query(`SELECT tree_size, note, root_hash FROM audit_checkpoint ORDER BY tree_size`);
    const sizes = checkpoints.map((c) => Number(c.tree_size));
    const roots = new Map(checkpoints.map((c) => [Number(c.tree_size), b64(c.root_hash)]));
    const inclusion = [];
    for (const size of sizes) {
      for (const index of new Set([0, Math.floor(size / 2), size - 1])) {
        inclusion.push({ leaf_index: index, tree_size: size, leaf_data: auditLeafData(leaves[index]), root_hash: roots.get(size), proof: (await inclusionProof(db, index, size)).map(b64) });
      }
    }
    const consistency = [];
    for (let i = 0; i < sizes.length; i += 1) {
      for (const first of new Set([1, sizes[Math.max(0, i - 1)]])) {
        if (first > sizes[i]) continue;
        consistency.push({ first, second: sizes[i], first_root: b64(await rootAt(db, first)), second_root: roots.get(sizes[i]), proof: (await consistencyProof(db, first, sizes[i])).map(b64) });
      }
    }
    return { verifier_key: TEST_AUDIT_VERIFIER_KEY, leaves: leaves.map(auditLeafData), checkpoints: checkpoints.map((c) => c.note), inclusion, consistency };
  }

  const crosscheck = (doc: unknown) => spawnSync(binary, [], { input: JSON.stringify(doc), encoding: 'utf8', timeout: 60_000 });

  itWithGo(`accepts every checkpoint, root and proof, and Go builds the same proofs${why}`, async () => {
    const doc = await input();
    const result = crosscheck(doc);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    const n = { checkpoints: (doc.checkpoints as unknown[]).length, inclusion: (doc.inclusion as unknown[]).length, consistency: (doc.consistency as unknown[]).length };
    expect(n.checkpoints).toBeGreaterThanOrEqual(3);
    expect(report).toEqual({
      checkpoints_opened: n.checkpoints,
      roots_matched: n.checkpoints,
      inclusion_checked: n.inclusion,
      inclusion_same_as_go: n.inclusion,
      consistency_checked: n.consistency,
      consistency_same_as_go: n.consistency,
      errors: [],
    });
    expect(result.status).toBe(0);
  });

  itWithGo(`refuses a changed leaf, a changed signature and a wrong proof (the cross-check can fail)${why}`, async () => {
    const doc = await input();
    const leaves = [...(doc.leaves as string[])];
    leaves[1] = leaves[1].replace(/"seq":\d+/, '"seq":99');
    const checkpoints = (doc.checkpoints as string[]).map((note, i) => (i === 0 ? note.replace(/ (\S)(\S*)\n$/, (_m, c: string, rest: string) => ` ${c === 'A' ? 'B' : 'A'}${rest}\n`) : note));
    const inclusion = (doc.inclusion as { proof: string[] }[]).map((p, i) => (i === 1 ? { ...p, proof: p.proof.slice(1) } : p));
    const result = crosscheck({ ...doc, leaves, checkpoints, inclusion });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.checkpoints_opened).toBe((doc.checkpoints as unknown[]).length - 1);
    expect(report.roots_matched).toBe(0);
    expect(report.errors.join('\n')).toMatch(/does not open with the log's key/);
    expect(report.errors.join('\n')).toMatch(/tlog computes/);
    expect(report.errors.join('\n')).toMatch(/inclusion of leaf/);
  });
});
