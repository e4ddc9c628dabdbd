import {
  AuditSealer,
  CheckpointStore,
  loadLogSigner,
  loadLogVerifier,
  NoteSigner,
  NoteVerifier,
  openCheckpoint,
  parseVerifierKey,
  pinnedLogKey,
  readOutsideCheckpoints,
  verifyAuditLog,
  VerifyResult,
} from '@aduan/audit';
import { AppConfig } from '@aduan/platform';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';

/** Reads `--name value` options and bare flags. */
function options(args: string[]): { get(name: string): string | undefined; has(name: string): boolean } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i += 1) {
    if (!args[i].startsWith('--')) throw new Error(`unexpected argument ${args[i]}`);
    const name = args[i].slice(2);
    if (i + 1 < args.length && !args[i + 1].startsWith('--')) values.set(name, args[(i += 1)]);
    else flags.add(name);
  }
  return { get: (n) => values.get(n), has: (n) => flags.has(n) || values.has(n) };
}

/** `audit-keygen NAME`: a new checkpoint key pair, printed as the two settings that hold it. */
export async function auditKeygen(args: string[]): Promise<number> {
  const name = args[0];
  if (!name) throw new Error('audit-keygen needs a NAME, e.g. aduan.serangkota.go.id/audit');
  const { signerKey, verifierKey } = NoteSigner.generate(name);
  console.log(`AUDIT_SIGNING_KEY=${signerKey}\nAUDIT_VERIFIER_KEY=${verifierKey}`);
  return 0;
}

/**
 * `verify-audit [--checkpoints PATH] [--key VKEY] [--json]`: exit 0 when nothing is wrong, 2 when
 * verify found something (each finding printed), 1 when it could not run.
 */
export async function verifyAudit(db: DataSource, env: AppConfig, args: string[]): Promise<number> {
  const opts = options(args);
  const keys = new Map<string, NoteVerifier>();
  const add = (key: string | null | undefined) => key && keys.set(key.trim(), parseVerifierKey(key));
  add(opts.get('key'));
  add(loadLogVerifier(env)?.key);
  const path = opts.get('checkpoints');
  if (path) add(pinnedLogKey(path));
  if (keys.size === 0) throw new Error('no key to check checkpoints with: pass --key <verifier key> or set AUDIT_VERIFIER_KEY');
  const outside = path ? readOutsideCheckpoints(path) : undefined;
  let lastReport = 0;
  const result = await verifyAuditLog(db, {
    logKeys: [...keys.values()],
    outside,
    onProgress: (p) => {
      if (Date.now() - lastReport < 2000 || opts.has('json')) return;
      lastReport = Date.now();
      console.error(`… ${p.phase}: ${p.leaves_checked}/${p.leaves_total} leaves, ${p.entries_checked}/${p.entries_total} entries`);
    },
  });
  if (opts.has('json')) console.log(JSON.stringify(result, null, 2));
  else console.log(describe(result, path));
  return result.ok ? 0 : 2;
}

function describe(r: VerifyResult, path: string | undefined): string {
  const lines = [
    `${r.ok ? 'OK' : 'NOT OK'}: ${r.entries_checked} entries, ${r.leaves_checked} leaves, ${r.checkpoints_checked} checkpoints in the database` +
      (r.outside ? `, ${r.outside_checkpoints_checked} held outside (${path})` : ', no outside copies (pass --checkpoints DIR: only they show a rewritten and re-signed log)') +
      ` in ${(r.duration_ms / 1000).toFixed(1)} s; ${r.entries_pending} entries not sealed yet`,
  ];
  for (const ignored of r.outside_checkpoints_ignored) lines.push(`  ignored ${ignored}`);
  if (r.outside) {
    lines.push(
      r.outside.first_mismatch === null
        ? `  every outside checkpoint matches (the latest: size ${r.outside.last_matching ?? 0})`
        : `  outside checkpoints match up to size ${r.outside.last_matching ?? 0}; from size ${r.outside.first_mismatch} on they do not`,
    );
  }
  // Each finding in Bahasa Indonesia, then in English on the line below.
  if (r.first_invalid) lines.push(`temuan pertama / first: ${r.first_invalid.message}`, `  ${r.first_invalid.message_en}`);
  for (const f of r.findings) lines.push(`  - [${f.kind}] ${f.message}`, `    ${f.message_en}`);
  if (r.findings_total > r.findings.length) lines.push(`  … and ${r.findings_total - r.findings.length} more`);
  return lines.join('\n');
}

/**
 * `audit-seal`: seals everything committed before it started, page by page (each page commits on
 * its own), printing progress; SIGINT or SIGTERM stops it after the page under way (exit 1) and
 * the next run resumes the round. Waits while another sealer (a worker) holds the lock.
 */
export async function auditSeal(db: DataSource, env: AppConfig): Promise<number> {
  const sealer = new AuditSealer(db, loadLogSigner(env), env.AUDIT_CHECKPOINT_INTERVAL_SECONDS * 1000);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const [{ backlog }] = await db.query(`SELECT greatest((SELECT count(*) FROM audit_entry) - (SELECT count(*) FROM audit_leaf), 0)::bigint AS backlog`);
    const started = Date.now();
    let sealed = 0;
    let treeSize = 0;
    let signed: number | null = null;
    let lastReport = started;
    const rate = () => Math.round(sealed / Math.max((Date.now() - started) / 1000, 0.001));
    console.log(`sealing: about ${Number(backlog)} entries not sealed yet`);
    for (;;) {
      const round = await sealer.sealRound(true, {
        stop: stop.signal,
        onPage: (page) => {
          sealed += page.sealed;
          treeSize = page.treeSize;
          if (page.checkpoint) signed = page.checkpoint.treeSize;
          if (Date.now() - lastReport < 5000) return;
          lastReport = Date.now();
          console.log(`sealing: ${sealed} of about ${Number(backlog)} entries sealed, ${rate()} a second; the tree holds ${treeSize}`);
        },
      });
      if (stop.signal.aborted) {
        console.log(`stopped: sealed ${sealed} entries (every page committed); the tree holds ${treeSize}; audit-seal again resumes`);
        return 1;
      }
      if (round?.complete && round.begun) break;
      // A round that was under way is finished first; then one from now. No round: a worker holds the lock.
      if (!round) await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`sealed ${sealed} entries; the tree holds ${treeSize}${signed !== null ? `, checkpoint signed at ${signed}` : ''}; ${seconds.toFixed(1)} s, ${rate()} a second`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * `audit-witness --dir DIR (--url URL [--every SECONDS] | --listen HOST:PORT) [--key VKEY] [--name NAME]`:
 * keeps checked copies of the log's checkpoints in DIR. Exit 2 when the log misbehaved (evidence
 * in DIR/alerts).
 */
export async function auditWitness(args: string[]): Promise<number> {
  const opts = options(args);
  const dir = opts.get('dir');
  if (!dir) throw new Error('audit-witness needs --dir DIR');
  const store = new CheckpointStore(dir);
  store.lock();
  try {
    if (opts.get('listen')) return await listen(store, opts.get('listen')!, opts.get('key') ?? null, opts.get('name') ?? `witness.${hostname()}/aduan`);
    const url = opts.get('url');
    if (!url) throw new Error('audit-witness needs --url URL (fetch from an Aduan) or --listen HOST:PORT (receive as a tlog-witness)');
    const every = Number(opts.get('every') ?? 0);
    for (;;) {
      const code = await pull(store, url.replace(/\/+$/, ''), opts.get('key') ?? null);
      if (code !== 0 || every <= 0) return code;
      await new Promise((r) => setTimeout(r, every * 1000));
    }
  } finally {
    store.close();
  }
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000), redirect: 'error' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

interface Published {
  tree_size: number;
  note: string;
}

/** One pass: fetches what is new, checks each against the last held, keeps it. */
async function pull(store: CheckpointStore, base: string, key: string | null): Promise<number> {
  const offered = (await getJson<{ verifier_key: string }>(`${base}/api/v1/audit/checkpoints/public-key`)).verifier_key;
  if (key && key.trim() !== offered) {
    store.alert('key-changed', `--key is ${key}\nthe log offers ${offered}\n`);
    console.error(`the log offers another key than --key: ${offered}`);
    return 2;
  }
  let logKey: NoteVerifier;
  try {
    const firstRun = pinnedLogKey(store.dir) === null;
    logKey = store.pinLogKey(offered)!;
    if (firstRun && !key) console.error(`pinned the log's key on first use: ${offered}\n  compare it with the key the log's operator gave you; pass --key next time`);
  } catch (error) {
    store.alert('key-changed', `${(error as Error).message}\n`);
    console.error((error as Error).message);
    return 2;
  }
  let held = store.latest(logKey);
  if (held) {
    // The log must still publish the checkpoint held, unchanged: otherwise it was rewound or rewritten.
    const [same] = await getJson<Published[]>(`${base}/api/v1/audit/checkpoints?after=${held.treeSize - 1}&limit=1`);
    const republished = same && same.tree_size === held.treeSize ? openCheckpoint(same.note, [logKey]) : null;
    if (!republished || !republished.rootHash.equals(held.rootHash)) {
      const file = store.alert('rewound', `held:\n${held.note}\nthe log now publishes for size ${held.treeSize}:\n${same?.note ?? '(nothing)'}\n`);
      console.error(`the log no longer publishes the checkpoint of size ${held.treeSize} that this witness holds: rewound or rewritten (evidence: ${file})`);
      return 2;
    }
  }
  let taken = 0;
  for (;;) {
    const batch = await getJson<Published[]>(`${base}/api/v1/audit/checkpoints?after=${held?.treeSize ?? 0}&limit=1000`);
    if (batch.length === 0) break;
    for (const next of batch) {
      const first = held?.treeSize ?? 0;
      const proof = first > 0 ? (await getJson<{ proof: string[] }>(`${base}/api/v1/audit/proofs/consistency?first=${first}&second=${next.tree_size}`)).proof.map((p) => Buffer.from(p, 'base64')) : [];
      const outcome = store.accept(next.note, logKey, first, proof);
      if (!('accepted' in outcome)) {
        console.error(`refused the checkpoint of size ${next.tree_size}: ${outcome.reason}${outcome.status === 422 ? ' (evidence in alerts/)' : ''}`);
        return 2;
      }
      held = outcome.accepted;
      taken += 1;
    }
  }
  console.log(`holding ${held ? `size ${held.treeSize}` : 'nothing yet'}${taken ? ` (${taken} new)` : ''}`);
  return 0;
}

/** Serves C2SP tlog-witness `POST /add-checkpoint`, one request at a time (check and store are atomic). */
async function listen(store: CheckpointStore, address: string, key: string | null, name: string): Promise<number> {
  const logKey = store.pinLogKey(key);
  if (!logKey) throw new Error('as a tlog-witness, audit-witness needs the log\u2019s key: --key <verifier key>');
  const signer = store.witnessSigner(name);
  const [host, port] = address.includes(':') ? [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))] : ['127.0.0.1', Number(address)];
  let queue = Promise.resolve();
  const server = createServer((request, response) => {
    queue = queue.then(() => addCheckpoint(store, logKey, signer, request, response)).catch(() => undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = server.address() as AddressInfo;
  console.log(`witnessing ${logKey.name} at http://${host}:${bound.port}/add-checkpoint; cosignature key: ${signer.cosignatureVerifierKey}`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

async function addCheckpoint(store: CheckpointStore, logKey: NoteVerifier, signer: NoteSigner, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') => response.writeHead(status, { 'content-type': type }).end(body);
  if (request.method !== 'POST' || request.url !== '/add-checkpoint') return void reply(404, 'not found\n');
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request) {
    length += (chunk as Buffer).length;
    if (length > 64 * 1024) return void reply(400, 'request too large\n');
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks).toString('utf8');
  const blank = body.indexOf('\n\n');
  const head = blank < 0 ? [] : body.slice(0, blank).split('\n');
  const old = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? '');
  const proofLines = head.slice(1);
  if (!old || proofLines.length > 63 || proofLines.some((l) => !/^[A-Za-z0-9+/]{43}=$/.test(l))) return void reply(400, 'malformed request\n');
  const note = body.slice(blank + 2);
  const outcome = store.accept(note, logKey, Number(old[1]), proofLines.map((l) => Buffer.from(l, 'base64')));
  if ('accepted' in outcome) return void reply(200, signer.cosignatureLine(note.slice(0, note.indexOf('\n\n') + 1)));
  if (outcome.status === 409) return void reply(409, `${outcome.held}\n`, 'text/x.tlog.size');
  reply(outcome.status, `${outcome.reason}\n`);
}
