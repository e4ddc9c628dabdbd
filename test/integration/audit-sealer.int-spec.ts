import {
  appendAudit,
  AuditSealer,
  consistencyProof,
  inclusionProof,
  MerkleFrontier,
  NoteSigner,
  openCheckpoint,
  parseVerifierKey,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from '@aduan/audit';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { Harness, startHarness } from '../support/harness';
import { TEST_AUDIT_SIGNING_KEY, TEST_AUDIT_VERIFIER_KEY } from '../support/test-env';

/** A transaction on its own connection, left open until the test commits it. */
async function openTransaction(db: DataSource): Promise<QueryRunner> {
  const runner = db.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  return runner;
}

async function write(runner: QueryRunner, stream: string, event = 'test.sealed'): Promise<void> {
  await appendAudit(runner.manager, [{ stream, actor: { type: 'system' }, event, channel: 'cli' }]);
}

async function leavesOf(db: DataSource, streams: string[]): Promise<{ idx: number; stream: string; seq: number }[]> {
  const rows: { idx: string; stream: string; seq: number }[] = await db.query(`SELECT idx, stream, seq FROM audit_leaf WHERE stream = ANY($1) ORDER BY idx`, [streams]);
  return rows.map((r) => ({ ...r, idx: Number(r.idx) }));
}

describe('the audit sealer: one Merkle tree over the whole log, in commit order', () => {
  let h: Harness;
  let db: DataSource;
  let sealer: AuditSealer;

  beforeAll(async () => {
    // No worker: this file's sealer is the only one, so each round is exactly the one the test runs.
    h = await startHarness({ worker: false });
    db = h.db;
    sealer = new AuditSealer(db, NoteSigner.parse(TEST_AUDIT_SIGNING_KEY), 60_000);
    await sealer.sealRound();
  });
  afterAll(() => h.close());

  it('seals an entry that commits after a later one was sealed (a late commit) once, in the next round', async () => {
    const late = `test-late:${randomUUID()}`;
    const early = `test-early:${randomUUID()}`;
    // The late transaction writes first (it has the smaller transaction id) and commits last.
    const lateTx = await openTransaction(db);
    await write(lateTx, late);
    const earlyTx = await openTransaction(db);
    await write(earlyTx, early);
    await earlyTx.commitTransaction();
    await earlyTx.release();

    const first = await sealer.sealRound();
    expect(await leavesOf(db, [late, early])).toEqual([{ idx: first!.treeSize - 1, stream: early, seq: 1 }]);

    await lateTx.commitTransaction();
    await lateTx.release();
    const second = await sealer.sealRound();
    expect(second!.sealed).toBe(1);
    const third = await sealer.sealRound();
    expect(third!.sealed).toBe(0);
    expect(await leavesOf(db, [late, early])).toEqual([
      { idx: first!.treeSize - 1, stream: early, seq: 1 },
      { idx: second!.treeSize - 1, stream: late, seq: 1 },
    ]);
  });

  it('never seals a rolled-back entry, nor one twice, with writers and sealers racing', async () => {
    const streams = Array.from({ length: 12 }, () => `test-race:${randomUUID()}`);
    const writers = streams.map(async (stream, i) => {
      for (let k = 0; k < 3; k += 1) {
        const tx = await openTransaction(db);
        await write(tx, stream, `test.race.${k}`);
        await new Promise((r) => setTimeout(r, (i * 7 + k * 13) % 40));
        // Every stream's second write rolls back; its third takes seq 2.
        if (k === 1) await tx.rollbackTransaction();
        else await tx.commitTransaction();
        await tx.release();
      }
    });
    const second = new AuditSealer(db, NoteSigner.parse(TEST_AUDIT_SIGNING_KEY), 60_000);
    let writing = true;
    const sealing = (async () => {
      let rounds = 0;
      while (writing) {
        await Promise.all([sealer.sealRound(), second.sealRound()]);
        rounds += 1;
      }
      return rounds;
    })();
    await Promise.all(writers);
    writing = false;
    expect(await sealing).toBeGreaterThan(0);
    await sealer.sealRound();

    const leaves = await leavesOf(db, streams);
    expect(leaves).toHaveLength(streams.length * 2);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_entry e WHERE e.stream = ANY($1) AND NOT EXISTS (SELECT 1 FROM audit_leaf l WHERE l.entry_id = e.id)`, [streams]);
    expect(n).toBe(0);
    // Within each chain, the tree holds seq 1 before seq 2.
    for (const stream of streams) expect(leaves.filter((l) => l.stream === stream).map((l) => l.seq)).toEqual([1, 2]);
  });

  it('stores every complete subtree: the stored root equals the root of all leaves, and proofs check', async () => {
    const leafRows: { hash: Buffer }[] = await db.query(`SELECT hash FROM audit_leaf ORDER BY idx`);
    const tree = MerkleFrontier.empty();
    for (const r of leafRows) tree.append(r.hash);
    expect((await rootAt(db, leafRows.length)).equals(tree.root())).toBe(true);

    const entryLeaf = leafRows.length - 3;
    const root = await rootAt(db, leafRows.length);
    expect(verifyInclusion(entryLeaf, leafRows.length, leafRows[entryLeaf].hash, await inclusionProof(db, entryLeaf, leafRows.length), root)).toBe(true);
    const half = Math.ceil(leafRows.length / 2);
    expect(verifyConsistency(half, leafRows.length, await rootAt(db, half), root, await consistencyProof(db, half, leafRows.length))).toBe(true);
  });

  it('signs a checkpoint of the sealed tree, only when something new was sealed', async () => {
    await db.transaction((m) => appendAudit(m, [{ stream: `test-checkpoint:${randomUUID()}`, actor: { type: 'system' }, event: 'test.checkpoint', channel: 'cli' }]));
    const round = await sealer.sealRound(true);
    expect(round!.checkpoint).not.toBeNull();
    const opened = openCheckpoint(round!.checkpoint!.note, [parseVerifierKey(TEST_AUDIT_VERIFIER_KEY)]);
    expect(opened).toMatchObject({ origin: 'test.aduan.invalid/audit', treeSize: round!.treeSize, signedByLog: true });
    expect(opened.rootHash.equals(await rootAt(db, round!.treeSize))).toBe(true);
    const [stored] = await db.query(`SELECT note FROM audit_checkpoint WHERE tree_size = $1`, [round!.treeSize]);
    expect(stored.note).toBe(round!.checkpoint!.note);
    expect((await sealer.sealRound(true))!.checkpoint).toBeNull();
  });
});
