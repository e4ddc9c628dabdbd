import { AuditLogReads, findVerification, requestVerification, VerificationRun } from '@aduan/audit';
import { hasRole, Principal } from '@aduan/directory';
import { OutboxTransactions, ProblemException, ZodPipe } from '@aduan/platform';
import { Controller, Get, Headers, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { BearerGuard, CurrentOfficial } from '../auth/auth.guard';

const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const checkpointsQuery = z.strictObject({ after: size.default(0), limit: z.coerce.number().int().min(1).max(1000).default(1000) });
const consistencyQuery = z.strictObject({ first: size, second: size.min(1) });
const inclusionQuery = z.strictObject({ entry: z.uuid(), tree_size: size.min(1).optional() });
/** How long GET /verify waits for a run to finish before answering 202 with its progress. */
const VERIFY_WAIT_MS = 2000;

const wantsText = (accept: string | undefined) => !!accept && /text\/plain/i.test(accept) && !/application\/json/i.test(accept);

function requireInspector(official: Principal): void {
  if (!hasRole(official, 'inspector')) throw ProblemException.forbidden('Only the Inspektorat may do this.');
}

/**
 * The audit log's transparency: signed checkpoints (C2SP tlog-checkpoint), the log's public key
 * and consistency proofs are public, so anyone can keep copies outside Aduan; inclusion proofs and
 * verify are the Inspektorat's. See docs/audit.md.
 */
@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditLogController {
  constructor(private readonly reads: AuditLogReads, private readonly dataSource: DataSource, private readonly transactions: OutboxTransactions) {}

  @Get('checkpoints/public-key')
  @ApiOperation({ summary: 'Public. The log\u2019s Ed25519 public key as a C2SP signed-note verifier key (`<name>+<key hash>+<base64>`); text/plain gives the bare key' })
  @ApiProduces('application/json', 'text/plain')
  @ApiResponse({ status: 200, description: '{verifier_key, name, key_hash, algorithm}' })
  publicKey(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const key = this.reads.publicKey();
    if (!key) throw ProblemException.unavailable('The audit log\u2019s public key is not configured on this server.');
    void reply.header('Cache-Control', 'public, max-age=300');
    if (wantsText(accept)) {
      void reply.type('text/plain; charset=utf-8');
      return `${key.key}\n`;
    }
    return { verifier_key: key.key, name: key.name, key_hash: key.keyId.toString('hex'), algorithm: 'Ed25519' };
  }

  @Get('checkpoints')
  @ApiOperation({ summary: 'Public. Signed checkpoints with a tree size above `after`, oldest first (at most `limit`, 1000), each a C2SP signed note with any witness cosignatures' })
  @ApiQuery({ name: 'after', required: false, description: 'a tree size; default 0' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiResponse({ status: 200, description: '[{tree_size, root_hash, signed_at, note, cosigned_by}]' })
  checkpoints(@Query(new ZodPipe(checkpointsQuery, 'query')) q: z.infer<typeof checkpointsQuery>) {
    return this.reads.checkpoints(q.after, q.limit);
  }

  @Get('checkpoint')
  @ApiOperation({ summary: 'Public. The latest signed checkpoint, as the bare C2SP signed note (text/plain), as transparency-log tools fetch it' })
  @ApiProduces('text/plain')
  async latest(@Res({ passthrough: true }) reply: FastifyReply) {
    const latest = await this.reads.latestCheckpoint();
    if (!latest) throw ProblemException.notFound('No checkpoint has been signed yet.');
    void reply.type('text/plain; charset=utf-8').header('Cache-Control', 'no-cache');
    return latest.note;
  }

  @Get('proofs/consistency')
  @ApiOperation({ summary: 'Public. RFC 9162 consistency proof that the tree of `first` leaves is a prefix of the tree of `second` (both signed checkpoint sizes; `first` may be 0)' })
  @ApiQuery({ name: 'first' })
  @ApiQuery({ name: 'second' })
  @ApiResponse({ status: 200, description: '{first, second, proof: [base64 hash]}' })
  consistency(@Query(new ZodPipe(consistencyQuery, 'query')) q: z.infer<typeof consistencyQuery>) {
    return this.reads.consistency(q.first, q.second);
  }

  @Get('proofs/inclusion')
  @ApiBearerAuth()
  @UseGuards(BearerGuard)
  @ApiOperation({ summary: 'Inspektorat only. RFC 9162 inclusion proof of an audit entry in a signed checkpoint (the latest unless `tree_size`), with the leaf data it was sealed as' })
  @ApiQuery({ name: 'entry', description: 'the audit entry\u2019s id' })
  @ApiQuery({ name: 'tree_size', required: false })
  @ApiResponse({ status: 200, description: '{entry_id, stream, seq, leaf_index, leaf_data, tree_size, root_hash, proof: [base64 hash], checkpoint}' })
  @ApiResponse({ status: 409, description: 'sealed, but not yet in a signed checkpoint' })
  inclusion(@CurrentOfficial() official: Principal, @Query(new ZodPipe(inclusionQuery, 'query')) q: z.infer<typeof inclusionQuery>) {
    requireInspector(official);
    return this.reads.inclusion(q.entry, q.tree_size ?? null);
  }

  @Get('verify')
  @ApiBearerAuth()
  @UseGuards(BearerGuard)
  @ApiOperation({
    summary:
      'Inspektorat only. Verifies the whole audit log (every chain, every leaf, the tree against every checkpoint, their signatures) in the background: starts a run, or joins the one under way. ' +
      'Answers 200 with the result if it finishes within 2 s, else 202 with its progress and `Location: /api/v1/audit/verify/{id}` to poll',
  })
  @ApiResponse({ status: 200, description: '{id, status: done, ok, entries_checked, checkpoints_checked, first_invalid, findings, …}' })
  @ApiResponse({ status: 202, description: '{id, status: queued|running, progress: {phase, leaves_checked, leaves_total, entries_checked, entries_total}}' })
  async verify(@CurrentOfficial() official: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    requireInspector(official);
    const { run } = await requestVerification(this.transactions, official.officialId);
    const deadline = Date.now() + VERIFY_WAIT_MS;
    let current: VerificationRun = run;
    while (current.status !== 'done' && current.status !== 'failed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      current = (await findVerification(this.dataSource, run.id)) ?? current;
    }
    return this.answer(current, reply);
  }

  @Get('verify/:id')
  @ApiBearerAuth()
  @UseGuards(BearerGuard)
  @ApiOperation({ summary: 'Inspektorat only. A verify run: its progress while it runs (202), its result when done (200)' })
  @ApiParam({ name: 'id', description: 'the run\u2019s id, from GET /api/v1/audit/verify' })
  async verifyRun(@CurrentOfficial() official: Principal, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    requireInspector(official);
    const run = z.uuid().safeParse(id).success ? await findVerification(this.dataSource, id) : null;
    if (!run) throw ProblemException.notFound('No verify run has that id.');
    return this.answer(run, reply);
  }

  private answer(run: VerificationRun, reply: FastifyReply) {
    void reply.header('Cache-Control', 'no-store');
    const base = { id: run.id, status: run.status, requested_at: run.requested_at, started_at: run.started_at, finished_at: run.finished_at };
    if (run.status === 'done' || run.status === 'failed') return { ...base, ...run.result };
    void reply.status(202).header('Location', `/api/v1/audit/verify/${run.id}`).header('Retry-After', '2');
    return { ...base, progress: run.progress };
  }
}
