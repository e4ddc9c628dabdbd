import { APP_CONFIG, AppConfig } from '@aduan/platform';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { loadLogVerifier } from '../checkpoints/log-keys';
import { verifyAuditLog, VerifyProgress } from '../verify/audit-verifier';
import { findVerification, markVerification } from './verification-runs';
import { VerifyAuditLogCommand } from './verify-audit-log.command';

/** How often a running verify writes its progress (the inspector polls it). */
const PROGRESS_EVERY_MS = 500;

/**
 * Runs verify over the database alone (the checkpoints held outside are the CLI's to check, on
 * the inspector's machine). A run that is already finished is left alone, so a repeated job does
 * nothing; one that failed records why.
 */
@CommandHandler(VerifyAuditLogCommand)
export class VerifyAuditLogHandler implements ICommandHandler<VerifyAuditLogCommand, void> {
  private readonly logger = new Logger('AuditVerify');

  constructor(private readonly dataSource: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async execute({ verificationId }: VerifyAuditLogCommand): Promise<void> {
    const run = await findVerification(this.dataSource, verificationId);
    if (!run || run.status === 'done' || run.status === 'failed') return;
    await markVerification(this.dataSource, verificationId, { status: 'running' });
    try {
      const key = loadLogVerifier(this.config);
      if (!key) throw new Error('the log\u2019s public key is not configured (AUDIT_SIGNING_KEY or AUDIT_VERIFIER_KEY): checkpoints cannot be checked');
      let written = 0;
      const result = await verifyAuditLog(this.dataSource, {
        logKeys: [key],
        onProgress: async (progress: VerifyProgress) => {
          if (Date.now() - written < PROGRESS_EVERY_MS && progress.phase !== 'done') return;
          written = Date.now();
          await markVerification(this.dataSource, verificationId, { progress });
        },
      });
      await markVerification(this.dataSource, verificationId, { status: 'done', result });
      if (!result.ok) this.logger.warn(`audit verify ${verificationId}: ${result.findings_total} finding(s); first: ${result.first_invalid?.message} / ${result.first_invalid?.message_en}`);
    } catch (error) {
      this.logger.error(`audit verify ${verificationId} failed: ${String(error)}`);
      await markVerification(this.dataSource, verificationId, { status: 'failed', result: { error: error instanceof Error ? error.message : String(error) } });
    }
  }
}
