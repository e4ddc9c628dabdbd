import { AuditEntryRow, hashOfRow } from '../audit-chain';
import { openCheckpoint } from '../checkpoints/checkpoint';
import { NoteError, NoteVerifier } from '../checkpoints/signed-note';
import { auditLeafHash } from '../merkle/audit-leaf';
import { MerkleFrontier } from '../merkle/merkle';
import { rootAt, Sql } from '../merkle/tree-store';
import { parseSnapshot } from '../seal/audit-sealer';

/** What verify found wrong; `kind` says what, the other fields say where. */
export type FindingKind =
  | 'entry_changed'
  | 'entry_removed'
  | 'entry_inserted'
  | 'entry_reordered'
  | 'chain_broken'
  | 'leaf_missing'
  | 'tree_truncated'
  | 'tree_mismatch'
  | 'tree_nodes_mismatch'
  | 'checkpoint_altered'
  | 'checkpoint_removed'
  | 'checkpoint_fork'
  | 'log_rewritten';

export interface EntryRef {
  /** null when nothing remembers it: a chain's missing seq whose leaf went too */
  id: string | null;
  stream: string;
  seq: number;
}

export interface Finding {
  kind: FindingKind;
  /** Bahasa Indonesia */
  message: string;
  message_en: string;
  entry?: EntryRef;
  leaf_index?: number;
  checkpoint?: { tree_size: number; root_hash: string; held: 'database' | 'outside'; source?: string };
  /** the leaves a checkpoint comparison can no longer vouch for: [from_leaf, to_leaf) */
  interval?: { from_leaf: number; to_leaf: number; from_tree_size: number; to_tree_size: number; first_entry_at?: string | null; last_entry_at?: string | null };
}

/** A checkpoint kept outside the database (a witness directory, a file), with where it came from. */
export interface OutsideCheckpoint {
  note: string;
  source: string;
}

export interface VerifyProgress {
  phase: 'checkpoints' | 'tree' | 'chains' | 'done';
  leaves_total: number;
  leaves_checked: number;
  entries_total: number;
  entries_checked: number;
  checkpoints_checked: number;
}

export interface VerifyResult {
  ok: boolean;
  tree_size: number;
  entries_checked: number;
  leaves_checked: number;
  /** entries committed after the sealer's last round: not in the tree yet, rightly */
  entries_pending: number;
  checkpoints_checked: number;
  outside_checkpoints_checked: number;
  /** outside copies not signed by the log's key, which prove nothing and were left aside */
  outside_checkpoints_ignored: string[];
  first_invalid: Finding | null;
  findings: Finding[];
  findings_total: number;
  /** held against the outside copies: the last that still matches the database, the first that does not */
  outside: { last_matching: number | null; first_mismatch: number | null } | null;
  duration_ms: number;
}

export interface VerifyOptions {
  /** the log's public keys (the current one, and any earlier one) */
  logKeys: readonly NoteVerifier[];
  outside?: readonly OutsideCheckpoint[];
  onProgress?: (progress: VerifyProgress) => void | Promise<void>;
  pageSize?: number;
  /** findings kept in the result (all are counted) */
  maxFindings?: number;
}

interface Positioned extends Finding {
  /** where in the log it lies, to tell which came first: a leaf index (checkpoints: size − 1) */
  position: number;
}

interface SignedHead {
  treeSize: number;
  root: Buffer;
  held: 'database' | 'outside';
  source?: string;
}

const b64 = (b: Buffer) => b.toString('base64');

/**
 * Checks every chain, every leaf against its entry, the tree against every checkpoint (in the
 * database and outside) and their signatures; read-only. Findings are in log order, so
 * `first_invalid` is the earliest.
 */
export async function verifyAuditLog(db: Sql, options: VerifyOptions): Promise<VerifyResult> {
  const started = Date.now();
  const pageSize = options.pageSize ?? 5000;
  const findings = new EarliestFindings(options.maxFindings ?? 100);
  const add = (f: Positioned) => findings.add(f);
  const [totals] = await db.query(`SELECT (SELECT count(*) FROM audit_entry)::bigint AS entries, (SELECT coalesce(max(idx) + 1, 0) FROM audit_leaf)::bigint AS leaves`);
  const progress: VerifyProgress = { phase: 'checkpoints', leaves_total: Number(totals.leaves), leaves_checked: 0, entries_total: Number(totals.entries), entries_checked: 0, checkpoints_checked: 0 };
  const report = async () => options.onProgress?.({ ...progress });
  await report();

  const ignored: string[] = [];
  const outside: SignedHead[] = [];
  for (const copy of options.outside ?? []) {
    try {
      const opened = openCheckpoint(copy.note, options.logKeys);
      if (opened.signedByLog) outside.push({ treeSize: opened.treeSize, root: opened.rootHash, held: 'outside', source: copy.source });
      else ignored.push(`${copy.source}: not signed by the log's key`);
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
      ignored.push(`${copy.source}: ${error.message}`);
    }
  }
  const outsideSizes = new Set(outside.map((h) => h.treeSize));

  // 1. Checkpoints, a page at a time: each row must be a note the log's key signed, saying what
  // the row says. Kept for later: the heads at sizes held outside, those whose note names another
  // size than their row (each a finding), the largest size and the last row.
  const databaseSizes = new Map<number, SignedHead>();
  const databaseRows = new Set<number>();
  const moved: { row: number; head: SignedHead }[] = [];
  let largestDatabase = 0;
  let lastRow = -1;
  for (;;) {
    const rows = await checkpointRows(db, lastRow, null, pageSize);
    for (const row of rows) {
      const size = Number(row.tree_size);
      const { head, finding } = databaseHead(row, options.logKeys);
      if (finding) add(finding);
      if (head) {
        if (head.treeSize !== size) moved.push({ row: size, head });
        largestDatabase = Math.max(largestDatabase, head.treeSize);
        if (outsideSizes.has(head.treeSize)) databaseSizes.set(head.treeSize, head);
      }
      if (outsideSizes.has(size)) databaseRows.add(size);
      progress.checkpoints_checked += 1;
    }
    if (rows.length > 0) lastRow = Number(rows[rows.length - 1].tree_size);
    if (rows.length < pageSize) break;
  }

  outside.sort((a, b) => a.treeSize - b.treeSize);
  // Two signed roots for one size is a fork: proof that the log's key signed two histories.
  const seenOutside = new Map<number, SignedHead>();
  for (const head of outside) {
    const other = seenOutside.get(head.treeSize) ?? databaseSizes.get(head.treeSize);
    if (other && !other.root.equals(head.root)) {
      add({
        kind: 'checkpoint_fork', position: head.treeSize - 1,
        checkpoint: { tree_size: head.treeSize, root_hash: b64(head.root), held: 'outside', source: head.source },
        message: `dua checkpoint ukuran ${head.treeSize} sama-sama ditandatangani dengan kunci log tetapi akarnya berbeda (${other.held === 'database' ? 'basis data' : other.source}: ${b64(other.root)}; ${head.source}: ${b64(head.root)}): riwayat log ditulis ulang lalu ditandatangani lagi`,
        message_en: `two checkpoints of size ${head.treeSize} are both signed by the log's key with different roots (${other.held === 'database' ? 'the database' : other.source}: ${b64(other.root)}; ${head.source}: ${b64(head.root)}): the log's history was rewritten and re-signed`,
      });
    }
    seenOutside.set(head.treeSize, head);
    if (!databaseSizes.has(head.treeSize) && !databaseRows.has(head.treeSize)) {
      add({
        kind: 'checkpoint_removed', position: head.treeSize - 1,
        checkpoint: { tree_size: head.treeSize, root_hash: b64(head.root), held: 'outside', source: head.source },
        message: `checkpoint ukuran ${head.treeSize} yang disimpan di luar (${head.source}) tidak ada di basis data: tabel checkpoint dimundurkan atau barisnya dihapus`,
        message_en: `the checkpoint of size ${head.treeSize} held outside (${head.source}) is missing from the database: the checkpoint table was rewound or rows were deleted`,
      });
    }
  }

  // 2. The tree, leaf by leaf: each leaf row must seal the entry it names, and the leaf rows must
  // give every signed root.
  progress.phase = 'tree';
  await report();
  const outsideAt = new Map<number, SignedHead[]>();
  for (const head of outside) outsideAt.set(head.treeSize, [...(outsideAt.get(head.treeSize) ?? []), head]);
  // The database's heads of the sizes (loadedUpTo, upTo], in row order, read again a leaf page at a
  // time; the last of them in row order is the one the stored nodes must give.
  const headsAt = new Map<number, SignedHead[]>();
  let loadedUpTo = -1;
  let latest: { row: number; head: SignedHead } | null = null;
  let ahead: CheckpointRow[] = [];
  let readUpTo = -1;
  const loadHeads = async (upTo: number) => {
    headsAt.clear();
    const window = moved.filter((m) => m.head.treeSize > loadedUpTo && m.head.treeSize <= upTo);
    while (readUpTo < Math.min(upTo, lastRow)) {
      const rows = await checkpointRows(db, readUpTo, lastRow, pageSize);
      ahead.push(...rows);
      readUpTo = rows.length < pageSize ? lastRow : Number(rows[rows.length - 1].tree_size);
    }
    const taken = ahead.filter((row) => Number(row.tree_size) <= upTo);
    ahead = ahead.slice(taken.length);
    for (const row of taken) {
      const { head } = databaseHead(row, options.logKeys);
      if (head && head.treeSize === Number(row.tree_size)) window.push({ row: head.treeSize, head });
    }
    window.sort((a, b) => a.row - b.row);
    for (const w of window) {
      headsAt.set(w.head.treeSize, [...(headsAt.get(w.head.treeSize) ?? []), w.head]);
      if (!latest || w.row > latest.row) latest = w;
    }
    loadedUpTo = upTo;
  };
  const tree = MerkleFrontier.empty();
  let lastGoodDatabase = 0;
  let lastGoodOutside: number | null = null;
  let firstBadOutside: number | null = null;
  const compare = (size: number) => {
    for (const head of [...(headsAt.get(size) ?? []), ...(outsideAt.get(size) ?? [])]) {
      const matches = tree.root().equals(head.root);
      if (head.held === 'database') {
        if (matches) lastGoodDatabase = size;
        else {
          add({
            kind: 'tree_mismatch', position: size - 1,
            checkpoint: { tree_size: size, root_hash: b64(head.root), held: 'database' },
            interval: { from_leaf: lastGoodDatabase, to_leaf: size, from_tree_size: lastGoodDatabase, to_tree_size: size },
            message: `daun-daun tidak lagi menghasilkan akar yang ditandatangani pada ukuran ${size}: baris daun antara ${lastGoodDatabase} dan ${size} diubah, dihapus atau diurutkan ulang setelah ditandatangani`,
            message_en: `the leaves no longer give the root signed at size ${size}: leaf rows between ${lastGoodDatabase} and ${size} were changed, removed or reordered since they were signed`,
          });
        }
      } else if (matches && firstBadOutside === null) {
        lastGoodOutside = size;
      } else if (!matches && firstBadOutside === null) {
        firstBadOutside = size;
      }
    }
  };
  await loadHeads(0);
  compare(0);
  let expected = 0;
  const removedBySeal = new Set<string>();
  for (;;) {
    const page: { idx: string; entry_id: string; l_stream: string; l_seq: number; l_hash: Buffer; e_id: string | null; stream: string; seq: number; hash: string }[] = await db.query(
      `SELECT l.idx, l.entry_id, l.stream AS l_stream, l.seq AS l_seq, l.hash AS l_hash, e.id AS e_id, e.stream, e.seq, e.hash
         FROM audit_leaf l LEFT JOIN audit_entry e ON e.id = l.entry_id
        WHERE l.idx >= $1 ORDER BY l.idx LIMIT ${pageSize}`,
      [expected],
    );
    if (page.length === 0) break;
    await loadHeads(Number(page[page.length - 1].idx) + 1);
    for (const row of page) {
      const idx = Number(row.idx);
      if (idx !== expected) {
        add({ kind: 'leaf_missing', position: expected, leaf_index: expected, message: `pohon tidak memiliki daun ${expected}${idx - 1 > expected ? `–${idx - 1}` : ''}: baris daun dihapus`, message_en: `the tree has no leaves ${expected}${idx - 1 > expected ? `–${idx - 1}` : ''}: leaf rows were deleted` });
      }
      const sealed = { id: row.entry_id, stream: row.l_stream, seq: row.l_seq };
      if (row.e_id === null) {
        removedBySeal.add(`${row.l_stream}#${row.l_seq}`);
        add({ kind: 'entry_removed', position: idx, leaf_index: idx, entry: sealed, message: `entri ${row.entry_id} (${row.l_stream} #${row.l_seq}), yang disegel pada daun ${idx}, sudah tidak ada di log`, message_en: `entry ${row.entry_id} (${row.l_stream} #${row.l_seq}), sealed at leaf ${idx}, is gone from the log` });
      } else if (!auditLeafHash({ id: row.e_id, stream: row.stream, seq: row.seq, hash: row.hash }).equals(row.l_hash)) {
        const moved = row.stream !== row.l_stream || row.seq !== row.l_seq;
        add(
          moved
            ? { kind: 'entry_reordered', position: idx, leaf_index: idx, entry: { id: row.e_id, stream: row.stream, seq: row.seq }, message: `entri ${row.e_id} disegel sebagai ${row.l_stream} #${row.l_seq} (daun ${idx}) dan kini menjadi ${row.stream} #${row.seq}: urutan entri diubah`, message_en: `entry ${row.e_id} was sealed as ${row.l_stream} #${row.l_seq} (leaf ${idx}) and is now ${row.stream} #${row.seq}: entries were reordered` }
            : { kind: 'entry_changed', position: idx, leaf_index: idx, entry: sealed, message: `entri ${row.e_id} (${row.stream} #${row.seq}) tidak sama dengan yang disegel pada daun ${idx}: entri itu diubah setelah disegel (dan hash rantainya dihitung ulang)`, message_en: `entry ${row.e_id} (${row.stream} #${row.seq}) is not what was sealed at leaf ${idx}: it was changed after sealing (and its chain hashed again)` },
        );
      }
      tree.append(row.l_hash);
      expected = idx + 1;
      compare(expected);
      progress.leaves_checked = expected;
    }
    await report();
    if (page.length < pageSize) break;
  }
  const treeSize = expected;
  const largest = outside.reduce((max, h) => Math.max(max, h.treeSize), largestDatabase);
  const beyond: SignedHead[] = [];
  if (largestDatabase > treeSize && largestDatabase === largest) {
    const window = moved.filter((m) => m.head.treeSize === largest);
    for (const row of await checkpointRows(db, largest - 1, largest, 1)) {
      const { head } = databaseHead(row, options.logKeys);
      if (head && head.treeSize === largest) window.push({ row: largest, head });
    }
    beyond.push(...window.sort((a, b) => a.row - b.row).map((w) => w.head));
  }
  for (const head of [...beyond, ...outside.filter((h) => h.treeSize > treeSize)]) {
    if (head.held === 'outside' && firstBadOutside === null) firstBadOutside = head.treeSize;
    if (head.treeSize === largest) {
      add({
        kind: 'tree_truncated', position: treeSize,
        checkpoint: { tree_size: head.treeSize, root_hash: b64(head.root), held: head.held, source: head.source },
        message: `sebuah checkpoint ${head.held === 'database' ? 'di basis data' : `yang disimpan di luar (${head.source})`} mencakup ${head.treeSize} daun tetapi pohon hanya memiliki ${treeSize}: log dipotong (entri dihapus dari ujungnya)`,
        message_en: `a checkpoint ${head.held === 'database' ? 'in the database' : `held outside (${head.source})`} covers ${head.treeSize} leaves but the tree has ${treeSize}: the log was cut back (entries removed from its end)`,
      });
    }
  }
  // The stored nodes are what proofs are built from: they must give the same root.
  const last = (latest as { row: number; head: SignedHead } | null)?.head;
  if (last) {
    const stored = await rootAt(db, last.treeSize).catch(() => null);
    if (!stored || !stored.equals(last.root)) {
      add({ kind: 'tree_nodes_mismatch', position: last.treeSize - 1, checkpoint: { tree_size: last.treeSize, root_hash: b64(last.root), held: 'database' }, message: `simpul pohon yang tersimpan tidak menghasilkan akar yang ditandatangani pada ukuran ${last.treeSize}: bukti yang disajikan darinya tidak akan lolos pemeriksaan`, message_en: `the stored tree nodes do not give the root signed at size ${last.treeSize}: proofs served from them would not check` });
    }
  }
  if (firstBadOutside !== null) {
    const from = lastGoodOutside ?? 0;
    const to: number = Math.min(firstBadOutside, treeSize);
    const [span] = to > from ? await db.query(
      `SELECT min(e.at) AS first_at, max(e.at) AS last_at FROM audit_leaf l JOIN audit_entry e ON e.id = l.entry_id WHERE l.idx >= $1 AND l.idx < $2`,
      [from, to],
    ) : [{ first_at: null, last_at: null }];
    add({
      kind: 'log_rewritten', position: from,
      checkpoint: { tree_size: firstBadOutside, root_hash: b64(outside.find((h) => h.treeSize === firstBadOutside)!.root), held: 'outside', source: outside.find((h) => h.treeSize === firstBadOutside)!.source },
      interval: { from_leaf: from, to_leaf: firstBadOutside, from_tree_size: from, to_tree_size: firstBadOutside, first_entry_at: span.first_at?.toISOString?.() ?? null, last_entry_at: span.last_at?.toISOString?.() ?? null },
      message:
        `basis data tidak lagi memuat log yang ditandatangani oleh checkpoint ukuran ${firstBadOutside} yang disimpan di luar` +
        (lastGoodOutside !== null ? `, sedangkan checkpoint ukuran ${lastGoodOutside} masih cocok` : '') +
        `: antara daun ${from} dan daun ${firstBadOutside - 1} ada yang diubah, dihapus, disisipkan atau diurutkan ulang, lalu pohonnya dibangun ulang untuk menutupinya. Daun sebelum ${from} masih seperti saat ditandatangani.`,
      message_en:
        `the database no longer holds the log that the checkpoint of size ${firstBadOutside} held outside was signed over` +
        (lastGoodOutside !== null ? `, while the one of size ${lastGoodOutside} still matches` : '') +
        `: between leaf ${from} and leaf ${firstBadOutside - 1} something was changed, removed, inserted or reordered and the tree rebuilt to hide it. Leaves before ${from} are as they were signed.`,
    });
  }

  // 3. The chains: seq 1, 2, 3… each linking to the one before, each hash its own content, each
  // sealed (unless it committed after the sealer's last round), in chain order.
  progress.phase = 'chains';
  await report();
  const [sealState] = await db.query(`SELECT snapshot FROM audit_seal_state WHERE id`);
  const sealerSaw = parseSnapshot(sealState?.snapshot ?? null);
  const xip = new Set(sealerSaw.xip);
  const passedBySealer = (txid: string) => BigInt(txid) < BigInt(sealerSaw.xmax) && !xip.has(txid);
  let pending = 0;
  let previous: { stream: string; seq: number; hash: string; leaf: number | null } | null = null;
  let cursor: { stream: string; seq: number } | null = null;
  for (;;) {
    const page: ChainRow[] = await db.query(
      `SELECT e.id, e.stream, e.seq, e.at, e.actor_type, e.actor_id, e.event, e.data, e.channel, e.request_id, e.outcome, e.prev_hash, e.hash, e.txid, l.idx AS leaf
         FROM audit_entry e LEFT JOIN audit_leaf l ON l.entry_id = e.id
        WHERE ($1::text IS NULL OR (e.stream, e.seq) > ($1::text, $2::int))
        ORDER BY e.stream, e.seq LIMIT ${pageSize}`,
      [cursor?.stream ?? null, cursor?.seq ?? 0],
    );
    if (page.length === 0) break;
    for (const row of page) {
      const leaf = row.leaf === null ? null : Number(row.leaf);
      const ref = { id: row.id, stream: row.stream, seq: row.seq };
      const sameStream = previous?.stream === row.stream;
      const position = leaf ?? (sameStream && previous?.leaf !== null && previous?.leaf !== undefined ? previous.leaf + 0.5 : treeSize);
      const expectedSeq = sameStream ? previous!.seq + 1 : 1;
      // A gap whose leaf is still there was named by the tree walk, with its id.
      if (row.seq > expectedSeq && !removedBySeal.has(`${row.stream}#${expectedSeq}`)) {
        add({ kind: 'entry_removed', position, entry: { id: null, stream: row.stream, seq: expectedSeq }, message: `${row.stream} tidak memiliki entri #${expectedSeq}${row.seq - 1 > expectedSeq ? `–#${row.seq - 1}` : ''} (berikutnya #${row.seq}): dihapus dari rantai, beserta daunnya`, message_en: `${row.stream} has no entry #${expectedSeq}${row.seq - 1 > expectedSeq ? `–#${row.seq - 1}` : ''} (the next is #${row.seq}): removed from the chain, and its leaf with it` });
      }
      const expectedPrev = sameStream && row.seq === previous!.seq + 1 ? previous!.hash : row.seq === 1 ? null : undefined;
      if (expectedPrev !== undefined && row.prev_hash !== expectedPrev) {
        add({ kind: 'chain_broken', position, leaf_index: leaf ?? undefined, entry: ref, message: `${row.stream} #${row.seq} tidak tertaut ke entri sebelumnya: entri sebelumnya diubah, atau entri ini disisipkan`, message_en: `${row.stream} #${row.seq} does not link to the entry before it: an entry before it was changed, or this one was inserted` });
      }
      const computed = hashOfRow(row);
      if (computed !== row.hash) {
        add({ kind: 'entry_changed', position, leaf_index: leaf ?? undefined, entry: ref, message: `${row.stream} #${row.seq} (entri ${row.id}) tidak cocok dengan hash-nya sendiri: isinya diubah`, message_en: `${row.stream} #${row.seq} (entry ${row.id}) does not match its own hash: its content was changed` });
      }
      if (leaf === null) {
        if (passedBySealer(row.txid)) {
          add({ kind: 'entry_inserted', position, entry: ref, message: `${row.stream} #${row.seq} (entri ${row.id}) tidak ada di daun mana pun, padahal transaksinya selesai sebelum putaran terakhir penyegel: entri itu disisipkan dengan mengelak dari penyegel`, message_en: `${row.stream} #${row.seq} (entry ${row.id}) is in no leaf, though its transaction ended before the sealer's last round: it was inserted around the sealer` });
        } else {
          pending += 1;
        }
      } else if (sameStream && previous!.leaf !== null && leaf < previous!.leaf) {
        add({ kind: 'entry_reordered', position, leaf_index: leaf, entry: ref, message: `${row.stream} #${row.seq} disegel (daun ${leaf}) sebelum #${previous!.seq} (daun ${previous!.leaf}): urutan pohon diubah`, message_en: `${row.stream} #${row.seq} was sealed (leaf ${leaf}) before #${previous!.seq} (leaf ${previous!.leaf}): the tree's order was changed` });
      }
      previous = { stream: row.stream, seq: row.seq, hash: row.hash, leaf };
      progress.entries_checked += 1;
    }
    cursor = page[page.length - 1];
    await report();
    if (page.length < pageSize) break;
  }

  progress.phase = 'done';
  await report();
  const earliest = findings.earliest();
  return {
    ok: findings.total === 0,
    tree_size: treeSize,
    entries_checked: progress.entries_checked,
    leaves_checked: progress.leaves_checked,
    entries_pending: pending,
    checkpoints_checked: progress.checkpoints_checked,
    outside_checkpoints_checked: outside.length,
    outside_checkpoints_ignored: ignored,
    first_invalid: earliest[0] ?? null,
    findings: earliest.slice(0, options.maxFindings ?? 100),
    findings_total: findings.total,
    outside: options.outside ? { last_matching: lastGoodOutside, first_mismatch: firstBadOutside } : null,
    duration_ms: Date.now() - started,
  };
}

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  note: string;
}

/** Checkpoint rows of sizes (after, upTo], in size order. */
function checkpointRows(db: Sql, after: number, upTo: number | null, limit: number): Promise<CheckpointRow[]> {
  return db.query(`SELECT tree_size, root_hash, note FROM audit_checkpoint WHERE tree_size > $1 AND ($2::bigint IS NULL OR tree_size <= $2) ORDER BY tree_size LIMIT ${limit}`, [after, upTo]);
}

/** What a checkpoint row vouches for (its signed note's size and root), and what is wrong with it. */
function databaseHead(row: CheckpointRow, logKeys: readonly NoteVerifier[]): { head: SignedHead | null; finding: Positioned | null } {
  const size = Number(row.tree_size);
  const at = { tree_size: size, root_hash: b64(row.root_hash), held: 'database' as const };
  try {
    const opened = openCheckpoint(row.note, logKeys);
    if (!opened.signedByLog) {
      return { head: null, finding: { kind: 'checkpoint_altered', position: size - 1, checkpoint: at, message: `checkpoint ukuran ${size} di basis data tidak ditandatangani dengan kunci log: checkpoint itu diubah (atau ditandatangani dengan kunci yang tidak diberikan kepada verifikasi)`, message_en: `the checkpoint of size ${size} in the database is not signed by the log's key: it was altered (or signed by a key verify was not given)` } };
    }
    const head: SignedHead = { treeSize: opened.treeSize, root: opened.rootHash, held: 'database' };
    if (opened.treeSize !== size || !opened.rootHash.equals(row.root_hash)) {
      return { head, finding: { kind: 'checkpoint_altered', position: size - 1, checkpoint: at, message: `baris checkpoint ukuran ${size} tidak sesuai dengan catatan bertanda tangannya (ukuran ${opened.treeSize}, akar ${b64(opened.rootHash)}): baris itu diubah`, message_en: `the checkpoint row of size ${size} does not say what its signed note says (size ${opened.treeSize}, root ${b64(opened.rootHash)}): the row was altered` } };
    }
    return { head, finding: null };
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    return { head: null, finding: { kind: 'checkpoint_altered', position: size - 1, checkpoint: at, message: `checkpoint ukuran ${size} di basis data bukan catatan bertanda tangan yang sah (${error.message}): checkpoint itu diubah`, message_en: `the checkpoint of size ${size} in the database is not a well-formed signed note (${error.message}): it was altered` } };
  }
}

/**
 * Counts every finding but keeps only the earliest `max` (at least one, for first_invalid): a log
 * whose every entry is wrong must not hold a finding per entry in memory.
 */
class EarliestFindings {
  total = 0;
  private kept: (Positioned & { order: number })[] = [];
  private readonly keep: number;

  constructor(max: number) {
    this.keep = Math.max(max, 1);
  }

  add(finding: Positioned): void {
    this.kept.push({ ...finding, order: this.total });
    this.total += 1;
    if (this.kept.length >= this.keep * 2) this.trim();
  }

  earliest(): Finding[] {
    this.trim();
    return this.kept.map(({ position: _position, order: _order, ...f }) => f);
  }

  // At one position, the interval an outside copy pins down comes first: it says where to look;
  // then the order they were found in.
  private trim(): void {
    this.kept.sort((a, b) => a.position - b.position || Number(b.kind === 'log_rewritten') - Number(a.kind === 'log_rewritten') || a.order - b.order);
    this.kept.length = Math.min(this.kept.length, this.keep);
  }
}

interface ChainRow extends AuditEntryRow {
  txid: string;
  leaf: string | null;
}
