import { appendAudit, AuditSealer, NoteSigner, parseVerifierKey, verifyAuditLog, VerifyResult } from '@aduan/audit';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { asTamperingSuperuser } from '../support/audit-tamper';
import { Harness, startHarness } from '../support/harness';
import { TEST_AUDIT_SIGNING_KEY, TEST_AUDIT_VERIFIER_KEY, TEST_DATABASE_URL } from '../support/test-env';

const logKeys = [parseVerifierKey(TEST_AUDIT_VERIFIER_KEY)];

interface Entry {
  id: string;
  stream: string;
  seq: number;
  leaf: number;
}

/**
 * Verify reads the log in pages and keeps only the earliest findings, so its memory does not grow
 * with the log (docs/audit.md, "Verifying"). With small pages, the log here spans many
 * pages; what verify finds must not depend on the page size or on how many findings it keeps.
 */
describe('verify walks the audit log in pages', () => {
  let h: Harness;
  let db: DataSource;
  const streams = [0, 1, 2].map((i) => `test-verify-pages-${i}:${randomUUID()}`);
  let entries: Entry[] = [];
  const sizes: number[] = [];
  // Pages of four on this file's own log; on a log other files filled too, about 400 pages.
  let pageSize = 4;

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    db = h.db;
    // Interleaved, so that the chains' order (by stream) is not the tree's (by leaf); a checkpoint
    // after each round, so that they too span pages.
    const sealer = new AuditSealer(db, NoteSigner.parse(TEST_AUDIT_SIGNING_KEY), 60_000);
    for (let i = 0; i < 10; i += 1) {
      for (const stream of streams) {
        await db.transaction((m) => appendAudit(m, [{ stream, actor: { type: 'system' }, event: 'test.verify-pages', data: { i }, channel: 'cli' }]));
      }
      const round = await sealer.sealRound(true);
      if (round?.checkpoint) sizes.push(round.checkpoint.treeSize);
    }
    const [{ leaves }] = await db.query(`SELECT count(*)::int AS leaves FROM audit_leaf`);
    pageSize = Math.max(4, Math.ceil(leaves / 400));
    entries = (
      await db.query(`SELECT e.id, e.stream, e.seq, l.idx AS leaf FROM audit_entry e JOIN audit_leaf l ON l.entry_id = e.id WHERE e.stream = ANY($1) ORDER BY l.idx`, [streams])
    ).map((r: Entry & { leaf: string }) => ({ ...r, leaf: Number(r.leaf) }));
  });
  afterAll(() => h.close());

  const named = (e: Entry) => ({ id: e.id, stream: e.stream, seq: e.seq });
  const withoutTime = ({ duration_ms: _duration, ...rest }: VerifyResult) => rest;

  it('checks every entry and leaf in small pages and finds what one large page finds', async () => {
    const pages: { phase: string }[] = [];
    const paged = await verifyAuditLog(db, { logKeys, pageSize, onProgress: (p) => void pages.push(p) });
    const whole = await verifyAuditLog(db, { logKeys });
    const [{ total }] = await db.query(`SELECT count(*)::int AS total FROM audit_entry`);
    expect(paged.entries_checked).toBe(total);
    expect(withoutTime(paged)).toEqual(withoutTime(whole));
    // A report after every page of each walk.
    expect(pages.filter((p) => p.phase === 'tree').length).toBeGreaterThanOrEqual(Math.ceil(paged.leaves_checked / pageSize));
    expect(pages.filter((p) => p.phase === 'chains').length).toBeGreaterThanOrEqual(Math.ceil(total / pageSize));
  });

  it('names an entry changed in a middle page', async () => {
    const target = entries[16];
    const result = await asTamperingSuperuser(
      TEST_DATABASE_URL,
      (c) => c.query(`UPDATE audit_entry SET data = '{"i": 99}' WHERE id = $1`, [target.id]).then(() => undefined),
      (sql) => verifyAuditLog(sql, { logKeys, pageSize }),
    );
    expect(result.ok).toBe(false);
    expect(result.findings_total).toBe(1);
    expect(result.first_invalid).toMatchObject({
      kind: 'entry_changed',
      entry: named(target),
      leaf_index: target.leaf,
      message: `${target.stream} #${target.seq} (entri ${target.id}) tidak cocok dengan hash-nya sendiri: isinya diubah`,
      message_en: `${target.stream} #${target.seq} (entry ${target.id}) does not match its own hash: its content was changed`,
    });
  });

  it('names a checkpoint altered in a middle page, and finds with small pages what one page finds', async () => {
    const size = sizes[5];
    const run = (page?: number) =>
      asTamperingSuperuser(
        TEST_DATABASE_URL,
        (c) => c.query(`UPDATE audit_checkpoint SET root_hash = $2 WHERE tree_size = $1`, [size, Buffer.alloc(32, 7)]).then(() => undefined),
        (sql) => verifyAuditLog(sql, { logKeys, pageSize: page }),
      );
    const paged = await run(pageSize);
    expect(paged.first_invalid).toMatchObject({ kind: 'checkpoint_altered', checkpoint: { tree_size: size, held: 'database' } });
    expect(paged.checkpoints_checked).toBeGreaterThanOrEqual(10);
    expect(withoutTime(paged)).toEqual(withoutTime(await run()));
  });

  it('holds the tree against every checkpoint, page after page', async () => {
    const leaf = entries[4].leaf;
    const run = (page?: number) =>
      asTamperingSuperuser(
        TEST_DATABASE_URL,
        (c) => c.query(`UPDATE audit_leaf SET hash = $2 WHERE idx = $1`, [leaf, Buffer.alloc(32, 7)]).then(() => undefined),
        (sql) => verifyAuditLog(sql, { logKeys, pageSize: page, maxFindings: 1000 }),
      );
    const paged = await run(pageSize);
    const mismatched = paged.findings.filter((f) => f.kind === 'tree_mismatch').map((f) => f.checkpoint!.tree_size);
    expect(mismatched).toEqual(expect.arrayContaining(sizes.filter((size) => size > leaf)));
    expect(withoutTime(paged)).toEqual(withoutTime(await run()));
  });

  it('keeps only the earliest findings of many, the same ones whatever it keeps, and counts them all', async () => {
    const run = (maxFindings: number) =>
      asTamperingSuperuser(
        TEST_DATABASE_URL,
        async (c) => {
          await c.query(`UPDATE audit_entry SET data = '{"i": 99}' WHERE stream = ANY($1)`, [streams]);
          // One leaf gone too: a finding of the tree's walk among the chains'.
          await c.query(`DELETE FROM audit_leaf WHERE idx = $1`, [entries[20].leaf]);
        },
        (sql) => verifyAuditLog(sql, { logKeys, pageSize, maxFindings }),
      );
    const all = await run(1000);
    const few = await run(3);
    expect(all.findings_total).toBeGreaterThanOrEqual(31);
    expect(few.findings_total).toBe(all.findings_total);
    expect(few.findings).toEqual(all.findings.slice(0, 3));
    expect(few.first_invalid).toEqual(all.first_invalid);
    expect(all.first_invalid).toMatchObject({ kind: 'entry_changed', entry: named(entries[0]) });
    // In log order: by leaf, whichever walk found them.
    const leaves = all.findings.flatMap((f) => (f.leaf_index === undefined ? [] : [f.leaf_index]));
    expect(leaves).toEqual([...leaves].sort((a, b) => a - b));
  });
});
