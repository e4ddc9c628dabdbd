import {
  appendAudit,
  AuditSealer,
  checkpointText,
  NoteSigner,
  OutsideCheckpoint,
  parseVerifierKey,
  rootAt,
  verifyAuditLog,
  VerifyResult,
} from '@aduan/audit';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { asTamperingSuperuser, rebuildTree, rehashChain, sqlOf } from '../support/audit-tamper';
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
 * A database administrator rewrites the audit log as the PostgreSQL superuser with the triggers
 * off, in each way the issue names, and verify must name exactly what was done. Every tamper runs
 * in a transaction that is rolled back (other files share this log).
 */
describe('verify names what a database administrator did to the audit log', () => {
  let h: Harness;
  let db: DataSource;
  let sealer: AuditSealer;
  const outside: OutsideCheckpoint[] = [];
  const chain = { a: `test-tamper-a:${randomUUID()}`, b: `test-tamper-b:${randomUUID()}` };
  let entries: Entry[] = [];
  const sizes: number[] = [];

  async function write(stream: string, n: number): Promise<void> {
    for (let i = 0; i < n; i += 1) {
      await db.transaction((m) => appendAudit(m, [{ stream, actor: { type: 'official', id: randomUUID() }, event: 'test.tamper', data: { i, note: `langkah ${i}` }, channel: 'api' }]));
    }
  }

  /** Seals, signs a checkpoint and keeps a copy of it outside, as a witness would. */
  async function checkpoint(): Promise<void> {
    const round = await sealer.sealRound(true);
    if (round?.checkpoint) {
      outside.push({ note: round.checkpoint.note, source: `witness/${round.checkpoint.treeSize}` });
      sizes.push(round.checkpoint.treeSize);
    }
  }

  beforeAll(async () => {
    h = await startHarness({ worker: false });
    db = h.db;
    sealer = new AuditSealer(db, NoteSigner.parse(TEST_AUDIT_SIGNING_KEY), 60_000);
    // Four checkpoints: whatever the log held before, then after each batch below.
    await write(`test-tamper-start:${randomUUID()}`, 1);
    await checkpoint();
    await write(chain.a, 4);
    await checkpoint();
    await write(chain.b, 4);
    await checkpoint();
    await write(chain.a, 2);
    await checkpoint();
    entries = (
      await db.query(`SELECT e.id, e.stream, e.seq, l.idx AS leaf FROM audit_entry e JOIN audit_leaf l ON l.entry_id = e.id WHERE e.stream = ANY($1) ORDER BY l.idx`, [[chain.a, chain.b]])
    ).map((r: Entry & { leaf: string }) => ({ ...r, leaf: Number(r.leaf) }));
  });
  afterAll(() => h.close());

  const entry = (stream: string, seq: number) => entries.find((e) => e.stream === stream && e.seq === seq)!;
  const named = (e: Entry) => ({ id: e.id, stream: e.stream, seq: e.seq });
  const check = (tamper: (c: Client) => Promise<void>, withOutside = false): Promise<VerifyResult> =>
    asTamperingSuperuser(TEST_DATABASE_URL, tamper, (sql) => verifyAuditLog(sql, { logKeys, outside: withOutside ? outside : undefined }));

  it('finds nothing wrong in the log as written, against the database and the outside copies', async () => {
    const result = await check(async () => undefined, true);
    expect(result.findings).toEqual([]);
    expect(result).toMatchObject({ ok: true, outside: { last_matching: sizes[sizes.length - 1], first_mismatch: null } });
    expect(result.entries_checked).toBeGreaterThanOrEqual(10);
  });

  it('names an entry whose text was changed', async () => {
    const target = entry(chain.a, 2);
    const result = await check((c) => c.query(`UPDATE audit_entry SET data = jsonb_set(data, '{note}', '"diubah"') WHERE id = $1`, [target.id]).then(() => undefined));
    expect(result.first_invalid).toMatchObject({ kind: 'entry_changed', entry: named(target), leaf_index: target.leaf });
  });

  it('names an entry whose text was changed and its chain hashed again (the chain checks; its leaf does not)', async () => {
    const target = entry(chain.a, 2);
    const result = await check(async (c) => {
      await c.query(`UPDATE audit_entry SET data = jsonb_set(data, '{note}', '"diubah"') WHERE id = $1`, [target.id]);
      await rehashChain(c, chain.a);
    });
    expect(result.first_invalid).toMatchObject({ kind: 'entry_changed', entry: named(target), leaf_index: target.leaf });
    // Bahasa Indonesia first, English beside it.
    expect(result.first_invalid).toMatchObject({
      message: `entri ${target.id} (${chain.a} #2) tidak sama dengan yang disegel pada daun ${target.leaf}: entri itu diubah setelah disegel (dan hash rantainya dihitung ulang)`,
      message_en: `entry ${target.id} (${chain.a} #2) is not what was sealed at leaf ${target.leaf}: it was changed after sealing (and its chain hashed again)`,
    });
    expect(result.findings.filter((f) => f.kind === 'chain_broken')).toEqual([]);
  });

  it('names a chain\u2019s last entry that was deleted, even after the next action chained onto the one before it', async () => {
    const tail = entry(chain.a, 6);
    const before = entry(chain.a, 5);
    const result = await check(async (c) => {
      await c.query(`DELETE FROM audit_entry WHERE id = $1`, [tail.id]);
      // The next action takes seq 6 again and links to #5: the chain alone looks whole.
      const [{ hash }] = (await c.query(`SELECT hash FROM audit_entry WHERE id = $1`, [before.id])).rows;
      await c.query(
        `INSERT INTO audit_entry (id, stream, seq, at, actor_type, event, data, channel, outcome, prev_hash, hash) VALUES ($1, $2, 6, now(), 'system', 'test.next', '{}', 'cli', 'success', $3, 'x')`,
        [randomUUID(), chain.a, hash],
      );
      await rehashChain(c, chain.a);
    });
    expect(result.first_invalid).toMatchObject({ kind: 'entry_removed', entry: named(tail), leaf_index: tail.leaf });
  });

  it('names an entry deleted from the middle of a chain', async () => {
    const target = entry(chain.b, 2);
    const result = await check((c) => c.query(`DELETE FROM audit_entry WHERE id = $1`, [target.id]).then(() => undefined));
    expect(result.first_invalid).toMatchObject({ kind: 'entry_removed', entry: named(target), leaf_index: target.leaf });
    expect(result.findings.filter((f) => f.kind === 'entry_removed')).toHaveLength(1);
  });

  it('names an entry inserted into a chain, with the entries after it renumbered and hashed again', async () => {
    const forged = randomUUID();
    const shifted = entry(chain.b, 3);
    const result = await check(async (c) => {
      await c.query(`UPDATE audit_entry SET seq = seq + 100 WHERE stream = $1 AND seq >= 3`, [chain.b]);
      await c.query(`UPDATE audit_entry SET seq = seq - 99 WHERE stream = $1 AND seq >= 100`, [chain.b]);
      // Written with an old transaction id, as if the sealer had passed it by.
      await c.query(
        `INSERT INTO audit_entry (id, stream, seq, at, actor_type, event, data, channel, outcome, prev_hash, hash, txid) VALUES ($1, $2, 3, now(), 'system', 'test.forged', '{}', 'cli', 'success', NULL, 'x', 1)`,
        [forged, chain.b],
      );
      await rehashChain(c, chain.b);
    });
    expect(result.first_invalid).toMatchObject({ kind: 'entry_inserted', entry: { id: forged, stream: chain.b, seq: 3 } });
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'entry_reordered', entry: { id: shifted.id, stream: chain.b, seq: 4 } }));
  });

  it('names an entry appended around the sealer', async () => {
    const forged = randomUUID();
    const result = await check(async (c) => {
      const [{ hash }] = (await c.query(`SELECT hash FROM audit_entry WHERE stream = $1 AND seq = 4`, [chain.b])).rows;
      await c.query(
        `INSERT INTO audit_entry (id, stream, seq, at, actor_type, event, data, channel, outcome, prev_hash, hash, txid) VALUES ($1, $2, 5, now() - interval '1 day', 'system', 'test.backdated', '{}', 'cli', 'success', $3, 'x', 1)`,
        [forged, chain.b, hash],
      );
      await rehashChain(c, chain.b);
    });
    expect(result.first_invalid).toMatchObject({ kind: 'entry_inserted', entry: { id: forged, stream: chain.b, seq: 5 } });
  });

  it('names the first of two entries whose order was swapped (chain hashed again)', async () => {
    const first = entry(chain.a, 2);
    const result = await check(async (c) => {
      await c.query(`UPDATE audit_entry SET seq = seq + 100 WHERE stream = $1 AND seq IN (2, 3)`, [chain.a]);
      await c.query(`UPDATE audit_entry SET seq = CASE seq WHEN 102 THEN 3 ELSE 2 END WHERE stream = $1 AND seq IN (102, 103)`, [chain.a]);
      await rehashChain(c, chain.a);
    });
    expect(result.first_invalid).toMatchObject({ kind: 'entry_reordered', entry: { id: first.id, stream: chain.a, seq: 3 }, leaf_index: first.leaf });
  });

  it('names a checkpoint whose root was altered', async () => {
    const size = sizes[1];
    const result = await check(async (c) => {
      const [{ note }] = (await c.query(`SELECT note FROM audit_checkpoint WHERE tree_size = $1`, [size])).rows;
      const lines = note.split('\n');
      lines[2] = Buffer.alloc(32, 9).toString('base64');
      await c.query(`UPDATE audit_checkpoint SET note = $2, root_hash = $3 WHERE tree_size = $1`, [size, lines.join('\n'), Buffer.alloc(32, 9)]);
    });
    expect(result.first_invalid).toMatchObject({ kind: 'checkpoint_altered', checkpoint: { tree_size: size, held: 'database' } });
  });

  it('cannot see a rewound checkpoint table alone, and names every removed checkpoint with the outside copies', async () => {
    const rewind = (c: Client) => c.query(`DELETE FROM audit_checkpoint WHERE tree_size >= $1`, [sizes[2]]).then(() => undefined);
    expect((await check(rewind)).ok).toBe(true);
    const result = await check(rewind, true);
    expect(result.findings.filter((f) => f.kind === 'checkpoint_removed').map((f) => f.checkpoint!.tree_size)).toEqual([sizes[2], sizes[3]]);
  });

  it('after a full recomputation (entry changed, chain and tree rebuilt, checkpoints rewound and signed again) names the interval the outside copies pin down', async () => {
    // Changed: chain b's #2, sealed between the second and third checkpoints.
    const target = entry(chain.b, 2);
    expect(target.leaf).toBeGreaterThanOrEqual(sizes[1]);
    expect(target.leaf).toBeLessThan(sizes[2]);
    const tamper = async (c: Client) => {
      await c.query(`UPDATE audit_entry SET data = jsonb_set(data, '{note}', '"diubah"') WHERE id = $1`, [target.id]);
      await rehashChain(c, chain.b);
      await rebuildTree(c);
      await c.query(`DELETE FROM audit_checkpoint WHERE tree_size > $1`, [sizes[1]]);
      // The sealer signs whatever tree it finds: a new checkpoint over the rewritten log.
      const signer = NoteSigner.parse(TEST_AUDIT_SIGNING_KEY);
      const size = sizes[3];
      const root = await rootAt(sqlOf(c), size);
      await c.query(`INSERT INTO audit_checkpoint (tree_size, root_hash, note) VALUES ($1, $2, $3)`, [size, root, signer.sign(checkpointText({ origin: signer.name, treeSize: size, rootHash: root }))]);
    };
    // Without outside copies, the database is consistent with itself: nothing to see.
    expect((await check(tamper)).findings).toEqual([]);
    const result = await check(tamper, true);
    expect(result.outside).toEqual({ last_matching: sizes[1], first_mismatch: sizes[2] });
    expect(result.first_invalid).toMatchObject({ kind: 'log_rewritten', interval: { from_leaf: sizes[1], to_leaf: sizes[2] } });
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'checkpoint_fork', checkpoint: expect.objectContaining({ tree_size: sizes[3] }) }));
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'checkpoint_removed', checkpoint: expect.objectContaining({ tree_size: sizes[2] }) }));
  });

  it('names the removed tail of the log when entries, leaves and checkpoints at the end were deleted', async () => {
    const last = entries[entries.length - 1];
    const result = await check(async (c) => {
      await c.query(`DELETE FROM audit_entry WHERE id IN (SELECT entry_id FROM audit_leaf WHERE idx >= $1)`, [last.leaf]);
      await c.query(`DELETE FROM audit_node WHERE (idx + 1) * (1::bigint << level) > $1`, [last.leaf]);
      await c.query(`DELETE FROM audit_leaf WHERE idx >= $1`, [last.leaf]);
      await c.query(`DELETE FROM audit_checkpoint WHERE tree_size > $1`, [last.leaf]);
    }, true);
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'tree_truncated', checkpoint: expect.objectContaining({ tree_size: sizes[3], held: 'outside' }) }));
    expect(result.outside).toEqual({ last_matching: sizes[2], first_mismatch: sizes[3] });
    expect(result.first_invalid).toMatchObject({ kind: 'log_rewritten', interval: { from_leaf: sizes[2], to_leaf: sizes[3] } });
  });
});
