import { appendAudit, AuditSealer, insertAuditSql, MerkleFrontier, NoteSigner, parseVerifierKey, rootAt, SealedAuditEntry, sealEntry, SealPage, verifyAuditLog } from '@aduan/audit';
import { SqlStatement } from '@aduan/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { Harness, startHarness } from '../support/harness';
import { TEST_AUDIT_SIGNING_KEY, TEST_AUDIT_VERIFIER_KEY } from '../support/test-env';

const logKeys = [parseVerifierKey(TEST_AUDIT_VERIFIER_KEY)];

async function openTransaction(db: DataSource): Promise<QueryRunner> {
  const runner = db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  return runner;
}

async function write(db: DataSource, stream: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await db.transaction((m) => appendAudit(m, [{ stream, actor: { type: 'system' }, event: 'test.paged', data: { i }, channel: 'cli' }]));
  }
}

async function treeSize(db: DataSource): Promise<number> {
  const [{ size }] = await db.query(`SELECT coalesce(max(idx) + 1, 0) AS size FROM audit_leaf`);
  return Number(size);
}

async function leavesOf(db: DataSource, streams: string[]): Promise<{ idx: number; stream: string; seq: number }[]> {
  const rows: { idx: string; stream: string; seq: number }[] = await db.query(`SELECT idx, stream, seq FROM audit_leaf WHERE stream = ANY($1) ORDER BY idx`, [streams]);
  return rows.map((r) => ({ ...r, idx: Number(r.idx) }));
}

/** Every leaf once, each chain in seq order, and the stored nodes give the root of all leaves. */
async function expectWholeTree(db: DataSource, streams: string[], entries: number): Promise<void> {
  const leaves = await leavesOf(db, streams);
  expect(leaves).toHaveLength(entries);
  expect(new Set(leaves.map((l) => `${l.stream}#${l.seq}`)).size).toBe(entries);
  for (const stream of streams) {
    const seqs = leaves.filter((l) => l.stream === stream).map((l) => l.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  }
  const hashes: { hash: Buffer }[] = await db.query(`SELECT hash FROM audit_leaf ORDER BY idx`);
  const tree = MerkleFrontier.empty();
  for (const r of hashes) tree.append(r.hash);
  expect((await rootAt(db, hashes.length)).equals(tree.root())).toBe(true);
}

describe('the audit sealer commits a large round page by page', () => {
  let h: Harness;
  let db: DataSource;
  let sealer: AuditSealer;

  beforeAll(async () => {
    // No worker: this file's sealer is the only one.
    h = await startHarness({ worker: false });
    db = h.db;
    sealer = new AuditSealer(db, NoteSigner.parse(TEST_AUDIT_SIGNING_KEY), 60_000);
    await sealer.sealRound(true);
  });
  afterAll(() => h.close());

  it('stops between pages with a committed prefix, and a rerun finishes the round exactly once', async () => {
    const streams = Array.from({ length: 5 }, () => `test-paged:${randomUUID()}`);
    for (const stream of streams) await write(db, stream, 5);
    const start = await treeSize(db);

    // Stopped after two pages of five: ten leaves committed, the round kept for the next run.
    const stop = new AbortController();
    const pages: SealPage[] = [];
    const stopped = await sealer.sealRound(true, {
      pageSize: 5,
      stop: stop.signal,
      onPage: (page) => {
        pages.push(page);
        if (pages.length === 2) stop.abort();
      },
    });
    expect(stopped).toMatchObject({ sealed: 10, treeSize: start + 10, complete: false, begun: true, pages: 2 });
    expect(pages.map((p) => p.sealed)).toEqual([5, 5]);
    expect(await treeSize(db)).toBe(start + 10);
    const [state] = await db.query(`SELECT round_snapshot, round_after_txid FROM audit_seal_state WHERE id`);
    expect(state.round_snapshot).not.toBeNull();

    // Midway, verify holds: the rest of the round is pending, not "inserted".
    const midway = await verifyAuditLog(db, { logKeys });
    expect(midway.findings).toEqual([]);
    expect(midway.entries_pending).toBeGreaterThanOrEqual(15);

    // Written after the round began: not this round's, the next one's.
    const later = `test-paged-later:${randomUUID()}`;
    await write(db, later, 1);

    const resumed = await sealer.sealRound(false, { pageSize: 5 });
    expect(resumed).toMatchObject({ sealed: 15, complete: true, begun: false });
    expect(await leavesOf(db, [later])).toEqual([]);
    // The round vouches for what committed before it began, so that is its time, not its end's.
    const [{ before_later }] = await db.query(
      `SELECT s.sealed_at < (SELECT at FROM audit_entry WHERE stream = $1) AS before_later FROM audit_seal_state s WHERE s.id`,
      [later],
    );
    expect(before_later).toBe(true);
    const next = await sealer.sealRound(false, { pageSize: 5 });
    expect(next).toMatchObject({ sealed: 1, complete: true, begun: true });
    expect((await sealer.sealRound())!.sealed).toBe(0);

    await expectWholeTree(db, [...streams, later], 26);
    const result = await verifyAuditLog(db, { logKeys });
    expect(result.findings).toEqual([]);
    expect(result.entries_pending).toBe(0);
  });

  it('loses only the page under way when the sealer dies in it', async () => {
    const streams = Array.from({ length: 4 }, () => `test-paged-crash:${randomUUID()}`);
    for (const stream of streams) await write(db, stream, 3);
    const start = await treeSize(db);
    const stop = new AbortController();
    await sealer.sealRound(false, { pageSize: 4, stop: stop.signal, onPage: () => stop.abort() });
    expect(await treeSize(db)).toBe(start + 4);

    // The next page blocks on the seal state's row (held here), and its backend is killed there.
    const blocker = await openTransaction(db);
    await blocker.query(`SELECT 1 FROM audit_seal_state WHERE id FOR UPDATE`);
    const dying = sealer.sealRound(false, { pageSize: 4 });
    let pid: number | null = null;
    for (let i = 0; i < 100 && pid === null; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      const [row] = await db.query(`SELECT pid FROM pg_stat_activity WHERE query LIKE 'UPDATE audit_seal_state SET round_snapshot%' AND wait_event_type = 'Lock'`);
      pid = row?.pid ?? null;
    }
    expect(pid).not.toBeNull();
    await db.query(`SELECT pg_terminate_backend($1)`, [pid]);
    await expect(dying).rejects.toThrow();
    await blocker.rollbackTransaction();
    await blocker.release();
    expect(await treeSize(db)).toBe(start + 4);

    const rerun = await sealer.sealRound(true, { pageSize: 4 });
    expect(rerun).toMatchObject({ sealed: 8, complete: true, begun: false });
    await expectWholeTree(db, streams, 12);
    expect((await verifyAuditLog(db, { logKeys })).findings).toEqual([]);
  });

  it('keeps chain order when a later writer of a stream got the smaller transaction id', async () => {
    for (const pageSize of [1, 2000]) {
      const other = `test-paged-other:${randomUUID()}`;
      const stream = `test-paged-order:${randomUUID()}`;
      // A takes its transaction id first (writing elsewhere); B writes seq 1 of the stream and commits; then A writes seq 2.
      const a = await openTransaction(db);
      await appendAudit(a.manager, [{ stream: other, actor: { type: 'system' }, event: 'test.first', channel: 'cli' }]);
      await write(db, stream, 1);
      await appendAudit(a.manager, [{ stream, actor: { type: 'system' }, event: 'test.second', channel: 'cli' }]);
      await a.commitTransaction();
      await a.release();
      const [one, two] = await db.query(`SELECT seq, txid::text FROM audit_entry WHERE stream = $1 ORDER BY seq`, [stream]);
      expect(BigInt(two.txid)).toBeLessThan(BigInt(one.txid));

      await sealer.sealRound(false, { pageSize });
      expect((await leavesOf(db, [stream])).map((l) => l.seq)).toEqual([1, 2]);
      await expectWholeTree(db, [stream, other], 3);
    }
    expect((await verifyAuditLog(db, { logKeys })).findings).toEqual([]);
  });

  it('a worker sealing a backlog stops within a page of shutdown, and the next round seals the rest once', async () => {
    // 60,000 correctly chained entries, written as bulk SQL would (around the sealer).
    const streams = Array.from({ length: 20_000 }, () => `test-paged-backlog:${randomUUID()}`);
    for (let i = 0; i < streams.length; i += 2000) {
      const entries = streams.slice(i, i + 2000).flatMap((stream) => {
        let head: SealedAuditEntry | null = null;
        return [0, 1, 2].map((k) => (head = sealEntry({ stream, actor: { type: 'system' }, event: 'test.backlog', data: { k }, channel: 'cli' }, head)));
      });
      const statement = new SqlStatement();
      await db.query(insertAuditSql(statement, entries), statement.params);
    }
    const start = await treeSize(db);

    await h.startWorker();
    for (let i = 0; i < 500 && (await treeSize(db)) === start; i += 1) await new Promise((r) => setTimeout(r, 20));
    const stopping = Date.now();
    await h.stopWorker();
    const stopMs = Date.now() - stopping;
    const stoppedAt = await treeSize(db);
    // Its first page committed on its own, and shutdown did not wait for the rest of the round.
    expect(stoppedAt).toBeGreaterThan(start);
    expect(stoppedAt).toBeLessThan(start + 60_000);
    expect(stopMs).toBeLessThan(3000);

    const rest = await sealer.sealRound();
    expect(rest).toMatchObject({ sealed: start + 60_000 - stoppedAt, complete: true, begun: false });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_leaf WHERE stream LIKE 'test-paged-backlog:%'`);
    expect(n).toBe(60_000);
    const result = await verifyAuditLog(db, { logKeys });
    expect(result.findings).toEqual([]);
    expect(result.entries_pending).toBe(0);
  }, 120_000);
});
