import { AuditSealer, loadLogSigner, parseVerifierKey, WitnessClient } from '@aduan/audit';
import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A tick seals pages for about this long; a backlog goes on in the next tick, at once. */
const TICK_BUDGET_MS = 2000;

/**
 * Runs the audit sealer every AUDIT_SEAL_INTERVAL_MS in this worker (every worker runs it; an
 * advisory lock lets one round run at a time), and sends each checkpoint it signs to the
 * witnesses. A witness that missed one (down, or a 409) gets the latest again each checkpoint
 * interval. A tick stays short (a backlog is sealed over many ticks, each page committed), and
 * shutdown stops it after the page under way.
 */
@Injectable()
export class AuditSealing implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditSealer');
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private readonly pushes = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private sealer: AuditSealer | null = null;
  private witnesses: WitnessClient | null = null;
  private lastCatchUp = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    if (this.config.AUDIT_SEAL_INTERVAL_MS === 0) {
      this.logger.warn('audit sealing is off (AUDIT_SEAL_INTERVAL_MS=0): nothing is added to the Merkle tree and no checkpoint is signed');
      return;
    }
    const signer = loadLogSigner(this.config);
    if (!signer) {
      throw new Error('the worker signs the audit log\u2019s checkpoints: set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE (`npm run cli -- audit-keygen NAME` makes a key)');
    }
    this.sealer = new AuditSealer(this.dataSource, signer, this.config.AUDIT_CHECKPOINT_INTERVAL_SECONDS * 1000);
    this.witnesses = new WitnessClient(this.dataSource, this.config.AUDIT_WITNESS_URLS, this.config.AUDIT_WITNESS_KEYS.map(parseVerifierKey), this.config.AUDIT_WITNESS_TIMEOUT_MS, this.logger);
    this.logger.log(`sealing the audit log every ${this.config.AUDIT_SEAL_INTERVAL_MS} ms as ${signer.name}; a checkpoint every ${this.config.AUDIT_CHECKPOINT_INTERVAL_SECONDS} s${this.witnesses.configured ? `, sent to ${this.config.AUDIT_WITNESS_URLS.length} witness(es)` : ''}`);
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      let more = false;
      this.round = this.tick()
        .then((unfinished) => {
          more = unfinished;
        })
        .finally(() => {
          this.round = null;
          this.schedule(more ? 0 : this.config.AUDIT_SEAL_INTERVAL_MS);
        });
    }, delay);
  }

  /** One tick; answers whether the round is unfinished (a backlog: the next tick follows at once). */
  private async tick(): Promise<boolean> {
    try {
      let signed = false;
      const round = await this.sealer!.sealRound(false, {
        stop: this.stopping.signal,
        budgetMs: TICK_BUDGET_MS,
        onPage: (page) => {
          if (!page.checkpoint) return;
          signed = true;
          this.send(page.checkpoint);
        },
      });
      if (!signed && this.witnesses!.configured && Date.now() - this.lastCatchUp > this.config.AUDIT_CHECKPOINT_INTERVAL_SECONDS * 1000) await this.catchUp();
      return round !== null && !round.complete;
    } catch (error) {
      this.logger.error(`sealing round failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** The latest checkpoint again to any witness that does not hold it (after a restart, or a witness that was down). */
  private async catchUp(): Promise<void> {
    this.lastCatchUp = Date.now();
    const [latest]: { tree_size: string; note: string }[] = await this.dataSource.query(`SELECT tree_size, note FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1`);
    if (latest) this.send({ treeSize: Number(latest.tree_size), note: latest.note });
  }

  private send(checkpoint: { treeSize: number; note: string }): void {
    if (!this.witnesses!.configured) return;
    this.lastCatchUp = Date.now();
    const push = this.witnesses!.push(checkpoint).finally(() => this.pushes.delete(push));
    this.pushes.add(push);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.round;
    await Promise.all([...this.pushes]);
  }
}
